namespace FimVerify.Numeric.MeanField;

/// <summary>Linear φ: q̂ = q, I_φ = b, φ′ ≡ 1, derived as polynomial Gaussian expectations (<c>MeanFieldKernels.linear</c>).</summary>
public sealed class LinearGaussianKernel() : ClosedFormGaussianKernel(CompiledKernelForms.Linear);

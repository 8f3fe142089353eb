namespace FimVerify.Numeric.MeanField;

/// <summary>
/// erf's closed forms, derived by the symbolic layer by Price's theorem and an exact Gaussian integral of
/// exp(quadratic form) (<c>MeanFieldKernels.erf</c>): I_φ = (2/π) arcsin(2b/(1+2a)), I_φ′ = 4/(π√((1+2a)² − 4b²)),
/// ∫Dz φ′² = 4/(π√(1+4q)); erf is odd so the mean is 0.
/// </summary>
public sealed class ErfGaussianKernel() : ClosedFormGaussianKernel(CompiledKernelForms.Erf);

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// ReLU's closed forms (MATH.md §2), derived by the symbolic layer from Tian's arc integral and the half-line
/// Gaussian moments (<c>MeanFieldKernels.relu</c>): ∫Dz φ² = q/2, I_φ = (a/2π)(√(1−c²) + (π − arccos c)c),
/// ∫Dz φ′² = 1/2, I_φ′ = (π − arccos c)/(2π), mean √(q/2π).
/// </summary>
public sealed class ReluGaussianKernel() : ClosedFormGaussianKernel(CompiledKernelForms.Relu);

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// Leaky ReLU with slope s, derived by the symbolic layer from ReLU's forms (<c>MeanFieldKernels.leakyRelu</c>):
/// φ_s = relu(x) − s·relu(−x) gives I_φ = (1 + s²) I_relu[a, b] − 2s I_relu[a, −b] and the like.
/// </summary>
public sealed class LeakyReluGaussianKernel(double slope) : ClosedFormGaussianKernel(CompiledKernelForms.LeakyRelu, slope);

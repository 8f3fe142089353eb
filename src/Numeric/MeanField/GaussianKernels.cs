using FimVerify.Numeric.Activations;

namespace FimVerify.Numeric.MeanField;

/// <summary>Chooses the closed form when one exists (ReLU, leaky ReLU, linear, erf), quadrature otherwise.</summary>
public static class GaussianKernels
{
    public static IGaussianKernel For(IActivation phi) => phi switch
    {
        Relu => new ReluGaussianKernel(),
        LeakyRelu l => new LeakyReluGaussianKernel(l.Slope),
        Linear => new LinearGaussianKernel(),
        Erf => new ErfGaussianKernel(),
        _ => new QuadratureGaussianKernel(phi),
    };
}

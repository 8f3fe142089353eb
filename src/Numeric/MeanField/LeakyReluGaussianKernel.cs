namespace FimVerify.Numeric.MeanField;

/// <summary>
/// Closed forms for leaky ReLU with slope s, from φ = (1−s)·relu + s·id and E[relu(u)·v] = b/2:
/// I_φ = (1−s)² I_relu + s·b, ∫Dz φ² = (1+s²)q/2, I_φ′ = (1+s²)p + s(1−2p) with p = (π − arccos c)/(2π),
/// ∫Dz φ′² = (1+s²)/2, mean (1−s)√(q/2π).
/// </summary>
public sealed class LeakyReluGaussianKernel(double slope) : IGaussianKernel
{
    private static readonly ReluGaussianKernel Relu = new();
    public string Method => "closed form";
    public double Mean(double q) => (1 - slope) * Relu.Mean(q);
    public double SecondMoment(double q) => (1 + slope * slope) * q / 2;
    public double Correlation(double a, double b) => (1 - slope) * (1 - slope) * Relu.Correlation(a, b) + slope * b;
    public double DerivativeSecondMoment(double q) => (1 + slope * slope) / 2;
    public double DerivativeCorrelation(double a, double b)
    {
        double p = Relu.DerivativeCorrelation(a, b);
        return (1 + slope * slope) * p + slope * (1 - 2 * p);
    }
}

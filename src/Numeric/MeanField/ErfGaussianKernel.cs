namespace FimVerify.Numeric.MeanField;

/// <summary>
/// Closed forms for erf (Williams' arcsine kernel): I_φ = (2/π) arcsin(2b/(1+2a)), ∫Dz φ² the same at b = a,
/// I_φ′ = 4/(π√((1+2a)² − 4b²)), ∫Dz φ′² = 4/(π√(1+4q)); erf is odd so the mean is 0.
/// </summary>
public sealed class ErfGaussianKernel : IGaussianKernel
{
    public string Method => "closed form";
    public double Mean(double q) => 0;
    public double SecondMoment(double q) => 2 / Math.PI * Math.Asin(2 * q / (1 + 2 * q));
    public double Correlation(double a, double b) => 2 / Math.PI * Math.Asin(Math.Clamp(2 * b / (1 + 2 * a), -1, 1));
    public double DerivativeSecondMoment(double q) => 4 / (Math.PI * Math.Sqrt(1 + 4 * q));
    public double DerivativeCorrelation(double a, double b) => 4 / (Math.PI * Math.Sqrt((1 + 2 * a) * (1 + 2 * a) - 4 * b * b));
}

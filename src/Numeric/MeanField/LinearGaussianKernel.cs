namespace FimVerify.Numeric.MeanField;

/// <summary>Linear φ: q̂ = q, I_φ = b, φ′ ≡ 1.</summary>
public sealed class LinearGaussianKernel : IGaussianKernel
{
    public string Method => "closed form";
    public double Mean(double q) => 0;
    public double SecondMoment(double q) => q;
    public double Correlation(double a, double b) => b;
    public double DerivativeSecondMoment(double q) => 1;
    public double DerivativeCorrelation(double a, double b) => 1;
}

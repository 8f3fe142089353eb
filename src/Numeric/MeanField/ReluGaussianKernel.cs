namespace FimVerify.Numeric.MeanField;

/// <summary>
/// Closed forms for ReLU (MATH.md §2): ∫Dz φ² = q/2, I_φ = (a/2π)(√(1−c²) + (π − arccos c)c) (the Lemma 1
/// kernel), ∫Dz φ′² = 1/2, I_φ′ = (π − arccos c)/(2π), and the mean √(q/2π).
/// </summary>
public sealed class ReluGaussianKernel : IGaussianKernel
{
    public string Method => "closed form";
    public double Mean(double q) => Math.Sqrt(q / (2 * Math.PI));
    public double SecondMoment(double q) => q / 2;
    public double Correlation(double a, double b)
    {
        double c = Math.Clamp(b / a, -1, 1);
        return a / (2 * Math.PI) * (Math.Sqrt(1 - c * c) + (Math.PI - Math.Acos(c)) * c);
    }
    public double DerivativeSecondMoment(double q) => 0.5;
    public double DerivativeCorrelation(double a, double b) => (Math.PI - Math.Acos(Math.Clamp(b / a, -1, 1))) / (2 * Math.PI);
}

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// The Gaussian integrals of an activation that the order-parameter recurrences need (MATH.md §2).
/// Closed forms and quadrature implement the same interface, so symbolically derived closed forms plug in
/// without touching the recurrences.
/// </summary>
public interface IGaussianKernel
{
    /// <summary>"closed form" or the quadrature used.</summary>
    string Method { get; }
    /// <summary>∫Dz φ(√q z).</summary>
    double Mean(double q);
    /// <summary>∫Dz φ(√q z)².</summary>
    double SecondMoment(double q);
    /// <summary>I_φ[a, b] = ∫Dx Dy φ(√a x) φ(√a(c x + √(1−c²) y)), c = b/a.</summary>
    double Correlation(double a, double b);
    /// <summary>∫Dz φ′(√q z)².</summary>
    double DerivativeSecondMoment(double q);
    /// <summary>I_φ′[a, b].</summary>
    double DerivativeCorrelation(double a, double b);
}

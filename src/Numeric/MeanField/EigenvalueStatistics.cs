namespace FimVerify.Numeric.MeanField;

/// <summary>
/// Eigenvalue statistics of a P×P metric: mean m_λ = Σλ/P, second moment s_λ = Σλ²/P, largest λ_max.
/// </summary>
public sealed record EigenvalueStatistics(double Mean, double SecondMoment, double LambdaMax);

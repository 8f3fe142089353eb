using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.MeanField;

namespace FimVerify.Numeric.Models;

/// <summary>
/// The spectrum of a metric measured through its dual: the non-zero eigenvalues (descending) and the
/// statistics over all <see cref="Dimension"/> eigenvalues of the metric (the rest are zero).
/// </summary>
public sealed record MeasuredSpectrum(double[] EigenvaluesDescending, long Dimension)
{
    public static MeasuredSpectrum Of(SymmetricMatrix dual, long dimension)
    {
        var ev = DenseSymmetricEigen.Eigenvalues(dual);
        Array.Reverse(ev);
        return new MeasuredSpectrum(ev, dimension);
    }

    public double Mean => EigenvaluesDescending.Sum() / Dimension;
    public double SecondMoment => EigenvaluesDescending.Sum(x => x * x) / Dimension;
    public double LambdaMax => EigenvaluesDescending[0];
    public double[] Top(int count) => EigenvaluesDescending.Take(count).ToArray();
    /// <summary>Mean of the top <paramref name="count"/> eigenvalues (the C outliers).</summary>
    public double TopMean(int count) => Top(count).Average();
    public EigenvalueStatistics Statistics(int outliers) => new(Mean, SecondMoment, TopMean(outliers));
}

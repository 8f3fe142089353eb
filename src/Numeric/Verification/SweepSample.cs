namespace FimVerify.Numeric.Verification;

/// <summary>
/// The observations of a statistic at one size x of a sweep: the mean over independent trials, the estimated variance of that
/// mean, its degrees of freedom (n − 1 for n i.i.d. trials), and the number of trials (the weight of the size in a fit).
/// </summary>
public sealed record SweepSample(double X, double Mean, double MeanVariance, double DegreesOfFreedom, double Trials)
{
    public double StandardError => Math.Sqrt(MeanVariance);

    /// <summary>The variance of the mean is known (at least two trials, or a combination of such samples).</summary>
    public bool HasVariance => DegreesOfFreedom > 0 && double.IsFinite(MeanVariance) && MeanVariance >= 0;

    /// <summary>Mean, s²/n with the unbiased sample variance s², and n − 1 degrees of freedom, from independent trials.</summary>
    public static SweepSample FromValues(double x, IReadOnlyList<double> values)
    {
        if (!(x > 0) || !double.IsFinite(x)) throw new ArgumentOutOfRangeException(nameof(x), "a sweep size must be positive");
        if (values.Count == 0) throw new ArgumentException("a sweep point needs at least one trial");
        foreach (double v in values)
            if (!double.IsFinite(v)) throw new NumericalException($"a trial at size {x} produced a non-finite value");
        int n = values.Count;
        double mean = values.Average();
        if (n == 1) return new SweepSample(x, mean, double.NaN, 0, 1);
        double ss = 0;
        foreach (double v in values) ss += (v - mean) * (v - mean);
        return new SweepSample(x, mean, ss / (n - 1) / n, n - 1, n);
    }

    /// <summary>
    /// a − b for independent samples at the same size: variances add, degrees of freedom the smaller of the two (Hsu's
    /// conservative rule, as in <see cref="LimitVerdict.Decide"/>), weight the harmonic combination n_a n_b/(n_a + n_b) (the weight
    /// a difference of two means of that many trials would have).
    /// </summary>
    public static SweepSample Difference(SweepSample a, SweepSample b)
    {
        if (a.X != b.X) throw new ArgumentException("a difference of sweep samples needs the same size");
        double df = !a.HasVariance || !b.HasVariance ? 0 : Math.Min(a.DegreesOfFreedom, b.DegreesOfFreedom);
        return new SweepSample(a.X, a.Mean - b.Mean, a.MeanVariance + b.MeanVariance, df, a.Trials * b.Trials / (a.Trials + b.Trials));
    }
}

using System.Globalization;

namespace FimVerify.Numeric.Verification;

/// <summary>
/// An asymptotic claim that a positive per-trial statistic vanishes as the size grows, stated with the rate it must at least
/// have: E[value](x) decays at least like x^(−<see cref="MinimumExponent"/>). "Tends to 0" alone cannot be refuted with power (a
/// statistic that stops decreasing sits on its boundary), so the claim names the slowest decay it accepts; the theory's rate
/// (e.g. the central limit theorem's 1/2) is typically twice the minimum. Decided by <see cref="DecayVerdict.Decide"/>.
/// </summary>
public sealed record DecayClaim(string Name, string Statement, double MinimumExponent, string Reason)
{
    public DecayClaim Validated()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("a claim needs a name");
        if (!(MinimumExponent > 0) || !double.IsFinite(MinimumExponent)) throw new ArgumentOutOfRangeException(nameof(MinimumExponent), $"the minimum decay exponent of '{Name}' must be positive");
        return this;
    }
}

/// <summary>
/// The decision of a <see cref="DecayClaim"/>: the decay exponent γ̂ (minus the slope of a log-scale mean on ln x, least squares
/// with the fixed weights n_i), its standard error, degrees of freedom (the smallest among the sizes, as for limits) and the
/// one-sided upper confidence bound at 1 − α. From per-trial values (<see cref="FromTrials"/>) the log-scale mean is the mean of
/// ln y (the geometric mean's logarithm: exact variances, robust to the heavy tails of residuals); from sample means
/// (<see cref="Decide"/>, e.g. a difference of independent means) it is ln ȳ with the delta method's Var ln ȳ_i ≈ V_i/ȳ_i². FAIL when that bound is below the minimum exponent
/// (the statistic decays more slowly than claimed, or not at all); PASS when the design detects a statistic that does not decay
/// at all (γ = 0) with probability ≥ 0.9, i.e. (t_{ν,1−α} + t_{ν,0.9})·se ≤ minimum exponent; UNDERPOWERED otherwise, or when a
/// size's mean is not clearly positive (se/mean &gt; 0.3, where the log-scale delta method fails). <see cref="DetectableShortfall"/>
/// is that smallest detectable deficit of the exponent.
/// </summary>
public sealed record DecayVerdict(DecayClaim Claim, IReadOnlyList<SweepSample> Samples, double Alpha, double Exponent, double StandardError,
    double DegreesOfFreedom, double UpperBound, double DetectableShortfall, Verdict Verdict, string Reason)
{
    /// <summary>The largest se/mean at which ln ȳ is treated by the delta method.</summary>
    public const double LargestRelativeError = 0.3;


    /// <summary>From per-trial values (x, values at x): the rate of the geometric mean, from the means of ln y.</summary>
    public static DecayVerdict FromTrials(DecayClaim claim, IEnumerable<(double X, IReadOnlyList<double> Values)> trials, double alpha)
    {
        var list = trials.ToList();
        if (list.Any(t => t.Values.Any(v => !(v > 0))))
            return Decide(claim, list.Select(t => SweepSample.FromValues(t.X, t.Values)).ToList(), alpha);
        return Decide(claim, list.Select(t => SweepSample.FromValues(t.X, t.Values.Select(v => Math.Log(v)).ToArray())).ToList(), alpha, logs: true);
    }

    /// <summary>From the statistic's sample means (<paramref name="logs"/>: the samples are already means of ln y).</summary>
    public static DecayVerdict Decide(DecayClaim claim, IReadOnlyList<SweepSample> samples, double alpha, bool logs = false)
    {
        claim.Validated();
        if (alpha is <= 0 or >= 0.5 || double.IsNaN(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), "the false-alarm rate must lie in (0, 0.5)");
        var sorted = samples.OrderBy(s => s.X).ToList();
        DecayVerdict Unestimable(string why) => new(claim, sorted, alpha, double.NaN, double.NaN, double.NaN, double.NaN, double.PositiveInfinity, Verdict.Underpowered, why);
        foreach (var s in sorted)
            if (!double.IsFinite(s.Mean)) throw new NumericalException($"the mean at size {s.X} of decay claim '{claim.Name}' is {s.Mean}");
        if (sorted.Select(s => s.X).Distinct().Count() < 2) return Unestimable("a decay needs at least two sizes");
        if (sorted.FirstOrDefault(s => !s.HasVariance) is { } unknown) return Unestimable($"the variance at size {G(unknown.X)} is unknown (fewer than two trials)");
        if (!logs && sorted.FirstOrDefault(s => !(s.Mean > 0) || s.StandardError > LargestRelativeError * s.Mean) is { } noisy)
            return Unestimable($"the mean at size {G(noisy.X)} ({G(noisy.Mean)} ± {G(noisy.StandardError)}) is not clearly positive: no log-scale rate");
        var u = sorted.Select(s => Math.Log(s.X)).ToArray();
        var line = FixedWeightFit.Coefficients(u.Select(v => (IReadOnlyList<double>)[1, v]).ToArray(), sorted.Select(s => s.Trials).ToArray());
        if (line is null) return Unestimable("the sizes do not separate a rate");
        var (slope, variance, df) = logs
            ? FixedWeightFit.Combine(line[1], sorted.Select(s => s.Mean).ToArray(), sorted.Select(s => s.MeanVariance).ToArray(), sorted.Select(s => s.DegreesOfFreedom).ToArray())
            : FixedWeightFit.Combine(line[1], sorted.Select(s => Math.Log(s.Mean)).ToArray(),
                sorted.Select(s => s.MeanVariance / (s.Mean * s.Mean)).ToArray(), sorted.Select(s => s.DegreesOfFreedom).ToArray());
        double exponent = -slope, se = Math.Sqrt(variance);
        double tCrit = LimitVerdict.Quantile(df, 1 - alpha);
        double upper = exponent + tCrit * se;
        double detectable = (tCrit + LimitVerdict.Quantile(df, ProbabilityPower.Level)) * se;
        var verdict = upper < claim.MinimumExponent ? Verdict.Fail : detectable <= claim.MinimumExponent ? Verdict.Pass : Verdict.Underpowered;
        string reason = $"decay exponent {G(exponent)} ± {G(se)} (t with {(double.IsInfinity(df) ? "∞" : df.ToString("F0", CultureInfo.InvariantCulture))} df), upper bound {G(upper)} at α = {G(alpha)}: "
            + (verdict == Verdict.Fail ? $"decays more slowly than x^(−{G(claim.MinimumExponent)})" : $"consistent with a decay at least like x^(−{G(claim.MinimumExponent)})")
            + $"; a statistic that does not decay is refuted with probability ≥ 0.9 when its exponent falls {G(detectable)} short"
            + (verdict == Verdict.Underpowered ? $", more than the claimed {G(claim.MinimumExponent)}" : "");
        return new DecayVerdict(claim, sorted, alpha, exponent, se, df, upper, detectable, verdict, reason);
    }

    private static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}

using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// Measured/predicted ratios of m_λ, s_λ and λ_max (mean of the top C) at one width, over trials: their means, RMS deviations
/// from 1, and each statistic's ratios as a <see cref="SweepSample"/> (mean, variance of the mean) for the limit estimate.
/// </summary>
public sealed record WidthSweepRow(int Width, EigenvalueStatistics Predicted, double[] MeanRatios, double[] RmsDeviations)
{
    /// <summary>Per statistic, the trials' ratios at this width.</summary>
    public IReadOnlyList<SweepSample> Samples { get; init; } = [];

    /// <summary>The row of per-trial ratios (trial × [m, s, λ_max]): their means, RMS deviations from 1 and samples.</summary>
    public static WidthSweepRow FromRatios(int width, EigenvalueStatistics predicted, double[][] ratios)
    {
        var means = Enumerable.Range(0, 3).Select(i => ratios.Average(r => r[i])).ToArray();
        var rms = Enumerable.Range(0, 3).Select(i => Math.Sqrt(ratios.Average(r => (r[i] - 1) * (r[i] - 1)))).ToArray();
        var samples = Enumerable.Range(0, 3).Select(i => SweepSample.FromValues(width, ratios.Select(r => r[i]).ToArray())).ToArray();
        return new WidthSweepRow(width, predicted, means, rms) { Samples = samples };
    }
}

/// <summary>
/// The outcome of a width sweep: rows by growing M, the fitted exponents of the RMS deviations (information) and, per statistic,
/// the decision of "measured/predicted → 1 as M → ∞" (<see cref="LimitVerdict"/>).
/// </summary>
public sealed record WidthSweepResult(IReadOnlyList<WidthSweepRow> Rows, double[] Exponents, IReadOnlyList<LimitVerdict> Limits)
{
    public static readonly string[] StatisticNames = ["m_λ", "s_λ", "λ_max"];

    /// <summary>Names of the statistics in claim names.</summary>
    public static readonly string[] ClaimSuffixes = ["mean", "second-moment", "lambda-max"];

    /// <summary>The default false-alarm rate of each limit claim.</summary>
    public const double DefaultAlpha = 1e-3;

    /// <summary>
    /// The finite-size model of the ratios: E[ratio](M) = r∞ + a/M. The dual's entries are averages over the M units of each
    /// layer, so their means carry O(1/M) corrections and their O(M^(−1/2)) fluctuations enter the mean of a smooth function only
    /// at second order, O(1/M); m_λ and s_λ are polynomials in the dual's entries, and the mean of the top C is smooth as long as
    /// the C outliers stay separated from the bulk (they are, by a factor ≥ 2.5 at these widths). Per-trial variance ∝ 1/M.
    /// </summary>
    public static readonly FiniteSizeModel RatioModel = FiniteSizeModel.PowerLaw(1,
        "the dual's entries are averages over M units: O(1/M) bias, fluctuations O(M^(−1/2)) entering smooth statistics at second order");

    /// <summary>No statistic is refuted.</summary>
    public bool NoneRefuted => Limits.All(l => l.Verdict != Verdict.Fail);

    /// <summary>
    /// The decision over rows sorted by growing width: for each statistic the limit of the trials' mean ratio, model
    /// <see cref="RatioModel"/>, FAIL when the interval at <paramref name="alpha"/> excludes 1, UNDERPOWERED when the sweep cannot
    /// detect an error of <paramref name="resolution"/> in the limit with probability 0.9. Claims are named "PREFIX.mean",
    /// "PREFIX.second-moment", "PREFIX.lambda-max".
    /// </summary>
    public static WidthSweepResult Decide(IReadOnlyList<WidthSweepRow> rows, string prefix, double alpha = DefaultAlpha, double resolution = 0.05)
    {
        var xs = rows.Select(r => (double)r.Width).ToArray();
        var exponents = Enumerable.Range(0, 3).Select(i => WidthSweep.LogLogSlope(xs, rows.Select(r => r.RmsDeviations[i]).ToArray())).ToArray();
        var limits = Enumerable.Range(0, 3).Select(i => LimitVerdict.Decide(
            new LimitClaim($"{prefix}.{ClaimSuffixes[i]}", $"measured/predicted {StatisticNames[i]} → 1 as M → ∞", 1, RatioModel, Resolution: resolution),
            rows.Select(r => r.Samples[i]).ToList(), alpha)).ToList();
        return new WidthSweepResult(rows, exponents, limits);
    }
}

/// <summary>
/// Theorem 3.1's statistics against finite-width networks as M grows. Decision rule (an estimate of the limit, never a tuned
/// tolerance): the limit of each statistic's mean ratio measured/predicted, extrapolated through r∞ + a/M
/// (<see cref="WidthSweepResult.RatioModel"/>), must be consistent with 1 at the false-alarm rate, with power to detect an error
/// of the stated resolution (<see cref="WidthSweepResult.Decide"/>). The RMS deviations and their exponents are information.
/// Trial k at width M draws from seed/"width-sweep"/M/k, so any subset of widths reproduces the same numbers.
/// </summary>
public static class WidthSweep
{
    public static WidthSweepResult Run(IActivation activation, NetworkShape shape, IReadOnlyList<int> widths,
        int samples, int outputs, int trials, SeedSequence seed, double alpha = WidthSweepResult.DefaultAlpha, double resolution = 0.05)
    {
        if (widths.Count < 2) throw new ArgumentException("a trend needs at least two widths");
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), "at least one trial is needed");
        var ordered = widths.Order().ToList();
        var measured = ordered.Select(m =>
        {
            var trial = new WidthSweepTrial(activation, shape, m, samples, outputs);
            return (IReadOnlyList<double[]>)Enumerable.Range(0, trials).Select(k => TrialRunner.RunOne(trial, TrialSeed(seed, m, k), k).Measurements).ToList();
        }).ToList();
        return Analyse(activation, shape, ordered, samples, outputs, measured, alpha, resolution);
    }

    /// <summary>Trial k at width M draws from seed/"width-sweep"/M/k.</summary>
    public static SeedSequence TrialSeed(SeedSequence seed, int width, long trial) => seed.Child("width-sweep").Child(width).Child(trial);

    /// <summary>
    /// The sweep's rows and trend decision from the trials' measurements (<see cref="WidthSweepTrial"/>: m_λ, s_λ, top-C mean),
    /// one list per width, widths increasing: what <see cref="Run"/> derives from the trials it runs.
    /// </summary>
    public static WidthSweepResult Analyse(IActivation activation, NetworkShape shape, IReadOnlyList<int> widths, int samples, int outputs,
        IReadOnlyList<IReadOnlyList<double[]>> measured, double alpha = WidthSweepResult.DefaultAlpha, double resolution = 0.05)
    {
        if (widths.Count < 2) throw new ArgumentException("a trend needs at least two widths");
        if (measured.Count != widths.Count || measured.Any(m => m.Count == 0)) throw new ArgumentException("every width needs its trials");
        if (widths.Zip(widths.Skip(1)).Any(w => w.First >= w.Second)) throw new ArgumentException("the widths must increase");
        var op = OrderParameters.Compute(GaussianKernels.For(activation), shape);
        var rows = new List<WidthSweepRow>();
        for (int w = 0; w < widths.Count; w++)
        {
            var predicted = new Predictions(op, widths[w], samples, outputs).Regression();
            var ratios = measured[w].Select(st => new[] { st[0] / predicted.Mean, st[1] / predicted.SecondMoment, st[2] / predicted.LambdaMax }).ToArray();
            rows.Add(WidthSweepRow.FromRatios(widths[w], predicted, ratios));
        }
        return WidthSweepResult.Decide(rows, activation.Name, alpha, resolution);
    }

    /// <summary>Least-squares slope of log y on log x.</summary>
    public static double LogLogSlope(double[] xs, double[] ys)
    {
        var lx = xs.Select(x => Math.Log(x)).ToArray();
        var ly = ys.Select(y => Math.Log(y)).ToArray();
        double mx = lx.Average(), my = ly.Average(), num = 0, den = 0;
        for (int i = 0; i < lx.Length; i++) { num += (lx[i] - mx) * (ly[i] - my); den += (lx[i] - mx) * (lx[i] - mx); }
        return num / den;
    }
}

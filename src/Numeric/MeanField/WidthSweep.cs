using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.MeanField;

/// <summary>Measured/predicted ratios of m_λ, s_λ and λ_max (mean of the top C) at one width, over trials.</summary>
public sealed record WidthSweepRow(int Width, EigenvalueStatistics Predicted, double[] MeanRatios, double[] RmsDeviations)
{
    /// <summary>The row of per-trial ratios (trial × [m, s, λ_max]): their means and RMS deviations from 1.</summary>
    public static WidthSweepRow FromRatios(int width, EigenvalueStatistics predicted, double[][] ratios)
    {
        var means = Enumerable.Range(0, 3).Select(i => ratios.Average(r => r[i])).ToArray();
        var rms = Enumerable.Range(0, 3).Select(i => Math.Sqrt(ratios.Average(r => (r[i] - 1) * (r[i] - 1)))).ToArray();
        return new WidthSweepRow(width, predicted, means, rms);
    }
}

/// <summary>The outcome of a width sweep: rows by growing M, the fitted exponents and the trend decision per statistic.</summary>
public sealed record WidthSweepResult(IReadOnlyList<WidthSweepRow> Rows, double[] Exponents, bool[] Converging)
{
    public static readonly string[] StatisticNames = ["m_λ", "s_λ", "λ_max"];
    public bool AllConverging => Converging.All(c => c);

    /// <summary>The trend decision of <see cref="WidthSweep"/> over rows sorted by growing width.</summary>
    public static WidthSweepResult Decide(IReadOnlyList<WidthSweepRow> rows)
    {
        var xs = rows.Select(r => (double)r.Width).ToArray();
        var exponents = Enumerable.Range(0, 3).Select(i => WidthSweep.LogLogSlope(xs, rows.Select(r => r.RmsDeviations[i]).ToArray())).ToArray();
        var converging = Enumerable.Range(0, 3).Select(i => exponents[i] < 0 && rows[^1].RmsDeviations[i] < rows[0].RmsDeviations[i]).ToArray();
        return new WidthSweepResult(rows, exponents, converging);
    }
}

/// <summary>
/// Theorem 3.1's statistics against finite-width networks as M grows. Decision rule (a trend, never a tuned
/// tolerance): with d(M) the RMS over trials of (measured/predicted − 1), a statistic converges when the
/// least-squares exponent of d on M is negative and d at the largest M is below d at the smallest.
/// Trial k at width M draws from seed/"width-sweep"/M/k, so any subset of widths reproduces the same numbers.
/// </summary>
public static class WidthSweep
{
    public static WidthSweepResult Run(IActivation activation, NetworkShape shape, IReadOnlyList<int> widths,
        int samples, int outputs, int trials, SeedSequence seed)
    {
        if (widths.Count < 2) throw new ArgumentException("a trend needs at least two widths");
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), "at least one trial is needed");
        var ordered = widths.Order().ToList();
        var measured = ordered.Select(m =>
        {
            var trial = new WidthSweepTrial(activation, shape, m, samples, outputs);
            return (IReadOnlyList<double[]>)Enumerable.Range(0, trials).Select(k => TrialRunner.RunOne(trial, TrialSeed(seed, m, k), k).Measurements).ToList();
        }).ToList();
        return Analyse(activation, shape, ordered, samples, outputs, measured);
    }

    /// <summary>Trial k at width M draws from seed/"width-sweep"/M/k.</summary>
    public static SeedSequence TrialSeed(SeedSequence seed, int width, long trial) => seed.Child("width-sweep").Child(width).Child(trial);

    /// <summary>
    /// The sweep's rows and trend decision from the trials' measurements (<see cref="WidthSweepTrial"/>: m_λ, s_λ, top-C mean),
    /// one list per width, widths increasing: what <see cref="Run"/> derives from the trials it runs.
    /// </summary>
    public static WidthSweepResult Analyse(IActivation activation, NetworkShape shape, IReadOnlyList<int> widths, int samples, int outputs,
        IReadOnlyList<IReadOnlyList<double[]>> measured)
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
        return WidthSweepResult.Decide(rows);
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

using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Random;

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
        var op = OrderParameters.Compute(GaussianKernels.For(activation), shape);
        var rows = new List<WidthSweepRow>();
        foreach (int m in widths.Order())
        {
            var predicted = new Predictions(op, m, samples, outputs).Regression();
            var ratios = new double[trials][];
            for (int k = 0; k < trials; k++)
            {
                var trialSeed = seed.Child("width-sweep").Child(m).Child(k);
                var spectrum = FimSpectrumExperiment.Run(activation, shape, m, samples, outputs, FimVariant.Regression, trialSeed)[0];
                var st = spectrum.Statistics(outputs);
                ratios[k] = [st.Mean / predicted.Mean, st.SecondMoment / predicted.SecondMoment, st.LambdaMax / predicted.LambdaMax];
            }
            rows.Add(WidthSweepRow.FromRatios(m, predicted, ratios));
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

using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.MeanField;

/// <summary>One width of the outlier sweep: the trial means of λ_C(F)/λ_(C+1)(F) (the gap), of λ_max(F̄)/λ_C(F) and of λ_max(F̄).</summary>
public sealed record OutlierSeparationRow(int Width, double GapRatio, double MeanSubtractedRatio, double MeanSubtractedLambdaMax);

public sealed record OutlierSeparationResult(double PredictedGap, IReadOnlyList<OutlierSeparationRow> Rows, IReadOnlyList<ClaimDecision> Claims)
{
    /// <summary>No claim is refuted.</summary>
    public bool NoneRefuted => Claims.All(c => c.Verdict != Verdict.Fail);
}

/// <summary>
/// MATH.md §2 at fixed T: the regression FIM has C outliers α((T−1)κ₂ + κ₁)M/T separated from its C(T−1)-fold bulk
/// (αM/T)(κ₁ − κ₂) by the gap g = ((T−1)κ₂ + κ₁)/(κ₁ − κ₂), and mean subtraction in the last layer removes them, leaving the bulk
/// on top: λ_max(F̄)/λ_C(F) → 1/g. Both are limits over growing M, decided by the decision layer (false-alarm rate α each, default
/// 10⁻³): (1) "separated": √(g·λ_(C+1)(F)/λ_C(F)) → 1 and (2) "removed": √(g·λ_max(F̄)/λ_C(F)) → 1, each to the stated resolution
/// on the square root (default 25%). Without separation (λ_(C+1) ≈ λ_C) the first would tend to √g (1.96 for tanh, L = 3, T = 20),
/// and with the outliers left in F̄ the second too: refuted with power ≥ 0.9 whenever √g − 1 exceeds the detectable error, which
/// PASS requires to be within the resolution. The model (<see cref="EdgeModel"/>) is the bulk edge's: both clusters (the C
/// outliers, the C(T−1) bulk) are spread by the dual's O(M^(−1/2)) fluctuations, so λ_C sits at the bottom of one and λ_(C+1)
/// (and λ_max(F̄)) at the top of the other, each expanding in √(T/M). Trial k at width M draws from seed/M/k.
/// </summary>
public static class OutlierSeparationSweep
{
    /// <summary>The edges of the outlier and bulk clusters: the square root of the ratio expands in √(T/M).</summary>
    public static readonly FiniteSizeModel EdgeModel = FiniteSizeModel.Corrections([0.5, 1],
        "λ_C is the bottom of the C-fold outlier cluster, λ_(C+1) and λ_max(F̄) the top of the C(T−1)-fold bulk, both spread by the dual's "
        + "O(M^(−1/2)) fluctuations: at fixed T the square root of their ratio is s∞ + a·M^(−1/2) + b·M^(−1) (the second term of order T/M)");

    /// <summary>The sweep and its decisions; <paramref name="progress"/> counts the networks.</summary>
    public static OutlierSeparationResult Run(IActivation activation, NetworkShape shape, IReadOnlyList<int> widths, int samples, int outputs,
        int trials, SeedSequence seed, IProgress<ProgressStep>? progress = null, double alpha = 1e-3, double resolution = 0.25)
    {
        if (widths.Count < 2) throw new ArgumentException("a trend needs at least two widths");
        if (trials < 2) throw new ArgumentException("standard errors need at least two trials");
        if (samples < 2 || outputs < 1) throw new ArgumentException("the outliers need T ≥ 2 samples and C ≥ 1 outputs");
        var op = OrderParameters.Compute(GaussianKernels.For(activation), shape);
        var prediction = new Predictions(op, widths[0], samples, outputs);
        // The outliers over the bulk: both scale as M/T, so the gap is width-independent.
        double gap = prediction.Regression().LambdaMax / prediction.RegressionBulk();
        var counter = new ProgressCounter(progress, $"FIM outliers ({activation.Name}, L = {shape.Depth}, T = {samples}) at M = {string.Join(", ", widths.Order())}",
            (long)widths.Count * trials);
        var rows = new List<OutlierSeparationRow>();
        var separated = new List<SweepSample>();
        var removed = new List<SweepSample>();
        foreach (int m in widths.Order())
        {
            // One network a core (each trial depends on its index only: the same numbers on any thread count).
            var trial = TrialRunner.Map(trials, k =>
            {
                var dual = FimSpectrumExperiment.Dual(activation, shape, m, samples, outputs, seed.Child(m).Child(k));
                var fisher = dual.Fisher();
                var ev = FimSpectrumExperiment.Spectra(dual, FimVariant.Regression, fisher)[0].EigenvaluesDescending;
                double bar = FimSpectrumExperiment.Spectra(dual, FimVariant.MeanSubtracted, fisher)[0].LambdaMax;
                dual.Backward.Forward.Network.Recycle();
                counter.Advance();
                return (GapRatio: ev[outputs - 1] / ev[outputs], Subtracted: bar / ev[outputs - 1], Bar: bar);
            });
            var gapRatio = trial.Select(x => x.GapRatio).ToArray();
            var subtracted = trial.Select(x => x.Subtracted).ToArray();
            var bars = trial.Select(x => x.Bar).ToArray();
            rows.Add(new OutlierSeparationRow(m, gapRatio.Average(), subtracted.Average(), bars.Average()));
            separated.Add(SweepSample.FromValues(m, gapRatio.Select(r => Math.Sqrt(gap / r)).ToArray()));
            removed.Add(SweepSample.FromValues(m, subtracted.Select(r => Math.Sqrt(gap * r)).ToArray()));
        }

        string List(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)));
        string F(double x) => x.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
        string tag = $"outliers.{activation.Name}.T{samples}";
        var claims = new List<ClaimDecision>
        {
            ClaimDecision.Of(LimitVerdict.Decide(new LimitClaim($"{tag}.separated",
                $"the C = {outputs} outliers separate from the bulk: λ_C(F)/λ_(C+1)(F) → g = ((T−1)κ₂ + κ₁)/(κ₁ − κ₂) = {F(gap)} (decided on √(g·λ_(C+1)/λ_C) → 1)",
                1, EdgeModel, Resolution: resolution), separated, alpha), $"λ_C/λ_(C+1) {List(rows.Select(r => r.GapRatio))}"),
            ClaimDecision.Of(LimitVerdict.Decide(new LimitClaim($"{tag}.removed-by-mean-subtraction",
                $"mean subtraction removes the outliers: λ_max(F̄)/λ_C(F) → 1/g = {F(1 / gap)} (decided on √(g·λ_max(F̄)/λ_C(F)) → 1)",
                1, EdgeModel, Resolution: resolution), removed, alpha), $"λ_max(F̄)/λ_C(F) {List(rows.Select(r => r.MeanSubtractedRatio))}"),
        };
        return new OutlierSeparationResult(gap, rows, claims);
    }
}

using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// The softmax sweep: the width-sweep decision plus, per width, the median and smallest outlier gap λ_{C−1}/λ_C over trials, and
/// over all widths the number of networks whose gap is at most 2 (<see cref="NarrowGaps"/> of <see cref="Networks"/>).
/// </summary>
public sealed record SoftmaxSweepResult(WidthSweepResult Sweep, double[] MedianGapRatios, double[] SmallestGapRatios)
{
    public long NarrowGaps { get; init; }
    public long Networks { get; init; }
}

/// <summary>
/// The softmax cross-entropy FIM F_cross against <see cref="Predictions.Softmax"/> as M grows, each trial's prediction
/// using that network's own Q̄ (the softmax outputs are O(1) random, so eig(Q̄) is measured, not predicted). Decision
/// as in <see cref="WidthSweep"/> (the limit of the mean ratio through r∞ + a/M) for m_λ, s_λ and the mean of the top C − 1
/// eigenvalues. The outliers are O(M) but so
/// is the bulk at fixed T (≈ (αM/T)(κ₁ − κ₂) eig Q_t), so their separation λ_{C−1}/λ_C does not grow with M: it needs
/// κ₂ T μ_{C−1} ≫ (κ₁ − κ₂) max_t λ_max(Q_t), a large-T condition that also depends on the network's own O(1) outputs
/// (a network whose softmax is peaked has a small μ_{C−1}, whatever M), so the gap is reported per width as the median
/// and the smallest over networks for the caller's rule.
/// Trial k at width M uses seed/"softmax-sweep"/M/k.
/// </summary>
public static class SoftmaxWidthSweep
{
    /// <summary>The sweep; <paramref name="progress"/> counts the networks.</summary>
    public static SoftmaxSweepResult Run(IActivation activation, NetworkShape shape, IReadOnlyList<int> widths,
        int samples, int outputs, int trials, SeedSequence seed, IProgress<ProgressStep>? progress = null,
        double alpha = WidthSweepResult.DefaultAlpha, double resolution = 0.05)
    {
        if (widths.Count < 2) throw new ArgumentException("a trend needs at least two widths");
        if (outputs < 2) throw new ArgumentException("softmax needs at least two classes");
        var op = OrderParameters.Compute(GaussianKernels.For(activation), shape);
        var rows = new List<WidthSweepRow>();
        var gaps = new List<double>();
        var medians = new List<double>();
        long narrow = 0;
        var counter = new ProgressCounter(progress, $"softmax networks ({activation.Name}) at M = {string.Join(", ", widths.Order())}", (long)widths.Count * trials);
        foreach (int m in widths.Order())
        {
            var p = new Predictions(op, m, samples, outputs);
            var outcomes = TrialRunner.Map(trials, k =>
            {
                var trialSeed = seed.Child("softmax-sweep").Child(m).Child(k);
                var net = Mlp.Sample(activation, shape, m, outputs, trialSeed);
                var fwd = net.Forward(net.SampleInputs(samples, trialSeed), samples);
                var (dual, prob) = MlpDualGram.Softmax(new MlpDualGram(new MlpBackward(fwd)).Fisher(), fwd.Outputs, outputs, samples);
                var spectrum = MeasuredSpectrum.Of(dual, net.ParameterCount);
                var st = spectrum.Statistics(outputs - 1);
                var predicted = p.Softmax(SoftmaxQStatistics.Of(prob, outputs));
                var top = spectrum.Top(outputs);
                net.Recycle();
                counter.Advance();
                return (Predicted: predicted, Ratios: new[] { st.Mean / predicted.Mean, st.SecondMoment / predicted.SecondMoment, st.LambdaMax / predicted.LambdaMax },
                    Gap: top[outputs - 2] / top[outputs - 1]);
            });
            var predicted = outcomes.Select(o => o.Predicted).ToArray();
            var ratios = outcomes.Select(o => o.Ratios).ToArray();
            var gap = outcomes.Select(o => o.Gap).ToArray();
            var mean = new EigenvalueStatistics(predicted.Average(x => x.Mean), predicted.Average(x => x.SecondMoment), predicted.Average(x => x.LambdaMax));
            rows.Add(WidthSweepRow.FromRatios(m, mean, ratios));
            gaps.Add(gap.Min());
            narrow += gap.Count(g => g <= 2);
            var sorted = gap.Order().ToArray();
            medians.Add(trials % 2 == 1 ? sorted[trials / 2] : (sorted[trials / 2 - 1] + sorted[trials / 2]) / 2);
        }
        return new SoftmaxSweepResult(WidthSweepResult.Decide(rows, $"softmax.{activation.Name}", alpha, resolution), medians.ToArray(), gaps.ToArray())
        {
            NarrowGaps = narrow, Networks = (long)widths.Count * trials,
        };
    }
}

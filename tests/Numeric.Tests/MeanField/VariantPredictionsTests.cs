using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Mlps;
using Xunit;

namespace FimVerify.Numeric.Tests.MeanField;

/// <summary>
/// Predictions' bulk, mean-subtracted, block, input-metric and softmax statistics come from the symbolic layer's
/// derivations (compiled); they must give the numbers of the hand-typed formulas to rounding over random inputs.
/// </summary>
public class VariantPredictionsTests
{
    private static readonly string[] Activations = ["tanh", "relu", "erf", "linear", "leaky-relu:0.2"];

    /// <summary>Random shapes, activations and sizes, seed fixed; every comparison is deterministic (rounding only).</summary>
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 12)];

    private static (OrderParameters Op, int M, int T, int C) Case(int seed)
    {
        var rnd = new System.Random(seed);
        int depth = rnd.Next(2, 6);
        var widths = Enumerable.Range(0, depth).Select(_ => 0.5 + 1.5 * rnd.NextDouble()).ToArray();
        var shape = new NetworkShape(depth, 0.5 + 2.5 * rnd.NextDouble(), 0.05 + 0.5 * rnd.NextDouble(), widths);
        var op = OrderParameters.Compute(GaussianKernels.For(ActivationCatalog.Parse(Activations[seed % Activations.Length])), shape);
        return (op, rnd.Next(50, 3000), rnd.Next(2, 120), rnd.Next(1, 11));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DerivedVariantsGiveTheHandTypedNumbers(int seed)
    {
        var (op, m, t, c) = Case(seed);
        var p = new Predictions(op, m, t, c);
        Near(HandTypedPredictions.RegressionBulk(op, m, t), p.RegressionBulk(), "bulk");
        Near(HandTypedPredictions.RegressionBulk(op, m, t), p.MeanSubtractedLowerBound(), "mean-subtraction lower bound");
        Same(HandTypedPredictions.MeanSubtracted(op, m, t, c), p.MeanSubtracted(), "mean-subtracted");
        Same(HandTypedPredictions.InputMetric(op, m, t, c), p.InputMetric(), "input metric");
        Same(HandTypedPredictions.NtkMeanSubtracted(op, t), p.NtkMeanSubtracted(), "NTK mean-subtracted");
        for (int l = 1; l <= op.Depth; l++) Same(HandTypedPredictions.Block(op, l, m, t, c), p.Block(l), $"block {l} of {op.Depth}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DerivedSoftmaxGivesTheHandTypedNumbers(int seed)
    {
        var (op, m, t, c) = Case(seed);
        c = Math.Max(2, c);
        var rnd = new System.Random(1000 + seed);
        // Softmax probabilities of random logits (row t is g_t).
        var g = new double[t * c];
        for (int s = 0; s < t; s++)
        {
            var logits = Enumerable.Range(0, c).Select(_ => 2 * rnd.NextDouble() - 1).ToArray();
            double z = logits.Sum(x => Math.Exp(x));
            for (int k = 0; k < c; k++) g[s * c + k] = Math.Exp(logits[k]) / z;
        }
        var q = SoftmaxQStatistics.Of(g, c);
        Same(HandTypedPredictions.Softmax(op, m, t, c, q), new Predictions(op, m, t, c).Softmax(q), "softmax");
    }

    [Fact]
    public void DepthOneHasOnlyTheOutputBlockAndTheInputMetric()
    {
        var op = OrderParameters.Compute(GaussianKernels.For(new Tanh()), new NetworkShape(1, 1.5, 0.1, [1.3]));
        var p = new Predictions(op, 200, 10, 3);
        Same(HandTypedPredictions.Block(op, 1, 200, 10, 3), p.Block(1), "F_11 at depth 1 (the output layer, M_1 = C)");
        Same(HandTypedPredictions.InputMetric(op, 200, 10, 3), p.InputMetric(), "input metric at depth 1");
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Block(2));
        Assert.Throws<ArgumentException>(() => p.MeanSubtracted());
    }

    private static void Same(EigenvalueStatistics expected, EigenvalueStatistics actual, string what)
    {
        Near(expected.Mean, actual.Mean, what + " m");
        Near(expected.SecondMoment, actual.SecondMoment, what + " s");
        Near(expected.LambdaMax, actual.LambdaMax, what + " λ_max");
    }

    private static void Near(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-13 * Math.Abs(expected), $"{what}: hand-typed {expected:R}, compiled symbolic {actual:R}");
}

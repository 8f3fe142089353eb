using FimVerify.Numeric.Data;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.Classifiers;

/// <summary>Small classifiers and data sets the model and Fisher tests share.</summary>
internal static class SmallClassifier
{
    public static (SoftmaxClassifier Model, ClassificationSet Data) Make(int[] hidden, HiddenActivation activation, int count = 6, int d = 3, int classes = 3, long seed = 11)
    {
        var s = SeedSequence.FromSeed(seed);
        var data = GaussianMixture.Generate(count, d, classes, 2.0, s.Child("data"));
        var model = SoftmaxClassifier.Initialize([d, .. hidden, classes], activation, s.Child("model"));
        // Non-zero biases so that the bias paths are exercised.
        var sampler = s.Child("biases").CreateSampler();
        for (int l = 0; l < model.LayerCount; l++) sampler.FillGaussian(model.Biases(l), 0.3);
        return (model, data);
    }

    /// <summary>log p(y | x_n; θ) recomputed from scratch, for finite differences.</summary>
    public static double LogProbability(SoftmaxClassifier model, ClassificationSet data, int n, int y) =>
        Math.Log(model.Forward(data.Input(n), 1).Probabilities[y]);

    /// <summary>∇_θ log p(y | x_n) by central differences (h = 1e-6): evidence independent of JVP/VJP.</summary>
    public static double[] GradientByDifferences(SoftmaxClassifier model, ClassificationSet data, int n, int y)
    {
        var g = new double[model.ParameterCount];
        const double h = 1e-6;
        for (int i = 0; i < g.Length; i++)
        {
            double keep = model.Parameters[i];
            model.Parameters[i] = keep + h; double up = LogProbability(model, data, n, y);
            model.Parameters[i] = keep - h; double down = LogProbability(model, data, n, y);
            model.Parameters[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }
}

public class SoftmaxClassifierTests
{
    [Theory]
    [InlineData(HiddenActivation.Tanh)]
    [InlineData(HiddenActivation.Relu)]
    public void JvpMatchesFiniteDifferencesOfTheLogits(HiddenActivation activation)
    {
        var (model, data) = SmallClassifier.Make([5, 4], activation);
        var v = new double[model.ParameterCount];
        SeedSequence.FromSeed(3).CreateSampler().FillGaussian(v);
        var pass = model.Forward(data.Features, data.Count);
        var jv = new double[data.Count * model.Classes];
        model.Jvp(pass, v, jv);
        const double h = 1e-6;
        var plus = model.Clone(); var minus = model.Clone();
        for (int i = 0; i < v.Length; i++) { plus.Parameters[i] += h * v[i]; minus.Parameters[i] -= h * v[i]; }
        var up = plus.Forward(data.Features, data.Count).Logits;
        var down = minus.Forward(data.Features, data.Count).Logits;
        for (int k = 0; k < jv.Length; k++) Assert.Equal((up[k] - down[k]) / (2 * h), jv[k], 6);
    }

    [Fact]
    public void VjpIsTheAdjointOfJvp()
    {
        var (model, data) = SmallClassifier.Make([7, 5], HiddenActivation.Tanh, count: 9);
        var sampler = SeedSequence.FromSeed(5).CreateSampler();
        var v = new double[model.ParameterCount]; sampler.FillGaussian(v);
        var g = new double[data.Count * model.Classes]; sampler.FillGaussian(g);
        var pass = model.Forward(data.Features, data.Count);
        var jv = new double[g.Length]; model.Jvp(pass, v, jv);
        var jtg = new double[v.Length]; model.Vjp(pass, g, jtg);
        double left = FimVerify.Numeric.Kernels.Dot.ProductScalar(g, jv), right = FimVerify.Numeric.Kernels.Dot.ProductScalar(jtg, v);
        Assert.True(Math.Abs(left - right) <= 1e-12 * Math.Max(1, Math.Abs(left)), $"⟨g, Jv⟩ = {left}, ⟨Jᵀg, v⟩ = {right}");
    }

    [Fact]
    public void VjpOfALayerRangeWritesOnlyThoseLayers()
    {
        // Layers lowest..highest of a 3-set VJP equal the full VJP's bit for bit; every other entry is left as it was.
        var (model, data) = SmallClassifier.Make([7, 5], HiddenActivation.Tanh, count: 9);
        const int directions = 3;
        int p = model.ParameterCount;
        var g = new double[data.Count * directions * model.Classes];
        SeedSequence.FromSeed(6).CreateSampler().FillGaussian(g);
        var pass = model.Forward(data.Features, data.Count);
        var full = new double[directions * p];
        model.Vjp(pass, g, directions, full);
        foreach (var (lowest, highest) in new[] { (0, 0), (1, 1), (2, 2), (0, 1), (1, 2) })
        {
            var partial = Enumerable.Repeat(double.NaN, directions * p).ToArray();
            model.Vjp(pass, g, directions, partial, lowest, highest);
            int from = model.LayerBlock(lowest).Offset, to = model.LayerBlock(highest).Offset + model.LayerBlock(highest).Length;
            for (int d = 0; d < directions; d++)
                for (int i = 0; i < p; i++)
                    if (i >= from && i < to) Assert.Equal(full[d * p + i], partial[d * p + i]);
                    else Assert.True(double.IsNaN(partial[d * p + i]), $"layers {lowest}..{highest}: entry {i} outside them was written");
        }
    }

    [Theory]
    [InlineData(FisherKind.Exact)]
    [InlineData(FisherKind.MonteCarlo)]
    [InlineData(FisherKind.Empirical)]
    public void FisherOperatorMatchesOuterProductsOfFiniteDifferenceScores(FisherKind kind)
    {
        var (model, data) = SmallClassifier.Make([4], HiddenActivation.Tanh, count: 5);
        var seed = SeedSequence.FromSeed(9);
        const int m = 3;
        var op = ClassifierFisher.Create(model, data.Features, data.Labels, kind, FisherBlocks.Full, m, seed);
        var fast = op.Materialize();
        int p = model.ParameterCount;
        var reference = new double[p * p];
        var probs = model.Forward(data.Features, data.Count).Probabilities;
        for (int n = 0; n < data.Count; n++)
        {
            // (label, weight) pairs whose score outer products make up this input's term.
            var terms = new List<(int Y, double W)>();
            var pn = probs.AsSpan(n * model.Classes, model.Classes).ToArray();
            if (kind == FisherKind.Exact) for (int y = 0; y < model.Classes; y++) terms.Add((y, pn[y]));
            else if (kind == FisherKind.Empirical) terms.Add((data.Labels[n], 1));
            else
            {
                var sampler = seed.Child("fisher-mc-labels").Child(n).CreateSampler();
                for (int s = 0; s < m; s++) terms.Add((OutputCurvature.SampleCategorical(pn, sampler.NextUniform()), 1.0 / m));
            }
            foreach (var (y, w) in terms)
            {
                var g = SmallClassifier.GradientByDifferences(model, data, n, y);
                for (int i = 0; i < p; i++)
                    for (int j = 0; j < p; j++) reference[i * p + j] += w * g[i] * g[j] / data.Count;
            }
        }
        double scale = reference.Max(Math.Abs);
        for (int k = 0; k < reference.Length; k++) Assert.True(Math.Abs(fast.Data[k] - reference[k]) <= 1e-7 * scale, $"entry {k}: {fast.Data[k]} vs {reference[k]}");
        Assert.True(fast.MaxAsymmetry() <= 1e-13 * scale);
    }

    [Theory]
    [InlineData(FisherKind.Exact)]
    [InlineData(FisherKind.Empirical)]
    public void LayerWiseFisherIsTheBlockDiagonalOfTheFullOne(FisherKind kind)
    {
        var (model, data) = SmallClassifier.Make([5, 4], HiddenActivation.Relu, count: 8);
        var seed = SeedSequence.FromSeed(1);
        var full = ClassifierFisher.Create(model, data.Features, data.Labels, kind, FisherBlocks.Full, 1, seed).Materialize();
        var wise = ClassifierFisher.Create(model, data.Features, data.Labels, kind, FisherBlocks.LayerWise, 1, seed);
        var blocks = wise.Materialize();
        int[] layerOf = new int[model.ParameterCount];
        for (int l = 0; l < model.LayerCount; l++) { var (o, len) = model.LayerBlock(l); for (int i = o; i < o + len; i++) layerOf[i] = l; }
        double scale = full.Data.Max(Math.Abs);
        for (int i = 0; i < full.N; i++)
            for (int j = 0; j < full.N; j++)
            {
                double expected = layerOf[i] == layerOf[j] ? full[i, j] : 0;
                Assert.True(Math.Abs(blocks[i, j] - expected) <= 1e-13 * scale, $"({i}, {j}): {blocks[i, j]} vs {expected}");
            }
    }

    [Fact]
    public void SeededSgdLowersTheLossOnASeparableMixture()
    {
        var s = SeedSequence.FromSeed(4);
        var data = GaussianMixture.Generate(400, 8, 4, 6.0, s.Child("data"));
        var model = SoftmaxClassifier.Initialize([8, 16, 4], HiddenActivation.Relu, s.Child("model"));
        var r = SgdTraining.Train(model, data, new SgdSettings(5, 20, 0.1), s.Child("sgd"));
        var again = SoftmaxClassifier.Initialize([8, 16, 4], HiddenActivation.Relu, s.Child("model"));
        var r2 = SgdTraining.Train(again, data, new SgdSettings(5, 20, 0.1), s.Child("sgd"));
        Assert.Equal(model.Parameters, again.Parameters); // same seed, same weights, bit for bit
        Assert.Equal(100, r.Steps);
        Assert.True(r.FinalLoss < 0.5 * r.InitialLoss, $"loss {r.InitialLoss} → {r.FinalLoss}");
        Assert.True(r.FinalAccuracy > 0.8, $"accuracy {r.FinalAccuracy} (chance 0.25)");
        Assert.Equal(r.FinalLoss, r2.FinalLoss);
    }
}

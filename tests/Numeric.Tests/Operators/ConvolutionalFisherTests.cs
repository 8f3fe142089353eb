using FimVerify.Numeric.Data;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Tests.Classifiers.Convolutional;
using Xunit;

namespace FimVerify.Numeric.Tests.Operators;

/// <summary>The Fisher operators and K-FAC on convolutional classifiers, against the naive reference network.</summary>
public class ConvolutionalFisherTests
{
    // Two max-pooled convolutions (the pooled path, above the first layer too), an average-pooling and a dense layer: 10×10×2 →
    // 5×5×2 → 4×4×2 → 3×3×3 → 2×2×3 → 1×1×3 → 4 → 3 classes, P = 96.
    private const string Architecture = "conv2k3s2p1,relu,maxpool2s1,conv3k2,tanh,maxpool2s1,avgpool2,dense4,relu";
    private static readonly ImageShape Image = new(10, 10, 2);

    /// <summary>Each Fisher on each product path: matrix-free, and through the head Jacobian.</summary>
    public static readonly TheoryData<FisherKind, bool> KindsBothPaths = new()
    {
        { FisherKind.Exact, false }, { FisherKind.MonteCarlo, false }, { FisherKind.Empirical, false },
        { FisherKind.Exact, true }, { FisherKind.MonteCarlo, true }, { FisherKind.Empirical, true },
    };

    [Theory]
    [MemberData(nameof(KindsBothPaths))]
    public void FisherIsTheAverageOfScoreOuterProductsFromTheReference(FisherKind kind, bool headJacobian)
    {
        // F = (1/N) Σ_n Σ_(y, w) w·s sᵀ, s = ∇_θ log p(y | x_n) = Jᵀ(e_y − p) by the naive reverse mode (itself checked against
        // finite differences), with the label weights of each Fisher: p_y for every class, 1/m per sampled label, the data label.
        var (model, data) = SmallCnn.Make(Architecture, Image, count: 5, chunk: 2, headJacobian: headJacobian);
        Assert.Equal(headJacobian, model.Shape.UsesHeadJacobian(data.Count));
        var seed = SeedSequence.FromSeed(9);
        const int m = 3;
        var fast = ClassifierFisher.Create(model, data.Features, data.Labels, kind, FisherBlocks.Full, m, seed).Materialize();
        var reference = SmallCnn.Reference(model);
        int p = model.ParameterCount, c = model.Classes;
        var expected = new double[p * p];
        for (int n = 0; n < data.Count; n++)
        {
            var values = reference.Forward(data.Input(n));
            var probabilities = new double[c];
            SoftmaxOutput.Probabilities(values[^1].V, probabilities, c);
            var terms = new List<(int Y, double W)>();
            if (kind == FisherKind.Exact) for (int y = 0; y < c; y++) terms.Add((y, probabilities[y]));
            else if (kind == FisherKind.Empirical) terms.Add((data.Labels[n], 1));
            else
            {
                var sampler = seed.Child("fisher-mc-labels").Child(n).CreateSampler();
                for (int s = 0; s < m; s++) terms.Add((OutputCurvature.SampleCategorical(probabilities, sampler.NextUniform()), 1.0 / m));
            }
            foreach (var (y, w) in terms)
            {
                var residual = probabilities.Select((q, j) => q - (j == y ? 1 : 0)).ToArray();
                var (_, score) = reference.Backward(values, residual);
                for (int i = 0; i < p; i++)
                    for (int j = 0; j < p; j++) expected[i * p + j] += w * score[i] * score[j] / data.Count;
            }
        }
        SmallCnn.AssertClose(expected, fast.Data, 1e-12, $"{kind} Fisher vs reference scores");
    }

    [Theory]
    [MemberData(nameof(KindsBothPaths))]
    public void LayerWiseIsTheBlockDiagonalAndBlockProductsEqualSingleOnes(FisherKind kind, bool headJacobian)
    {
        var (model, data) = SmallCnn.Make(Architecture, Image, count: 9, chunk: 4, headJacobian: headJacobian);
        var seed = SeedSequence.FromSeed(1);
        var full = ClassifierFisher.Create(model, data.Features, data.Labels, kind, FisherBlocks.Full, 2, seed);
        var wise = ClassifierFisher.Create(model, data.Features, data.Labels, kind, FisherBlocks.LayerWise, 2, seed);
        var dense = full.Materialize();
        var blocks = wise.Materialize();
        var layerOf = new int[model.ParameterCount];
        for (int l = 0; l < model.LayerCount; l++) { var (o, len) = model.LayerBlock(l); Array.Fill(layerOf, l, o, len); }
        var expected = new double[dense.Data.Length];
        for (int i = 0; i < dense.N; i++)
            for (int j = 0; j < dense.N; j++) expected[i * dense.N + j] = layerOf[i] == layerOf[j] ? dense[i, j] : 0;
        SmallCnn.AssertClose(expected, blocks.Data, 1e-13, $"layer-wise {kind} Fisher vs the blocks of the full one");
        BlockProducts.AssertBlockEqualsSingles(full, 7, 4);
        BlockProducts.AssertBlockEqualsSingles(wise, 7, 5);
    }

    [Fact]
    public void TheHeadJacobianIsEachInputsLogitGradientFromTheReference()
    {
        // Row (n, c) of the head Jacobian is ∇_θ z_c(x_n) over the head's parameters: the naive reverse mode of the unit cotangent e_c.
        var (model, data) = SmallCnn.Make(Architecture, Image, count: 5, chunk: 2, headJacobian: true);
        var pass = SmallCnn.Pass(model, data, prepared: true);
        int ph = model.Shape.HeadParameters, c = model.Classes;
        Assert.Equal(model.LayerBlock(2).Offset, ph); // the two convolutions are the head, the dense layers the tail
        var reference = SmallCnn.Reference(model);
        var expected = new double[data.Count * c * ph];
        for (int n = 0; n < data.Count; n++)
        {
            var values = reference.Forward(data.Input(n));
            for (int j = 0; j < c; j++)
            {
                var unit = new double[c];
                unit[j] = 1;
                reference.Backward(values, unit).Gradient.AsSpan(0, ph).CopyTo(expected.AsSpan((n * c + j) * ph, ph));
            }
        }
        SmallCnn.AssertClose(expected, pass.HeadJacobian, 1e-12, "head Jacobian vs reference gradients");
    }

    [Theory]
    [InlineData(FisherBlocks.Full)]
    [InlineData(FisherBlocks.LayerWise)]
    public void TheHeadJacobianDoesNotChangeTheOperator(FisherBlocks blocks)
    {
        var (viaJacobian, data) = SmallCnn.Make(Architecture, Image, count: 9, chunk: 4, headJacobian: true);
        var (matrixFree, _) = SmallCnn.Make(Architecture, Image, count: 9, chunk: 4, headJacobian: false);
        var a = ClassifierFisher.Create(viaJacobian, data.Features, data.Labels, FisherKind.Exact, blocks, 1, SeedSequence.FromSeed(1)).Materialize();
        var b = ClassifierFisher.Create(matrixFree, data.Features, data.Labels, FisherKind.Exact, blocks, 1, SeedSequence.FromSeed(1)).Materialize();
        SmallCnn.AssertClose(b.Data, a.Data, 1e-13, $"{blocks}: head Jacobian vs matrix-free");
    }

    [Fact]
    public void TheChunkSizeDoesNotChangeTheOperator()
    {
        var (chunked, data) = SmallCnn.Make(Architecture, Image, count: 9, chunk: 2);
        var (whole, _) = SmallCnn.Make(Architecture, Image, count: 9);
        Assert.True(whole.Shape.ChunkImages >= 9 && whole.Shape.TailChunkImages >= 9);
        var a = ClassifierFisher.Create(chunked, data.Features, data.Labels, FisherKind.Exact, FisherBlocks.Full, 1, SeedSequence.FromSeed(1)).Materialize();
        var b = ClassifierFisher.Create(whole, data.Features, data.Labels, FisherKind.Exact, FisherBlocks.Full, 1, SeedSequence.FromSeed(1)).Materialize();
        SmallCnn.AssertClose(b.Data, a.Data, 1e-13, "chunks of 2 vs one chunk");
    }

    [Theory]
    [InlineData(FisherKind.Exact)]
    [InlineData(FisherKind.MonteCarlo)]
    [InlineData(FisherKind.Empirical)]
    public void KfacForConvolutionsIsItsDefinitionExactly(FisherKind curvature)
    {
        // KFC written out from the reference network: A_l = (1/N) Σ_n Σ_t ā_{n,t} ā_{n,t}ᵀ over the patches (with a trailing 1)
        // at every output location t, G_l = (1/(N·T_l)) Σ_n Σ_t Σ_k δ_{n,t,k} δ_{n,t,k}ᵀ with δ the reference's cotangent of
        // layer l's output for factor f_{n,k} of H_n; the operator's product is A_l ⊗ G_l entry by entry.
        var (model, data) = SmallCnn.Make(Architecture, Image, count: 5, chunk: 2);
        var seed = SeedSequence.FromSeed(2);
        var op = KroneckerFactoredFisher.Create(model, data.Features, data.Labels, curvature, 2, seed);
        var reference = SmallCnn.Reference(model);
        var curvatureFactors = OutputCurvature.For(curvature, model.Forward(data.Features, data.Count).Probabilities, model.Classes, data.Labels, 2, seed);
        var linear = reference.LinearLayers;
        int n = data.Count, rank = curvatureFactors.Rank, c = model.Classes;
        for (int l = 0; l < model.LayerCount; l++)
        {
            var stage = model.Shape.LinearStages[l];
            var a = new SymmetricMatrix(stage.PatchSize + 1);
            var g = new SymmetricMatrix(stage.Channels);
            for (int x = 0; x < n; x++)
            {
                var values = reference.Forward(data.Input(x));
                var input = values[linear[l]];
                var output = values[linear[l] + 1];
                for (int oy = 0; oy < output.H; oy++)
                    for (int ox = 0; ox < output.W; ox++)
                    {
                        var patch = reference.AugmentedPatch(linear[l], input, oy, ox);
                        for (int i = 0; i < patch.Length; i++)
                            for (int j = 0; j < patch.Length; j++) a[i, j] += patch[i] * patch[j] / n;
                    }
                for (int k = 0; k < rank; k++)
                {
                    var (cotangents, _) = reference.Backward(values, curvatureFactors.Factors.Slice((x * rank + k) * c, c));
                    var delta = cotangents[linear[l] + 1];
                    for (int oy = 0; oy < delta.H; oy++)
                        for (int ox = 0; ox < delta.W; ox++)
                            for (int i = 0; i < delta.C; i++)
                                for (int j = 0; j < delta.C; j++) g[i, j] += delta[oy, ox, i] * delta[oy, ox, j] / (n * stage.Locations);
                }
            }
            SmallCnn.AssertClose(a.Data, op.InputFactors[l].Data, 1e-13, $"A_{l}");
            SmallCnn.AssertClose(g.Data, op.OutputFactors[l].Data, 1e-12, $"G_{l}");
        }
        var kronecker = new SymmetricMatrix(op.Dimension);
        for (int l = 0; l < op.LayerCount; l++)
        {
            var (offset, _) = op.LayerBlock(l);
            var (a, g) = (op.InputFactors[l], op.OutputFactors[l]);
            for (int i = 0; i < a.N; i++)
                for (int i2 = 0; i2 < a.N; i2++)
                    for (int j = 0; j < g.N; j++)
                        for (int j2 = 0; j2 < g.N; j2++) kronecker[offset + i * g.N + j, offset + i2 * g.N + j2] = a[i, i2] * g[j, j2];
        }
        SmallCnn.AssertClose(kronecker.Data, op.Materialize().Data, 1e-13, "K-FAC product vs A ⊗ G");
        BlockProducts.AssertBlockEqualsSingles(op, 5, 3);
    }

    [Fact]
    public void KfacOfConvolutionsIsAnApproximation()
    {
        // The definition check above can fail: K-FAC drops the cross-location and input-to-input variation of each block.
        var (model, data) = SmallCnn.Make(Architecture, Image, count: 12);
        var seed = SeedSequence.FromSeed(7);
        var kfac = KroneckerFactoredFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, 1, seed).Materialize();
        var exact = ClassifierFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, FisherBlocks.LayerWise, 1, seed).Materialize();
        double scale = exact.Data.Max(Math.Abs), worst = exact.Data.Zip(kfac.Data, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(worst > 1e-3 * scale, $"largest difference {worst:G3} of {scale:G3}");
    }

    [Fact]
    public void ADenseOnlyNetworkHasTheMlpsFishersAndKfac()
    {
        var (cnn, mlp, data) = SmallCnn.DenseTwins(HiddenActivation.Tanh, 15);
        var seed = SeedSequence.FromSeed(5);
        Assert.Equal(mlp.Parameters, cnn.Parameters);
        foreach (var blocks in new[] { FisherBlocks.Full, FisherBlocks.LayerWise })
            SmallCnn.AssertClose(
                ClassifierFisher.Create(mlp, data.Features, data.Labels, FisherKind.Exact, blocks, 1, seed).Materialize().Data,
                ClassifierFisher.Create(cnn, data.Features, data.Labels, FisherKind.Exact, blocks, 1, seed).Materialize().Data, 1e-13, $"{blocks} Fisher");
        SmallCnn.AssertClose(
            KroneckerFactoredFisher.Create(mlp, data.Features, data.Labels, FisherKind.Exact, 1, seed).Materialize().Data,
            KroneckerFactoredFisher.Create(cnn, data.Features, data.Labels, FisherKind.Exact, 1, seed).Materialize().Data, 1e-13, "K-FAC");
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Tests.Classifiers;
using Xunit;

namespace FimVerify.Numeric.Tests.Operators;

public class ClassifierFisherBlockTests
{
    [Theory]
    [InlineData(FisherKind.Exact, FisherBlocks.Full)]
    [InlineData(FisherKind.Exact, FisherBlocks.LayerWise)]
    [InlineData(FisherKind.MonteCarlo, FisherBlocks.Full)]
    [InlineData(FisherKind.MonteCarlo, FisherBlocks.LayerWise)]
    [InlineData(FisherKind.Empirical, FisherBlocks.Full)]
    [InlineData(FisherKind.Empirical, FisherBlocks.LayerWise)]
    public void BlockProductEqualsOneProductPerVector(FisherKind kind, FisherBlocks blocks)
    {
        // Two hidden layers so that tangents pass through a hidden-to-hidden GEMM; 7 vectors, a ragged count.
        var (model, data) = SmallClassifier.Make([9, 6], HiddenActivation.Tanh, count: 23, d: 5, classes: 4);
        var op = ClassifierFisher.Create(model, data.Features, data.Labels, kind, blocks, 2, SeedSequence.FromSeed(3));
        BlockProducts.AssertBlockEqualsSingles(op, 7, 4);
    }

    [Fact]
    public void BlockJacobianProductsAreAdjoint()
    {
        // ⟨g_k, J v_k⟩ = ⟨Jᵀ g_k, v_k⟩ for each of 3 directions in the (input, direction)-major layout.
        var (model, data) = SmallClassifier.Make([7, 5], HiddenActivation.Relu, count: 11);
        var sampler = SeedSequence.FromSeed(6).CreateSampler();
        int p = model.ParameterCount, directions = 3, c = model.Classes;
        var v = new double[directions * p]; sampler.FillGaussian(v);
        var g = new double[data.Count * directions * c]; sampler.FillGaussian(g);
        var pass = model.Forward(data.Features, data.Count);
        var jv = new double[g.Length]; model.Jvp(pass, v, directions, jv);
        var jtg = new double[v.Length]; model.Vjp(pass, g, directions, jtg);
        for (int k = 0; k < directions; k++)
        {
            double left = 0, right = 0;
            for (int n = 0; n < data.Count; n++)
                for (int j = 0; j < c; j++) left += g[(n * directions + k) * c + j] * jv[(n * directions + k) * c + j];
            for (int i = 0; i < p; i++) right += jtg[k * p + i] * v[k * p + i];
            Assert.True(Math.Abs(left - right) <= 1e-12 * Math.Max(1, Math.Abs(left)), $"direction {k}: ⟨g, Jv⟩ = {left}, ⟨Jᵀg, v⟩ = {right}");
        }
    }

    [Fact]
    public void LockstepLanczosOnAFisherGivesEachProbeTheCoefficientsItGetsAlone()
    {
        // Block products equal single ones to the last bit, so SLQ's rules do not depend on how probes are grouped.
        var (model, data) = SmallClassifier.Make([8], HiddenActivation.Relu, count: 30, d: 6, classes: 3);
        var op = ClassifierFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, FisherBlocks.Full, 1, SeedSequence.FromSeed(1));
        int n = op.Dimension, count = 5;
        var starts = new double[count * n];
        SeedSequence.FromSeed(2).CreateSampler().FillGaussian(starts);
        var together = LanczosSolver.Tridiagonalise(op, starts, count, 25);
        for (int c = 0; c < count; c++)
        {
            var alone = LanczosSolver.Tridiagonalise(op, starts.AsSpan(c * n, n), 25);
            Assert.Equal(alone.Alpha, together[c].Alpha);
            Assert.Equal(alone.Beta, together[c].Beta);
        }
    }
}

using FimVerify.Numeric.Data;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Tests.Classifiers;
using Xunit;

namespace FimVerify.Numeric.Tests.Operators;

public class KroneckerFactoredFisherTests
{
    private static void AssertClose(SymmetricMatrix expected, SymmetricMatrix actual, double relative, string what)
    {
        double scale = expected.Data.Max(Math.Abs);
        Assert.True(scale > 0, $"{what}: the reference is zero");
        for (int k = 0; k < expected.Data.Length; k++)
            Assert.True(Math.Abs(actual.Data[k] - expected.Data[k]) <= relative * scale, $"{what}, entry {k}: {actual.Data[k]:R} vs {expected.Data[k]:R}");
    }

    /// <summary>The dense K-FAC matrix written out entry by entry: block l has entries A_l[i, i']·G_l[j, j'] at (i·fan-out + j, i'·fan-out + j').</summary>
    private static SymmetricMatrix Kronecker(KroneckerFactoredFisher op)
    {
        var m = new SymmetricMatrix(op.Dimension);
        for (int l = 0; l < op.LayerCount; l++)
        {
            var (offset, _) = op.LayerBlock(l);
            var a = op.InputFactors[l];
            var g = op.OutputFactors[l];
            for (int i = 0; i < a.N; i++)
                for (int i2 = 0; i2 < a.N; i2++)
                    for (int j = 0; j < g.N; j++)
                        for (int j2 = 0; j2 < g.N; j2++) m[offset + i * g.N + j, offset + i2 * g.N + j2] = a[i, i2] * g[j, j2];
        }
        return m;
    }

    [Theory]
    [InlineData(FisherKind.Exact)]
    [InlineData(FisherKind.MonteCarlo)]
    [InlineData(FisherKind.Empirical)]
    public void ProductEqualsTheDenseKroneckerMatrixAndBlockProductsAgree(FisherKind curvature)
    {
        var (model, data) = SmallClassifier.Make([6, 5], HiddenActivation.Tanh, count: 17, d: 4, classes: 3);
        var op = KroneckerFactoredFisher.Create(model, data.Features, data.Labels, curvature, 2, SeedSequence.FromSeed(2));
        Assert.Equal(model.ParameterCount, op.Dimension);
        var dense = op.Materialize();
        AssertClose(Kronecker(op), dense, 1e-13, "A ⊗ G");
        Assert.True(dense.MaxAsymmetry() <= 1e-14 * dense.Data.Max(Math.Abs));
        BlockProducts.AssertBlockEqualsSingles(op, 4, 3);
    }

    [Fact]
    public void EigenvaluesAreTheProductsOfTheFactorsEigenvalues()
    {
        var (model, data) = SmallClassifier.Make([5], HiddenActivation.Relu, count: 20, d: 4, classes: 3);
        var op = KroneckerFactoredFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, 1, SeedSequence.FromSeed(1));
        var products = new List<double>();
        for (int l = 0; l < op.LayerCount; l++)
        {
            var a = DenseSymmetricEigen.Eigenvalues(op.InputFactors[l]);
            var g = DenseSymmetricEigen.Eigenvalues(op.OutputFactors[l]);
            products.AddRange(a.SelectMany(x => g.Select(y => x * y)));
        }
        var expected = products.Order().ToArray();
        var actual = DenseSymmetricEigen.Eigenvalues(op.Materialize());
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-12 * expected[^1], $"λ_{k}: {actual[k]:R} vs {expected[k]:R}");
    }

    [Theory]
    [InlineData(FisherKind.Exact)]
    [InlineData(FisherKind.MonteCarlo)]
    [InlineData(FisherKind.Empirical)]
    public void OneInputMakesKfacTheExactLayerWiseFisher(FisherKind curvature)
    {
        // With N = 1, F_ll = (ā āᵀ) ⊗ (Σ_k δ_k δ_kᵀ) is a Kronecker product itself, so the average of products is the product of averages.
        var (model, data) = SmallClassifier.Make([6, 4], HiddenActivation.Tanh, count: 1, d: 5, classes: 4);
        var seed = SeedSequence.FromSeed(7);
        var kfac = KroneckerFactoredFisher.Create(model, data.Features, data.Labels, curvature, 3, seed).Materialize();
        var exact = ClassifierFisher.Create(model, data.Features, data.Labels, curvature, FisherBlocks.LayerWise, 3, seed).Materialize();
        AssertClose(exact, kfac, 1e-12, $"K-FAC vs layer-wise {curvature} Fisher, N = 1");
    }

    [Fact]
    public void SoftmaxRegressionAtZeroWeightsMakesKfacExactForManyInputs()
    {
        // No hidden layer and θ = 0: every input predicts the uniform distribution, so H_n = diag(p) − ppᵀ is the same
        // for all n and F = (1/N) Σ ā_n ā_nᵀ ⊗ H = A ⊗ G exactly, however different the inputs are.
        var data = GaussianMixture.Generate(40, 6, 4, 2.0, SeedSequence.FromSeed(3));
        var model = new SoftmaxClassifier([6, 4], HiddenActivation.Relu, new double[SoftmaxClassifier.CountParameters([6, 4])]);
        var kfac = KroneckerFactoredFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, 1, SeedSequence.FromSeed(1)).Materialize();
        var exact = ClassifierFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, FisherBlocks.Full, 1, SeedSequence.FromSeed(1)).Materialize();
        AssertClose(exact, kfac, 1e-12, "K-FAC vs exact Fisher of softmax regression at θ = 0");
    }

    [Fact]
    public void ManyInputsThroughAHiddenLayerMakeKfacAnApproximation()
    {
        // The check above can fail: away from those cases K-FAC differs from the layer-wise Fisher by far more than rounding.
        var (model, data) = SmallClassifier.Make([6], HiddenActivation.Tanh, count: 30, d: 5, classes: 4);
        var seed = SeedSequence.FromSeed(7);
        var kfac = KroneckerFactoredFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, 1, seed).Materialize();
        var exact = ClassifierFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, FisherBlocks.LayerWise, 1, seed).Materialize();
        double scale = exact.Data.Max(Math.Abs), worst = exact.Data.Zip(kfac.Data, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(worst > 1e-3 * scale, $"largest difference {worst:G3} of {scale:G3}");
        // It stays block-diagonal: layer 1's rows have zeros in layer 0's columns.
        var (offset, length) = model.LayerBlock(1);
        for (int i = offset; i < offset + length; i++) Assert.Equal(0.0, kfac[i, 0]);
    }
}

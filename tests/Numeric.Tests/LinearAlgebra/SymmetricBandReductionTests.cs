using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.LinearAlgebra;

/// <summary>
/// Stage 1 (dense → band) and stage 2 (band → tridiagonal) of the two-stage tridiagonalisation, each checked on its own against
/// an independent eigen-solver (MathNet.Numerics' managed one, on the dense form of the result), and the whole two-stage path
/// against LAPACK dsyevd (or MathNet without LAPACK). Tolerances: a backward-stable orthogonal reduction moves each eigenvalue
/// by O(n·u·‖A‖) (u = 2⁻⁵³); 1e-12·‖A‖ leaves a factor of more than 10 over n·u for every n here (≤ 400).
/// </summary>
public class SymmetricBandReductionTests
{
    private static double[] Reference(SymmetricMatrix a) => DenseSymmetricEigen.Eigenvalues(a, EigenBackend.Managed);

    private static void AssertSameSpectrum(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(expected.Length == 0 ? 0 : expected.Max(Math.Abs), double.Epsilon);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"{what}: λ{i} = {actual[i]:R}, expected {expected[i]:R}");
    }

    private static double FrobeniusSquared(SymmetricMatrix a) => a.Data.Sum(x => x * x);

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 4)]
    [InlineData(3, 1)]
    [InlineData(5, 8)]      // n < b: nothing to reduce
    [InlineData(9, 8)]      // n = b + 1: still already a band
    [InlineData(10, 8)]     // n = b + 2: one panel with one reflector
    [InlineData(37, 8)]     // n not a multiple of b, last panel shorter than b
    [InlineData(64, 16)]
    [InlineData(131, 64)]   // one full panel of 64, then a short one
    [InlineData(200, 24)]   // panels whose QR recurses over several leaves
    public void BandFormHasTheSpectrumOfTheMatrix(int n, int b)
    {
        var a = DenseSymmetricEigenTests.RandomSymmetric(n, 100 + n);
        var input = (double[])a.Data.Clone();
        var band = SymmetricBandReduction.ToBand(a, b);
        Assert.Equal(input, a.Data);   // the input is left as it was
        Assert.Equal(Math.Min(b, n - 1), band.Bandwidth);
        var dense = band.ToDense();
        AssertSameSpectrum(Reference(a), Reference(dense), 1e-12, $"n = {n}, b = {b}");
        // An orthogonal similarity keeps the Frobenius norm.
        Assert.True(Math.Abs(FrobeniusSquared(dense) - FrobeniusSquared(a)) <= 1e-12 * FrobeniusSquared(a));
    }

    [Fact]
    public void BandReductionDoesNotDependOnTheThreadCount()
    {
        // Large enough (trailing products of 370 × 370 × 32) for the products to run on several threads.
        var a = DenseSymmetricEigenTests.RandomSymmetric(400, 7);
        var one = SymmetricBandReduction.ToBand(a, 32, maxDegreeOfParallelism: 1);
        var two = SymmetricBandReduction.ToBand(a, 32, maxDegreeOfParallelism: 2);
        Assert.Equal(one.Data, two.Data);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(6, 5)]
    [InlineData(12, 3)]
    [InlineData(50, 7)]
    [InlineData(300, 16)]   // from order 256 the sweeps are pipelined over several threads
    [InlineData(300, 64)]
    public void TridiagonalFormHasTheSpectrumOfTheBand(int n, int b)
    {
        var band = RandomBand(n, b, 200 + n + b);
        var (d, e) = BandTridiagonalReduction.Reduce(band);
        var tridiagonal = TridiagonalEigen.Eigenvalues(d, e);
        AssertSameSpectrum(Reference(band.ToDense()), tridiagonal, 1e-12, $"n = {n}, b = {b}");
    }

    [Fact]
    public void TridiagonalReductionDoesNotDependOnTheThreadCount()
    {
        var band = RandomBand(400, 24, 9);
        var (d1, e1) = BandTridiagonalReduction.Reduce(band, maxDegreeOfParallelism: 1);
        var (d2, e2) = BandTridiagonalReduction.Reduce(band, maxDegreeOfParallelism: 2);
        Assert.Equal(d1, d2);
        Assert.Equal(e1, e2);
    }

    [Fact]
    public void OurBandToTridiagonalAgreesWithLapackWhenItLoads()
    {
        if (!NativeLapack.HasBandToTridiagonal) return; // nothing native to compare with (the managed reference is used above)
        var band = RandomBand(150, 20, 11);
        var copy = new SymmetricBandMatrix(band.N, band.Bandwidth);
        band.Data.CopyTo(copy.Data, 0);
        var lapack = NativeLapack.BandEigenvalues(copy);
        var (d, e) = BandTridiagonalReduction.Reduce(band);
        AssertSameSpectrum(lapack, NativeLapack.TridiagonalEigenvalues(d, e), 1e-12, "sb2st vs ours");
    }

    [Theory]
    [InlineData(1e200)]
    [InlineData(1e-200)]
    public void ExtremeScalesNeitherOverflowNorUnderflow(double scale)
    {
        var a = DenseSymmetricEigenTests.RandomSymmetric(70, 12);
        var expected = Reference(a).Select(x => x * scale).ToArray();
        for (int i = 0; i < a.Data.Length; i++) a.Data[i] *= scale;
        var values = DenseSymmetricEigen.Eigenvalues(a, EigenBackend.TwoStage);
        AssertSameSpectrum(expected, values, 1e-12, $"scale {scale}");
    }

    [Fact]
    public void NonFiniteInputIsANumericalError()
    {
        var a = DenseSymmetricEigenTests.RandomSymmetric(20, 13);
        a[3, 17] = double.PositiveInfinity;
        Assert.Throws<NumericalException>(() => SymmetricBandReduction.ToBand(a, 4));
        Assert.Throws<NumericalException>(() => DenseSymmetricEigen.Eigenvalues(a, EigenBackend.TwoStage));
        a[3, 17] = double.NaN;
        Assert.Throws<NumericalException>(() => DenseSymmetricEigen.Eigenvalues(a, EigenBackend.TwoStage));
        var band = RandomBand(10, 3, 14);
        band[2, 1] = double.NaN;
        Assert.Throws<NumericalException>(() => BandTridiagonalReduction.Reduce(band));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]    // n = b + 1 for the default b = 64
    [InlineData(130)]
    [InlineData(333)]   // n not a multiple of b, several panels, parallel sweeps
    public void TwoStageAgreesWithDsyevdOnRandomMatrices(int n)
    {
        var a = DenseSymmetricEigenTests.RandomSymmetric(n, 300 + n);
        var expected = NativeLapack.IsAvailable ? DenseSymmetricEigen.Eigenvalues(a, EigenBackend.Native) : Reference(a);
        var r = DenseSymmetricEigen.Decompose(a, computeVectors: false, EigenBackend.TwoStage);
        Assert.Equal(DenseSymmetricEigen.TwoStageName, r.Backend);
        Assert.StartsWith("two-stage (ours", r.Backend);
        Assert.Null(r.Vectors);
        AssertSameSpectrum(expected, r.Values, 1e-12, $"n = {n}");
    }

    [Theory]
    [InlineData("zero")]
    [InlineData("diagonal")]   // every reflector of both stages is the identity (τ = 0)
    [InlineData("rank one")]   // after the first panel the trailing matrix is zero
    [InlineData("two blocks")] // block diagonal: the second block's panels start from zero rows
    public void StructuredMatricesKeepTheirSpectrum(string kind)
    {
        const int n = 150;
        var a = new SymmetricMatrix(n);
        var u = new double[n];
        SeedSequence.FromSeed(15).CreateSampler().FillGaussian(u);
        var g = DenseSymmetricEigenTests.RandomSymmetric(n / 2, 16);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                a[i, j] = kind switch
                {
                    "diagonal" => i == j ? u[i] : 0,
                    "rank one" => u[i] * u[j],
                    "two blocks" => i < n / 2 && j < n / 2 ? g[i, j] : i >= n / 2 && j >= n / 2 ? (i == j ? 3 : 0) : 0,
                    _ => 0,
                };
        var expected = NativeLapack.IsAvailable ? DenseSymmetricEigen.Eigenvalues(a, EigenBackend.Native) : Reference(a);
        var actual = DenseSymmetricEigen.Eigenvalues(a, EigenBackend.TwoStage);
        if (kind == "zero") Assert.All(actual, x => Assert.Equal(0.0, x));
        else AssertSameSpectrum(expected, actual, 1e-12, kind);
    }

    [Fact]
    public void TwoStageAgreesWithDsyevdOnTheFisherMatrix()
    {
        var j = ShallowReluNetwork.Sample(5, 400, SeedSequence.FromSeed(1)).FisherByLemma1();
        var expected = NativeLapack.IsAvailable ? DenseSymmetricEigen.Eigenvalues(j, EigenBackend.Native) : Reference(j);
        AssertSameSpectrum(expected, DenseSymmetricEigen.Eigenvalues(j, EigenBackend.TwoStage), 1e-12, "J, d = 5, p = 400");
    }

    [Fact]
    public void TwoStageIsTheDefaultForLargeEigenvalueOnlyCallsAndSaysSo()
    {
        int from = DenseSymmetricEigen.TwoStageFrom;
        Assert.Equal(DenseSymmetricEigen.TwoStageName, DenseSymmetricEigen.BackendFor(from));
        Assert.NotEqual(DenseSymmetricEigen.TwoStageName, DenseSymmetricEigen.BackendFor(from - 1));
        Assert.NotEqual(DenseSymmetricEigen.TwoStageName, DenseSymmetricEigen.BackendFor(from, computeVectors: true)); // vectors: as before
        Assert.Contains($"from order {from}", DenseSymmetricEigen.Backend);
        Assert.Throws<ArgumentException>(() => DenseSymmetricEigen.Decompose(DenseSymmetricEigenTests.RandomSymmetric(5, 1), true, EigenBackend.TwoStage));
    }

    private static SymmetricBandMatrix RandomBand(int n, int b, long seed)
    {
        var band = new SymmetricBandMatrix(n, b);
        var g = new double[band.Data.Length];
        SeedSequence.FromSeed(seed).CreateSampler().FillGaussian(g);
        for (int i = 0; i < n; i++)
            for (int k = 0; k <= b && i + k < n; k++) band[i, k] = g[i * (b + 1) + k];
        return band;
    }
}

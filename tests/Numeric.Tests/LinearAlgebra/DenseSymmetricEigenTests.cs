using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.LinearAlgebra;

public class DenseSymmetricEigenTests
{
    internal static SymmetricMatrix RandomSymmetric(int n, long seed)
    {
        var g = new double[n * n];
        SeedSequence.FromSeed(seed).CreateSampler().FillGaussian(g);
        var m = new SymmetricMatrix(n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) m[i, j] = m[j, i] = (g[i * n + j] + g[j * n + i]) / 2;
        return m;
    }

    private static void AssertEigenpairs(SymmetricMatrix a, double[] values, double[] vectors, int count)
    {
        int n = a.N;
        for (int j = 0; j < count; j++)
        {
            var v = vectors.AsSpan(j * n, n);
            double norm = 0;
            for (int i = 0; i < n; i++) norm += v[i] * v[i];
            Assert.Equal(1.0, norm, 12);
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int k = 0; k < n; k++) av += a[i, k] * v[k];
                Assert.True(Math.Abs(av - values[j] * v[i]) <= 1e-12 * n, $"(Av − λv)[{i}] for λ{j}");
            }
        }
    }

    [Fact]
    public void ManagedDecompositionHoldsEigenpairs()
    {
        var a = RandomSymmetric(30, 1);
        var r = DenseSymmetricEigen.Decompose(a, backend: EigenBackend.Managed);
        Assert.Equal("MathNet.Numerics managed", r.Backend);
        Assert.True(r.Values.Zip(r.Values.Skip(1)).All(t => t.First <= t.Second), "ascending");
        AssertEigenpairs(a, r.Values, r.Vectors!, 30);
    }

    [Fact]
    public void NativeLapackAgreesWithManagedOrIsReportedMissing()
    {
        var a = RandomSymmetric(60, 2);
        if (!NativeLapack.IsAvailable)
        {
            Assert.Equal("MathNet.Numerics managed", DenseSymmetricEigen.BackendFor(a.N));
            Assert.Throws<InvalidOperationException>(() => DenseSymmetricEigen.Decompose(a, backend: EigenBackend.Native));
            return;
        }
        var native = DenseSymmetricEigen.Decompose(a, backend: EigenBackend.Native);
        Assert.StartsWith("LAPACK dsyevd (", native.Backend);   // with vectors: divide and conquer
        var valuesOnly = DenseSymmetricEigen.Decompose(a, computeVectors: false, backend: EigenBackend.Native);
        Assert.Equal(valuesOnly.Backend, DenseSymmetricEigen.BackendFor(a.N));
        Assert.StartsWith("LAPACK dsyevd (", valuesOnly.Backend);
        for (int i = 0; i < a.N; i++) Assert.True(Math.Abs(native.Values[i] - valuesOnly.Values[i]) <= 1e-13 * native.Values.Max(Math.Abs));
        var managed = DenseSymmetricEigen.Eigenvalues(a, EigenBackend.Managed);
        // Absolute 1e-12 (xUnit's "decimal places" rounds both sides, so values 1e-14 apart can fail it).
        for (int i = 0; i < a.N; i++) Assert.True(Math.Abs(managed[i] - native.Values[i]) <= 1e-12, $"λ_{i}: managed {managed[i]:R}, native {native.Values[i]:R}");
        AssertEigenpairs(a, native.Values, native.Vectors!, a.N);
    }

    [Fact]
    public void EveryNativeRoutineAndThreadCountGivesTheSameEigenvaluesAndTheCountIsRestored()
    {
        if (!NativeLapack.IsAvailable) return; // the managed path is tested above; nothing native to compare
        var a = RandomSymmetric(300, 8);
        var reference = NativeLapack.SymmetricEigen(a.N, (double[])a.Data.Clone(), computeVectors: false, twoStage: false, threads: 1);
        foreach (var (twoStage, threads) in new[] { (true, 1), (false, 2), (true, 2) })
        {
            var values = NativeLapack.SymmetricEigen(a.N, (double[])a.Data.Clone(), computeVectors: false, twoStage, threads);
            double scale = reference.Max(Math.Abs);
            for (int i = 0; i < a.N; i++) Assert.True(Math.Abs(reference[i] - values[i]) <= 1e-13 * scale, $"λ{i}: {values[i]:R} vs {reference[i]:R}");
            Assert.Equal(1, NativeLapack.CurrentThreads);
        }
    }

    [Theory]
    [InlineData(EigenBackend.Auto)]
    [InlineData(EigenBackend.Managed)]
    public void TopKIsTheDescendingTailOfTheFullSpectrum(EigenBackend backend)
    {
        var a = RandomSymmetric(45, 3);
        var all = DenseSymmetricEigen.Eigenvalues(a, EigenBackend.Managed);
        var top = DenseSymmetricEigen.Top(a, 7, computeVectors: true, backend);
        for (int j = 0; j < 7; j++) Assert.Equal(all[a.N - 1 - j], top.Values[j], 12);
        AssertEigenpairs(a, top.Values, top.Vectors!, 7);
    }

    [Fact]
    public void NonFiniteMatrixIsANumericalError()
    {
        var a = RandomSymmetric(5, 4);
        a[1, 2] = double.NaN;
        Assert.Throws<NumericalException>(() => DenseSymmetricEigen.Eigenvalues(a));
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.LinearAlgebra;

public class TridiagonalEigenTests
{
    private static SymmetricMatrix Dense(double[] a, double[] b)
    {
        int n = a.Length;
        var m = new SymmetricMatrix(n);
        for (int i = 0; i < n; i++) m[i, i] = a[i];
        for (int i = 0; i + 1 < n; i++) m[i, i + 1] = m[i + 1, i] = b[i];
        return m;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(80)]
    public void EigenvaluesMatchDenseSolver(int n)
    {
        var rng = SeedSequence.FromSeed(n).CreateSampler();
        var a = new double[n]; var b = new double[Math.Max(0, n - 1)];
        rng.FillGaussian(a); rng.FillGaussian(b);
        var fast = TridiagonalEigen.Eigenvalues(a, b);
        var dense = DenseSymmetricEigen.Eigenvalues(Dense(a, b), EigenBackend.Managed);
        double norm = dense.Max(Math.Abs);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(fast[i] - dense[i]) <= 1e-13 * norm * n, $"λ{i}: {fast[i]} vs {dense[i]}");
    }

    [Fact]
    public void SecondDifferenceMatrixHasItsClosedFormEigenpairs()
    {
        // T = tridiag(−1, 2, −1): λ_k = 2 − 2cos(kπ/(n+1)), first component of v_k = √(2/(n+1))·sin(kπ/(n+1)).
        int n = 50;
        var a = Enumerable.Repeat(2.0, n).ToArray();
        var b = Enumerable.Repeat(-1.0, n - 1).ToArray();
        var r = TridiagonalEigen.Decompose(a, b);
        for (int k = 1; k <= n; k++)
        {
            double angle = k * Math.PI / (n + 1);
            Assert.Equal(2 - 2 * Math.Cos(angle), r.Values[k - 1], 13);
            Assert.Equal(Math.Sqrt(2.0 / (n + 1)) * Math.Sin(angle), r.FirstComponents[k - 1], 13);
        }
    }

    [Fact]
    public void FullVectorsAreOrthonormalEigenvectorsAndAgreeWithFirstComponents()
    {
        int n = 40;
        var rng = SeedSequence.FromSeed(11).CreateSampler();
        var a = new double[n]; var b = new double[n - 1];
        rng.FillGaussian(a); rng.FillGaussian(b);
        var r = TridiagonalEigen.Decompose(a, b, computeVectors: true);
        var v = r.Vectors!;
        var firstOnly = TridiagonalEigen.Decompose(a, b);
        for (int j = 0; j < n; j++)
        {
            Assert.Equal(firstOnly.FirstComponents[j], v[j], 13); // row 0 of V
            for (int i = 0; i < n; i++)
            {
                double tv = a[i] * v[i * n + j] + (i > 0 ? b[i - 1] * v[(i - 1) * n + j] : 0) + (i + 1 < n ? b[i] * v[(i + 1) * n + j] : 0);
                Assert.True(Math.Abs(tv - r.Values[j] * v[i * n + j]) <= 1e-13 * n, $"(Tv − λv)[{i}] for λ{j}");
            }
            for (int k = 0; k < n; k++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += v[i * n + j] * v[i * n + k];
                Assert.Equal(j == k ? 1.0 : 0.0, dot, 12);
            }
        }
    }

    [Fact]
    public void SplitMatrixWithRepeatedEigenvalues()
    {
        var r = TridiagonalEigen.Decompose([3, 1, 3, 1], [0, 0, 0]);
        Assert.Equal([1.0, 1.0, 3.0, 3.0], r.Values);
        Assert.Equal(1.0, r.FirstComponents.Sum(x => x * x), 14);
    }

    [Fact]
    public void NonFiniteInputIsANumericalError()
    {
        Assert.Throws<NumericalException>(() => TridiagonalEigen.Decompose([1, double.NaN], [0.5]));
        Assert.Throws<NumericalException>(() => TridiagonalEigen.Decompose([1, 2], [double.PositiveInfinity]));
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.LinearAlgebra;

/// <summary>
/// SYMM (A symmetric, only its upper triangle read) against the triple loop on the mirrored triangle. The lower triangle holds NaN,
/// so any read of it would show. Tolerance: the forward error bound of a length-m dot product, γ_m Σ|a||b| (as in GemmTests).
/// </summary>
public class SymmTests
{
    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(7, 5, 2)]
    [InlineData(17, 16, 0)]
    // Several MC = 192 blocks and KC = 256 slabs, so blocks above, below and across the diagonal are all packed.
    [InlineData(200, 33, 3)]
    [InlineData(517, 20, 1)]
    public void UpperTriangleProductMatchesTripleLoop(int m, int n, int pad)
    {
        int lda = m + pad, ldb = n + pad, ldc = n + pad;
        var a = new double[m * lda];
        var g = new double[m * lda];
        SeedSequence.FromSeed(m).Child("a").CreateSampler().FillGaussian(g);
        var full = new double[m * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                if (j >= i) a[i * lda + j] = g[i * lda + j];
                else a[i * lda + j] = double.NaN;   // never read
                full[i * m + j] = j >= i ? g[i * lda + j] : g[j * lda + i];
            }
        var b = new double[m * ldb];
        SeedSequence.FromSeed(n).Child("b").CreateSampler().FillGaussian(b);
        var c0 = new double[m * ldc];
        SeedSequence.FromSeed(m + n).Child("c").CreateSampler().FillGaussian(c0);
        var fast = (double[])c0.Clone();
        var slow = (double[])c0.Clone();
        var magnitude = c0.Select(Math.Abs).ToArray();
        Symm.Multiply(m, n, 0.5, a, lda, b, ldb, 2.0, fast, ldc);
        Symm.MultiplyReference(m, n, 0.5, a, lda, b, ldb, 2.0, slow, ldc);
        Gemm.MultiplyReference(Op.None, Op.None, m, n, m, 0.5, full.Select(Math.Abs).ToArray(), m, b.Select(Math.Abs).ToArray(), ldb, 2.0, magnitude, ldc);
        double gamma = (m + 4) * Math.Pow(2, -53) * 2;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                int e = i * ldc + j;
                Assert.True(Math.Abs(fast[e] - slow[e]) <= gamma * magnitude[e] + 1e-300, $"C[{i},{j}]: {fast[e]} vs {slow[e]}");
            }
        for (int i = 0; i < m; i++)
            for (int j = n; j < ldc; j++) Assert.Equal(c0[i * ldc + j], fast[i * ldc + j]); // padding is never written
    }

    [Fact]
    public void ResultDoesNotDependOnTheThreadCount()
    {
        const int m = 600, n = 48;
        var a = new double[m * m];
        var b = new double[m * n];
        SeedSequence.FromSeed(5).CreateSampler().FillGaussian(a);
        SeedSequence.FromSeed(6).CreateSampler().FillGaussian(b);
        var one = new double[m * n];
        var two = new double[m * n];
        Symm.Multiply(m, n, 1, a, m, b, n, 0, one, n, maxDegreeOfParallelism: 1);
        Symm.Multiply(m, n, 1, a, m, b, n, 0, two, n, maxDegreeOfParallelism: 2);
        Assert.Equal(one, two);
    }
}

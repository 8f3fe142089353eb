using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.LinearAlgebra;

/// <summary>
/// The blocked GEMM/SYRK against the triple loop. Tolerance: the standard forward error bound of a
/// length-k dot product, |fl(s) − s| ≤ γ_k Σ|a||b| with γ_k ≈ k·u, doubled for α and β (u = 2⁻⁵³).
/// </summary>
public class GemmTests
{
    private static double[] Gaussian(int length, long seed, string name)
    {
        var x = new double[length];
        SeedSequence.FromSeed(seed).Child(name).CreateSampler().FillGaussian(x);
        return x;
    }

    private static double[] Abs(double[] x) => x.Select(Math.Abs).ToArray();

    private static void AssertWithinBound(double[] fast, double[] slow, double[] magnitude, int k, int ldc, int m, int n)
    {
        double gamma = (k + 4) * Math.Pow(2, -53) * 2;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                int e = i * ldc + j;
                Assert.True(Math.Abs(fast[e] - slow[e]) <= gamma * magnitude[e] + 1e-300,
                    $"C[{i},{j}]: {fast[e]} vs {slow[e]} (bound {gamma * magnitude[e]})");
            }
    }

    [Theory]
    [InlineData(Op.None, Op.None, 17, 13, 9, 0)]
    [InlineData(Op.Transpose, Op.None, 8, 33, 21, 3)]
    [InlineData(Op.None, Op.Transpose, 40, 7, 16, 1)]
    [InlineData(Op.Transpose, Op.Transpose, 5, 5, 64, 0)]
    [InlineData(Op.None, Op.None, 1, 1, 1, 0)]
    // Larger than one MC block (192) and one KC slab (256), with ragged edges against MR = 6 and NR = 16.
    [InlineData(Op.None, Op.None, 203, 37, 301, 5)]
    [InlineData(Op.Transpose, Op.None, 197, 131, 263, 2)]
    [InlineData(Op.None, Op.Transpose, 61, 250, 517, 7)]
    [InlineData(Op.Transpose, Op.Transpose, 193, 17, 259, 1)]
    public void BlockedProductMatchesTripleLoop(Op opA, Op opB, int m, int n, int k, int pad)
    {
        var (aRows, aCols) = opA == Op.None ? (m, k) : (k, m);
        var (bRows, bCols) = opB == Op.None ? (k, n) : (n, k);
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        var a = Gaussian(aRows * lda, m * 7 + k, "a");
        var b = Gaussian(bRows * ldb, n * 11 + k, "b");
        var c0 = Gaussian(m * ldc, m + n, "c");
        var fast = (double[])c0.Clone();
        var slow = (double[])c0.Clone();
        var magnitude = Abs(c0);
        Gemm.Multiply(opA, opB, m, n, k, 0.5, a, lda, b, ldb, 2.0, fast, ldc);
        Gemm.MultiplyReference(opA, opB, m, n, k, 0.5, a, lda, b, ldb, 2.0, slow, ldc);
        Gemm.MultiplyReference(opA, opB, m, n, k, 0.5, Abs(a), lda, Abs(b), ldb, 2.0, magnitude, ldc);
        AssertWithinBound(fast, slow, magnitude, k, ldc, m, n);
        // Padding between rows of C is never written.
        for (int i = 0; i < m; i++)
            for (int j = n; j < ldc; j++) Assert.Equal(c0[i * ldc + j], fast[i * ldc + j]);
    }

    [Fact]
    public void BetaZeroOverwritesNaN()
    {
        var a = Gaussian(30 * 20, 1, "a");
        var c = Enumerable.Repeat(double.NaN, 30 * 30).ToArray();
        Gemm.Multiply(Op.None, Op.Transpose, 30, 30, 20, 1, a, 20, a, 20, 0.0, c, 30);
        Assert.All(c, x => Assert.True(double.IsFinite(x)));
    }

    [Fact]
    public void ResultIsBitwiseIndependentOfThreadCount()
    {
        int m = 250, n = 270, k = 600;
        var a = Gaussian(m * k, 3, "a");
        var b = Gaussian(k * n, 3, "b");
        var one = new double[m * n];
        var two = new double[m * n];
        Gemm.Multiply(Op.None, Op.None, m, n, k, 1, a, k, b, n, 0, one, n, maxDegreeOfParallelism: 1);
        Gemm.Multiply(Op.None, Op.None, m, n, k, 1, a, k, b, n, 0, two, n, maxDegreeOfParallelism: 2);
        Assert.Equal(one, two);
        var g1 = Syrk.ColumnGram(a, m, k, 0.25, maxDegreeOfParallelism: 1);
        var g2 = Syrk.ColumnGram(a, m, k, 0.25, maxDegreeOfParallelism: 2);
        Assert.Equal(g1.Data, g2.Data);
    }

    [Theory]
    [InlineData(Op.Transpose, 37, 23, 0)]
    [InlineData(Op.None, 29, 41, 3)]
    [InlineData(Op.Transpose, 211, 300, 1)]
    [InlineData(Op.None, 199, 263, 0)]
    [InlineData(Op.Transpose, 1, 1, 0)]
    public void SyrkMatchesTripleLoopAndIsExactlySymmetric(Op op, int n, int k, int pad)
    {
        var (rows, cols) = op == Op.Transpose ? (k, n) : (n, k);
        int lda = cols + pad, ldc = n + pad;
        var a = Gaussian(rows * lda, n + 13 * k, "a");
        var c0 = Gaussian(n * ldc, n, "c");
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) c0[i * ldc + j] = double.NaN; // the lower triangle is never read
        var fast = (double[])c0.Clone();
        var slow = (double[])c0.Clone();
        Syrk.Multiply(op, n, k, 1.5, a, lda, -0.5, fast, ldc);
        Syrk.MultiplyReference(op, n, k, 1.5, a, lda, -0.5, slow, ldc);
        var magnitude = Abs(c0);
        Syrk.MultiplyReference(op, n, k, 1.5, Abs(a), lda, 0.5, magnitude, ldc);
        AssertWithinBound(fast, slow, magnitude, k, ldc, n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) Assert.Equal(fast[j * ldc + i], fast[i * ldc + j]);
    }

    [Fact]
    public void GramHelpersMatchTheirDefinitions()
    {
        var x = Gaussian(50 * 8, 9, "x");
        var cols = Syrk.ColumnGram(x, 50, 8, 1.0 / 50);
        var rows = Syrk.RowGram(x, 50, 8);
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
            {
                double s = 0;
                for (int t = 0; t < 50; t++) s += x[t * 8 + i] * x[t * 8 + j];
                Assert.Equal(s / 50, cols[i, j], 1e-13);
            }
        for (int i = 0; i < 50; i++)
            for (int j = 0; j < 50; j++)
            {
                double s = 0;
                for (int t = 0; t < 8; t++) s += x[i * 8 + t] * x[j * 8 + t];
                Assert.Equal(s, rows[i, j], 1e-13);
            }
    }

    [Fact]
    public void ShortSpansAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(Op.None, Op.None, 3, 3, 3, 1, new double[8], 3, new double[9], 3, 0, new double[9], 3));
        Assert.Throws<ArgumentException>(() => Syrk.Multiply(Op.Transpose, 3, 3, 1, new double[8], 3, 0, new double[9], 3));
    }

    /// <summary>
    /// Row counts that do not fill whole MC = 192 blocks are split into blocks of one height, as many as a multiple of the threads
    /// (1000 rows: 6 blocks of 168 and 160): every row still computed once, with the sums of one thread.
    /// </summary>
    [Theory]
    [InlineData(1000, 20, 300)]
    [InlineData(385, 33, 260)]
    public void EvenRowBlocksCoverEveryRowOnce(int m, int n, int k)
    {
        var a = Gaussian(m * k, m, "a");
        var b = Gaussian(k * n, n, "b");
        var one = new double[m * n];
        var two = new double[m * n];
        var slow = new double[m * n];
        Gemm.Multiply(Op.None, Op.None, m, n, k, 1, a, k, b, n, 0, one, n, maxDegreeOfParallelism: 1);
        Gemm.Multiply(Op.None, Op.None, m, n, k, 1, a, k, b, n, 0, two, n, maxDegreeOfParallelism: 2);
        Gemm.MultiplyReference(Op.None, Op.None, m, n, k, 1, a, k, b, n, 0, slow, n);
        Assert.Equal(one, two);
        var magnitude = new double[m * n];
        Gemm.MultiplyReference(Op.None, Op.None, m, n, k, 1, Abs(a), k, Abs(b), n, 0, magnitude, n);
        AssertWithinBound(two, slow, magnitude, k, n, m, n);
    }

    /// <summary>Products running at once on several threads (each keeps its own packing space) give what each gives alone.</summary>
    [Fact]
    public void ConcurrentProductsDoNotShareTheirPackingSpace()
    {
        var shapes = Enumerable.Range(0, 8).Select(i => (M: 150 + 37 * i, N: 300 - 23 * i, K: 200 + 41 * i)).ToArray();
        var a = shapes.Select((s, i) => Gaussian(s.M * s.K, i, "a")).ToArray();
        var b = shapes.Select((s, i) => Gaussian(s.K * s.N, i, "b")).ToArray();
        var alone = shapes.Select((s, i) =>
        {
            var c = new double[s.M * s.N];
            Gemm.Multiply(Op.None, Op.Transpose, s.M, s.N, s.K, 1, a[i], s.K, Transposed(b[i], s.K, s.N), s.K, 0, c, s.N, maxDegreeOfParallelism: 1);
            return c;
        }).ToArray();
        for (int round = 0; round < 3; round++)
        {
            var together = new double[shapes.Length][];
            Parallel.For(0, shapes.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                var s = shapes[i];
                together[i] = new double[s.M * s.N];
                Gemm.Multiply(Op.None, Op.Transpose, s.M, s.N, s.K, 1, a[i], s.K, Transposed(b[i], s.K, s.N), s.K, 0, together[i], s.N);
            });
            for (int i = 0; i < shapes.Length; i++) Assert.Equal(alone[i], together[i]);
        }
    }

    private static double[] Transposed(double[] x, int rows, int cols)
    {
        var t = new double[x.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        return t;
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.Kernels;

public class GemmTests
{
    [Theory]
    [InlineData(Op.None, Op.None, 17, 13, 9)]
    [InlineData(Op.Transpose, Op.None, 8, 33, 21)]
    [InlineData(Op.None, Op.Transpose, 40, 7, 16)]
    [InlineData(Op.Transpose, Op.Transpose, 5, 5, 64)]
    [InlineData(Op.None, Op.None, 1, 1, 1)]
    public void FastPathMatchesTripleLoop(Op opA, Op opB, int m, int n, int k)
    {
        var rng = SeedSequence.FromSeed(m * 1000 + n * 10 + k).CreateSampler();
        var a = new double[m * k]; var b = new double[k * n]; var c0 = new double[m * n];
        rng.FillGaussian(a); rng.FillGaussian(b); rng.FillGaussian(c0);
        int lda = opA == Op.None ? k : m, ldb = opB == Op.None ? n : k;
        var fast = (double[])c0.Clone(); var slow = (double[])c0.Clone();
        Gemm.Multiply(opA, opB, m, n, k, 0.5, a, lda, b, ldb, 2.0, fast, n);
        Gemm.MultiplyReference(opA, opB, m, n, k, 0.5, a, lda, b, ldb, 2.0, slow, n);
        for (int i = 0; i < fast.Length; i++) Assert.True(Math.Abs(fast[i] - slow[i]) <= 1e-13 * (1 + k), $"entry {i}: {fast[i]} vs {slow[i]}");
    }

    [Fact]
    public void ShortSpansAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(Op.None, Op.None, 3, 3, 3, 1, new double[8], 3, new double[9], 3, 0, new double[9], 3));
    }
}

using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.Operators;

internal static class BlockProducts
{
    /// <summary>
    /// ApplyBlock of count seeded Gaussian vectors against one Apply per vector. The operators here sum every entry of every
    /// GEMM in the same order for one vector or many (Gemm's contract), so they agree to the last bit; 1e-14 only allows
    /// for a GEMM that reorders its sums.
    /// </summary>
    public static void AssertBlockEqualsSingles(ISymmetricOperator op, int count, long seed)
    {
        int p = op.Dimension;
        var v = new double[count * p];
        SeedSequence.FromSeed(seed).CreateSampler().FillGaussian(v);
        var block = new double[count * p];
        op.ApplyBlock(v, block, count);
        var single = new double[p];
        for (int c = 0; c < count; c++)
        {
            op.Apply(v.AsSpan(c * p, p), single);
            double scale = single.Max(Math.Abs);
            for (int i = 0; i < p; i++)
                Assert.True(Math.Abs(block[c * p + i] - single[i]) <= 1e-14 * scale, $"vector {c}, entry {i}: block {block[c * p + i]:R}, single {single[i]:R}");
        }
    }
}

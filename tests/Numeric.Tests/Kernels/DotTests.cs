using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.Kernels;

public class DotTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(1001)]
    public void AccumulateProductSimdGivesTheBitsOfItsScalarTwin(int n)
    {
        var rng = SeedSequence.FromSeed(12).CreateSampler();
        double[] x = new double[n], y = new double[n], z = new double[n];
        rng.FillGaussian(x); rng.FillGaussian(y); rng.FillGaussian(z);
        var fast = (double[])z.Clone();
        var slow = (double[])z.Clone();
        Dot.AccumulateProduct(x, y, fast);
        Dot.AccumulateProductScalar(x, y, slow);
        for (int k = 0; k < n; k++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(slow[k]), BitConverter.DoubleToInt64Bits(fast[k]));
            Assert.True(Math.Abs(slow[k] - (z[k] + x[k] * y[k])) <= 1e-15 * (Math.Abs(z[k]) + Math.Abs(x[k] * y[k])), $"entry {k}");
        }
    }
}

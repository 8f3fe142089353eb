using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.Kernels;

public class ReluKernelTests
{
    [Fact]
    public void SimdPathMatchesScalarReferenceToStatedAccuracy()
    {
        var rng = SeedSequence.FromSeed(7).CreateSampler();
        var t = new double[100_003];
        for (int k = 0; k < t.Length; k++) t[k] = 2 * rng.NextUniform() - 1;
        // Edges and the branch point of the half-angle reduction.
        double[] special = [-1, 1, 0, 0.5, -0.5, Math.BitDecrement(0.5), Math.BitIncrement(0.5), Math.BitDecrement(1.0), -Math.BitDecrement(1.0), 1e-300];
        special.CopyTo(t, 0);
        var fast = new double[t.Length];
        var slow = new double[t.Length];
        ReluKernel.Kappa(t, fast);
        ReluKernel.KappaScalar(t, slow);
        double worst = 0;
        for (int k = 0; k < t.Length; k++) worst = Math.Max(worst, Math.Abs(fast[k] - slow[k]));
        Assert.True(worst <= 2e-15, $"worst |κ_simd − κ_ref| = {worst:E3}");
    }

    [Fact]
    public void KappaHitsItsExactValuesAndClampsRoundingOutsideTheInterval()
    {
        double[] t = [1.0, -1.0, 0.0, 1.0 + 1e-15, -1.0 - 1e-15];
        var k = new double[t.Length];
        ReluKernel.Kappa(t, k);
        Assert.Equal(0.5, k[0], 15);
        Assert.Equal(0.0, k[1], 15);
        Assert.Equal(1 / (2 * Math.PI), k[2], 15);
        Assert.Equal(0.5, k[3], 15);
        Assert.Equal(0.0, k[4], 15);
    }

    [Fact]
    public void DotAndAxpyAgreeWithScalarReference()
    {
        var rng = SeedSequence.FromSeed(3).CreateSampler();
        foreach (int n in new[] { 0, 1, 7, 8, 15, 16, 17, 1001 })
        {
            var x = new double[n]; var y = new double[n];
            rng.FillGaussian(x); rng.FillGaussian(y);
            double scale = 1;
            for (int k = 0; k < n; k++) scale += Math.Abs(x[k] * y[k]);
            Assert.True(Math.Abs(Dot.ProductScalar(x, y) - Dot.Product(x, y)) <= 1e-15 * n * scale);
            var y1 = (double[])y.Clone(); var y2 = (double[])y.Clone();
            Dot.Axpy(0.7, x, y1); Dot.AxpyScalar(0.7, x, y2);
            for (int k = 0; k < n; k++) Assert.True(Math.Abs(y2[k] - y1[k]) <= 2.3e-16 * (Math.Abs(y[k]) + Math.Abs(0.7 * x[k])));
        }
    }
}

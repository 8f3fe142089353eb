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
    public void SimdPathMeetsItsStatedAccuracyAgainstA115DigitReference()
    {
        // κ(t) = ((π − arccos t)·t + √(1 − t²))/(2π) in the symbolic layer's 384-bit fixed point (arccos and √ by exact
        // integer work), at random points, near the half-angle branch point and near ±1 where √ and arccos are steepest.
        var rng = SeedSequence.FromSeed(8).CreateSampler();
        var t = new List<double> { -1, 1, 0, 0.5, -0.5, Math.BitDecrement(1.0), 1 - 1e-12, -1 + 1e-9, 0.999999, 0.5 + 1e-13 };
        for (int k = 0; k < 300; k++) t.Add(2 * rng.NextUniform() - 1);
        var fast = new double[t.Count];
        ReluKernel.Kappa(t.ToArray(), fast);
        var pi = FimVerify.Symbolic.RealModule.pi;
        double worst = 0;
        for (int k = 0; k < t.Count; k++)
        {
            var x = FimVerify.Symbolic.Real.OfDouble(t[k]);
            var exact = ((pi - FimVerify.Symbolic.RealModule.arccos(x)) * x + FimVerify.Symbolic.RealModule.sqrt(FimVerify.Symbolic.Real.One - x * x))
                        / (pi + pi);
            worst = Math.Max(worst, Math.Abs(fast[k] - exact.ToDouble()));
        }
        Assert.True(worst <= 2e-15, $"worst |κ_simd − κ_exact| = {worst:E3}");
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

using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.ShallowRelu;

/// <summary>
/// Lemma 1's entrywise decision: the moments its bound rests on against closed forms (Cho and Saul's arc-cosine kernels of
/// degree 1, 2 and 3), the exponent t = ln(2m/α) against mpmath, and its false-alarm rate over many seeds at small sample sizes,
/// where the former z-test was miscalibrated.
/// </summary>
public class Lemma1CalibrationTests
{
    /// <summary>Cho and Saul: E[ReLU(u)^n ReLU(v)^n] = (ab)^n J_n(θ)/(2π).</summary>
    private static double J1(double t) => Math.Sin(t) + (Math.PI - t) * Math.Cos(t);
    private static double J2(double t) => 3 * Math.Sin(t) * Math.Cos(t) + (Math.PI - t) * (1 + 2 * Math.Cos(t) * Math.Cos(t));
    private static double J3(double t) => 15 * Math.Sin(t) - 11 * Math.Pow(Math.Sin(t), 3) + (Math.PI - t) * (9 * Math.Pow(Math.Sin(t), 2) * Math.Cos(t) + 15 * Math.Pow(Math.Cos(t), 3));

    [Theory]
    [InlineData(1.0, 1.0, 1.0)]
    [InlineData(0.7, 1.3, 0.4)]
    [InlineData(1.1, 0.9, -0.6)]
    [InlineData(2.0, 0.5, 0.0)]
    public void MomentsAreTheArcCosineKernels(double a, double b, double cosine)
    {
        var m = new ReluProductMoments(a, b, cosine);
        double t = Math.Acos(cosine), ab = a * b;
        Assert.Equal(ab * J1(t) / (2 * Math.PI), m.Moment(1), 13);
        Assert.Equal(ab * ab * J2(t) / (2 * Math.PI), m.Moment(2), 13);
        Assert.Equal(ab * ab * ab * J3(t) / (2 * Math.PI), m.Moment(3), 12);
        Assert.Equal(m.Moment(2) - m.Moment(1) * m.Moment(1), m.Variance, 14);
    }

    [Fact]
    public void TheBernsteinScaleAndTheExponentHaveTheirKnownValues()
    {
        // θ = 0, a = b = 1: Y = ReLU(u)², σ² = 3/2 − 1/4 = 5/4; the exact candidates (2E[Y^q]/(q!σ²))^(1/(q−2)), q ≤ 16, peak at 2
        // (q = 3) and the bound beyond q = 16, 2·(4/σ²)^(1/15) = 2.16125823408633 (mpmath), is larger. θ = π/2: the exact candidates
        // peak at 0.94453, the bound beyond is 1.05477954580705 (mpmath).
        Assert.Equal(2.16125823408633, new ReluProductMoments(1, 1, 1).BernsteinScale(), 12);
        Assert.Equal(1.05477954580705, new ReluProductMoments(1, 1, 0).BernsteinScale(), 11);
        Assert.Equal(3 * 1.05477954580705, new ReluProductMoments(1.5, 2, 0).BernsteinScale(), 10);
        // t = ln(2m/α) for the default report (p = 200: m = 20100, α = 1e-3): 17.5093775535892 (mpmath); a split over m instead of
        // 2m entries and sides gives ln(m/α) = 16.816.
        Assert.Equal(17.5093775535892, Lemma1Check.DeviationLog(20100, 1e-3), 12);
        Assert.Equal(Math.Sqrt(2 * 0.3 * 17.5 / 1000) + 2 * 17.5 / 1000, Lemma1Check.BernsteinBound(0.3, 2, 17.5, 1000), 15);
    }

    /// <summary>
    /// Calibration: at family-wise α = 0.2, Lemma 1 (true) is refuted in at most 20% of 60 independent networks at 100 and at 1000
    /// samples (d = 5, p = 24: 300 entries). Decided by a binomial test at false-alarm rate 1e-6 (FAIL when
    /// P(X ≥ refutations | 60, 0.2) &lt; 1e-6), so it holds for any seed. Bernstein's bound is conservative: no refutation was seen
    /// (also none at 300 samples). The former z-test refuted 60, 45 and 14 of these 60 networks at 100, 300 and 1000 samples
    /// (|z| = ∞ where every sample of an entry was 0).
    /// </summary>
    [Fact]
    public void TheFalseAlarmRateHoldsAtSmallSampleSizes()
    {
        const int networks = 60;
        const double alpha = 0.2;
        foreach (long samples in new long[] { 100, 1000 })
        {
            int refuted = 0;
            for (int s = 0; s < networks; s++)
                if (!Lemma1Check.Run(new Lemma1Parameters(5, 24, samples, 1000 + s, alpha)).Consistent) refuted++;
            Assert.True(ClopperPearson.UpperTail(refuted, networks, alpha) >= 1e-6, $"{refuted}/{networks} false alarms at {samples} samples, α = {alpha}");
        }
    }
}

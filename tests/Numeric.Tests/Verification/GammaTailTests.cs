using FimVerify.Numeric.Verification;
using MathNet.Numerics;
using Xunit;

namespace FimVerify.Numeric.Tests.Verification;

public class GammaTailTests
{
    // log₁₀ Q(a, x) to 25 digits from mpmath 1.3.0 at 40 digits:
    //   mp.dps = 40; log10(gammainc(mpf(a), mpf(x), mp.inf, regularized=True))
    [Theory]
    [InlineData(1.5, 2.25, -0.6730698750869027196166436)]
    [InlineData(7.5, 20, -3.343424494527753891078264)]
    [InlineData(0.5, 50, -22.81702340982209469905604)]
    [InlineData(10, 10.5, -0.4010644616214008748361996)]
    [InlineData(1500, 2250, -63.27182491788150223976013)]          // χ² tail of the trace claim at d = 3, p = 1000, δ = 0.5
    [InlineData(150000, 225000, -6161.083407571292375126581)]      // … at p = 10⁵: far below the smallest double
    [InlineData(250000, 300000, -1921.811725436082014789945)]
    [InlineData(5e6, 5.05e6, -109.6046297986764368954536)]         // x close to a, a large
    [InlineData(2, 1e4, -4338.944775605241413841652)]
    [InlineData(30000, 30600, -3.541448746143207720375747)]
    public void MatchesHighPrecisionValues(double a, double x, double log10Q)
    {
        double got = GammaTail.LogUpperRegularized(a, x) / Math.Log(10);
        Assert.True(Math.Abs(got - log10Q) <= 1e-12 * Math.Max(1, Math.Abs(log10Q)), $"log10 Q({a}, {x}) = {got:R}, expected {log10Q:R}");
    }

    [Theory]
    [InlineData(2000, 3000)]
    [InlineData(150000, 225000)]
    public void AgreesWithTheFiniteSumForIntegerA(int a, double x)
    {
        // For integer a: Q(a, x) = e^(−x) Σ_{j<a} x^j/j!. Summed from the largest term t_{a−1} down with ratios j/x (x > a,
        // so the terms fall off geometrically): an independent route (no continued fraction, no Stirling series).
        double logLargest = (a - 1) * Math.Log(x) - SpecialFunctions.GammaLn(a);
        double sum = 0, term = 1;
        for (int j = a - 1; j >= 0 && term > 1e-20; j--) { sum += term; term *= j / x; }
        double expected = -x + logLargest + Math.Log(sum);
        double got = GammaTail.LogUpperRegularized(a, x);
        Assert.True(Math.Abs(got - expected) <= 1e-11 * Math.Abs(expected), $"{got:R} vs {expected:R}");
    }

    [Fact]
    public void AgreesWithMathNetWhereTheTailIsRepresentableAndHandlesTheEdges()
    {
        foreach (var (a, x) in new[] { (0.5, 3.0), (3.0, 12.0), (40.0, 90.0), (1500.0, 2250.0) })
        {
            double direct = Math.Log(SpecialFunctions.GammaUpperRegularized(a, x));
            Assert.True(Math.Abs(GammaTail.LogUpperRegularized(a, x) - direct) <= 1e-12 * Math.Max(1, Math.Abs(direct)));
        }
        Assert.Equal(0.0, GammaTail.LogUpperRegularized(3, 0));
        Assert.Equal(double.NegativeInfinity, GammaTail.LogUpperRegularized(3, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => GammaTail.LogUpperRegularized(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GammaTail.LogUpperRegularized(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GammaTail.LogUpperRegularized(1, double.NaN));
        // χ²: P(χ²_k > y) = Q(k/2, y/2).
        Assert.Equal(GammaTail.LogUpperRegularized(150000, 225000) / Math.Log(10), GammaTail.Log10ChiSquareUpper(300000, 450000), 12);
    }
}

using FimVerify.Numeric.Verification;
using MathNet.Numerics.Distributions;
using Xunit;

namespace FimVerify.Numeric.Tests.Verification;

public class ClopperPearsonTests
{
    // Reference values: R's binom.test(x, n)$conf.int (exact Clopper–Pearson, two-sided 95%).
    [Theory]
    [InlineData(5, 20, 0.08657147, 0.49104587)]
    [InlineData(1, 100, 0.0002531460, 0.05445939)]
    [InlineData(0, 10, 0.0, 0.30849710)]
    [InlineData(10, 10, 0.69150290, 1.0)]
    public void TwoSidedIntervalMatchesKnownValues(long f, long n, double lower, double upper)
    {
        var (lo, hi) = ClopperPearson.Interval(f, n, 0.05);
        Assert.Equal(lower, lo, 7);
        Assert.Equal(upper, hi, 7);
    }

    [Theory]
    [InlineData(1000, 1e-6)]
    [InlineData(37, 0.01)]
    public void ClosedFormsAtTheEdges(long n, double alpha)
    {
        // f = 0: P(X ≤ 0 | q) = (1 − q)^n = α; f = n: P(X ≥ n | q) = q^n = α.
        Assert.Equal(1 - Math.Pow(alpha, 1.0 / n), ClopperPearson.Upper(0, n, alpha), 12);
        Assert.Equal(Math.Pow(alpha, 1.0 / n), ClopperPearson.Lower(n, n, alpha), 12);
    }

    [Theory]
    [InlineData(3, 50, 0.02)]
    [InlineData(17, 400, 0.05)]
    [InlineData(0, 30, 0.2)]
    public void TailsAgreeWithTheBinomialDistribution(long f, long n, double q)
    {
        // Independent route: MathNet's binomial CDF (a direct sum).
        Assert.Equal(Binomial.CDF(q, (int)n, f), ClopperPearson.LowerTail(f, n, q), 12);
        Assert.Equal(f == 0 ? 1.0 : 1 - Binomial.CDF(q, (int)n, f - 1), ClopperPearson.UpperTail(f, n, q), 12);
    }

    [Fact]
    public void BoundsAreWhereTheTailsEqualAlpha()
    {
        double lo = ClopperPearson.Lower(7, 5000, 1e-6), hi = ClopperPearson.Upper(7, 5000, 1e-6);
        Assert.Equal(1e-6, ClopperPearson.UpperTail(7, 5000, lo), 9);
        Assert.Equal(1e-6, ClopperPearson.LowerTail(7, 5000, hi), 9);
        Assert.True(lo < 7.0 / 5000 && 7.0 / 5000 < hi);
    }
}

public class VerdictTests
{
    [Fact]
    public void DeterministicClaimFailsOnOneViolation()
    {
        var c = Claim.Always("x", "holds");
        Assert.Equal(Verdict.Pass, ClaimVerdict.Decide(c, 0, 1, 1e-6).Verdict);
        Assert.Equal(Verdict.Fail, ClaimVerdict.Decide(c, 1, 1000, 1e-6).Verdict);
    }

    [Fact]
    public void VacuousBoundIsReportedNotDecided()
    {
        var v = ClaimVerdict.Decide(new Claim("x", "s", 1.7), 1000, 1000, 1e-6);
        Assert.Equal(Verdict.Vacuous, v.Verdict);
        Assert.True(v.Claim.Vacuous);
    }

    [Fact]
    public void FailExactlyWhenTheLowerBoundExceedsTheBound()
    {
        var c = new Claim("x", "s", 0.01);
        // 30/1000 against 0.01: P(X ≥ 30 | 0.01) ≈ 1e-8 < 1e-6 → FAIL; 20/1000: ≈ 5e-3 → PASS.
        var fail = ClaimVerdict.Decide(c, 30, 1000, 1e-6);
        var pass = ClaimVerdict.Decide(c, 20, 1000, 1e-6);
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.True(fail.Interval.Lower > 0.01);
        Assert.Equal(Verdict.Pass, pass.Verdict);
        Assert.True(pass.Interval.Lower <= 0.01);
    }

    [Fact]
    public void ExactProbabilityIsTestedOnBothSides()
    {
        var c = new Claim("x", "s", 0.3, BoundKind.Exactly);
        Assert.Equal(Verdict.Pass, ClaimVerdict.Decide(c, 300, 1000, 1e-6).Verdict);
        Assert.Equal(Verdict.Fail, ClaimVerdict.Decide(c, 150, 1000, 1e-6).Verdict);  // too few failures refutes it too
        Assert.Equal(Verdict.Fail, ClaimVerdict.Decide(c, 450, 1000, 1e-6).Verdict);
    }

    [Fact]
    public void UndecidedTrialsDecideOnlyWhenBothCompletionsAgree()
    {
        var c = new Claim("x", "s", 0.01);
        // 30 certain failures refute 0.01 whatever the 10 undecided trials were.
        var fail = ClaimVerdict.Decide(c, 30, 10, 1000, 1e-6);
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.Equal(10, fail.Undecided);
        // 5 failures and 5 undecided: PASS either way.
        Assert.Equal(Verdict.Pass, ClaimVerdict.Decide(c, 5, 5, 1000, 1e-6).Verdict);
        // 20 failures PASS, 20 + 10 FAIL: nothing is settled.
        var open = ClaimVerdict.Decide(c, 20, 10, 1000, 1e-6);
        Assert.Equal(Verdict.Undecided, open.Verdict);
        Assert.Equal(ClopperPearson.Lower(20, 1000, 1e-6), open.Interval.Lower, 15);
        Assert.Equal(ClopperPearson.Upper(30, 1000, 1e-6), open.Interval.Upper, 15);
        // A vacuous bound stays vacuous; no undecided trial is the plain decision.
        Assert.Equal(Verdict.Vacuous, ClaimVerdict.Decide(new Claim("x", "s", 2), 3, 4, 10, 1e-6).Verdict);
        Assert.Equal(ClaimVerdict.Decide(c, 20, 1000, 1e-6), ClaimVerdict.Decide(c, 20, 0, 1000, 1e-6));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClaimVerdict.Decide(c, 20, 990, 1000, 1e-6));
    }

    [Fact]
    public void SmallestConsistentConstants()
    {
        // No failures: every C is consistent down to 0.
        Assert.Equal(0.0, ConsistentConstants.SmallestC(0, 100, 1e-6, 0.5, 1000, 55));
        double c = ConsistentConstants.SmallestC(40, 100, 1e-6, 0.5, 1000, 55);
        Assert.Equal(ClopperPearson.Lower(40, 100, 1e-6) * 0.25 * 1000 / 55, c, 12);
        // ξ: needs 0.1..1.0 in 10 trials; bound 0.05 allows no failure at α = 1e-6 only if P(X ≥ 1 | 0.05) < α,
        // which is false (0.40), so allowed failures grow until P(X ≥ f+1 | 0.05) < 1e-6.
        var needs = Enumerable.Range(1, 10).Select(k => k / 10.0).ToArray();
        double xi = ConsistentConstants.SmallestXi(needs, 0.05, 1e-6);
        long allowed = 0;
        while (ClopperPearson.UpperTail(allowed + 1, 10, 0.05) >= 1e-6) allowed++;
        Assert.Equal(allowed >= 10 ? 0.0 : needs.OrderByDescending(x => x).ElementAt((int)allowed), xi);
        Assert.Equal(0.0, ConsistentConstants.SmallestXi(needs, 1.5, 1e-6));
    }
}

public class TrendCheckTests
{
    [Fact]
    public void OneOverPDecayPassesAndSlowerDecayFails()
    {
        // Rates exactly 0.08·(100/p): p·q constant → not refuted.
        var good = new[] { 100, 200, 400, 800 }.Select(p => new SweepPoint(p, (long)(0.08 * 100 / p * 20000), 20000)).ToList();
        Assert.False(TrendCheck.DecaysAtLeastLike(good, 1.0, 1e-6).Refuted);
        // Rates decaying like p^(−1/2): p·q grows ∝ √p → refuted with these counts.
        var slow = new[] { 100, 200, 400, 800 }.Select(p => new SweepPoint(p, (long)(0.08 * Math.Sqrt(100.0 / p) * 20000), 20000)).ToList();
        var r = TrendCheck.DecaysAtLeastLike(slow, 1.0, 1e-6);
        Assert.True(r.Refuted);
        Assert.Equal(-0.5, r.FittedSlope, 1);
    }

    [Fact]
    public void SaturatedPointsDoNotAnchorTheComparison()
    {
        // 90% then 60% failures: p·q rises, but the first point is not in the tail regime.
        var pts = new List<SweepPoint> { new(50, 900, 1000), new(100, 600, 1000), new(200, 50, 1000) };
        Assert.False(TrendCheck.DecaysAtLeastLike(pts, 1.0, 1e-6).Refuted);
    }
}

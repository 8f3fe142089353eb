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
        // At the flip (n = 1000, bound 0.01, α = 1e-6: 29 failures is the smallest refuting count by exact rational sums,
        // ProbabilityPowerTests): the one-sided lower Clopper–Pearson bound crosses the bound exactly there.
        var fail = ClaimVerdict.Decide(c, 29, 1000, 1e-6);
        var pass = ClaimVerdict.Decide(c, 28, 1000, 1e-6);
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
        // C_min·D/(δ²p) is the rate L at which 40 or more failures in 100 trials have probability α (MathNet's binomial sum).
        double c = ConsistentConstants.SmallestC(40, 100, 1e-6, 0.5, 1000, 55);
        double rate = c * 55 / (0.25 * 1000);
        Assert.Equal(1e-6, 1 - Binomial.CDF(rate, 100, 39), 9);
        // ξ: needs 0.1, 0.2, …, 1.0 in 10 trials against bound 0.05 at α = 1e-6. By exact rational sums P(X ≥ 7 | 10, 0.05) < 1e-6
        // ≤ P(X ≥ 6 | 10, 0.05) ≈ 2.75e-6, so at most 6 failures are consistent: ξ = 0.4 leaves 6 trials above it (0.5 … 1.0).
        var needs = Enumerable.Range(1, 10).Select(k => k / 10.0).ToArray();
        Assert.Equal(7, ExactBinomial.SmallestRefutingCount(10, 1, 20, 1, 1_000_000));
        Assert.Equal(0.4, ConsistentConstants.SmallestXi(needs, 0.05, 1e-6), 15);
        Assert.Equal(0.0, ConsistentConstants.SmallestXi(needs, 1.5, 1e-6));
    }
}

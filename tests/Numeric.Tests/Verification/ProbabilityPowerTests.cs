using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.Verification;

/// <summary>
/// The decision layer of probability claims pinned by exact rational binomial sums (<see cref="ExactBinomial"/>): where each
/// decision flips, which counts can refute, when no count can (UNDERPOWERED), and the trials that give power. The boundary
/// cases are chosen so that a tail at the last passing count lies in [α, 2α) (or [α/2, α) for exact claims): a rule using
/// 2α, or α instead of α/2, decides that count differently and fails these tests.
/// </summary>
public class ProbabilityPowerTests
{
    // (n, bound num/den, the smallest refuting count at α = 1e-6), found by the exact sums; the tail at k − 1 is in [α, 2α).
    [Theory]
    [InlineData(300, 44, 100, 174)]   // the default report's Theorem 3 point: n = 300, bound 0.44
    [InlineData(1000, 1, 100, 29)]
    public void AtMostFlipsExactlyAtTheSmallestRefutingCount(int n, long num, long den, int expected)
    {
        Assert.Equal(expected, ExactBinomial.SmallestRefutingCount(n, num, den, 1, 1_000_000));
        // The case can tell α from 2α: the last passing count's tail lies in [α, 2α).
        Assert.False(ExactBinomial.UpperTailBelow(expected - 1, n, num, den, 1, 1_000_000));
        Assert.True(ExactBinomial.UpperTailBelow(expected - 1, n, num, den, 2, 1_000_000));
        var claim = new Claim("x", "s", (double)num / den);
        Assert.Equal(Verdict.Pass, ClaimVerdict.Decide(claim, expected - 1, n, 1e-6).Verdict);
        var fail = ClaimVerdict.Decide(claim, expected, n, 1e-6);
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.Equal(expected, fail.Power.MinFailuresToFail);
        Assert.Null(fail.Power.MaxFailuresToFail);
    }

    [Fact]
    public void ExactProbabilityFlipsOnBothSidesAtHalfTheRate()
    {
        // n = 100, P = 0.3, α = 1e-3 (α/2 per side): refuting counts ≥ 47 and ≤ 15 by the exact sums; P(X ≥ 46) and P(X ≤ 16)
        // lie in [α/2, α), so a rule testing each side at α instead of α/2 refutes 46 and 16 too.
        const int n = 100;
        Assert.Equal(47, Enumerable.Range(1, n).First(k => ExactBinomial.UpperTailBelow(k, n, 3, 10, 1, 2000)));
        Assert.Equal(15, Enumerable.Range(0, n).Last(k => ExactBinomial.LowerTailBelow(k, n, 3, 10, 1, 2000)));
        Assert.True(ExactBinomial.UpperTailBelow(46, n, 3, 10, 1, 1000) && !ExactBinomial.UpperTailBelow(46, n, 3, 10, 1, 2000));
        Assert.True(ExactBinomial.LowerTailBelow(16, n, 3, 10, 1, 1000) && !ExactBinomial.LowerTailBelow(16, n, 3, 10, 1, 2000));
        var claim = new Claim("x", "s", 0.3, BoundKind.Exactly);
        foreach (var (f, verdict) in new[] { (14, Verdict.Fail), (15, Verdict.Fail), (16, Verdict.Pass), (30, Verdict.Pass), (46, Verdict.Pass), (47, Verdict.Fail) })
            Assert.True(verdict == ClaimVerdict.Decide(claim, f, n, 1e-3).Verdict, $"{f} failures");
        var power = ProbabilityPower.Of(claim, n, 1e-3);
        Assert.Equal(47, power.MinFailuresToFail);
        Assert.Equal(15, power.MaxFailuresToFail);
    }

    [Fact]
    public void NoCountRefutesTooFewTrialsSoTheVerdictIsUnderpowered()
    {
        // The example: 8 trials at bound 0.73 (quick report, p = 600): 0.73^8 ≈ 0.08 ≥ 1e-6, so even 8/8 failures pass.
        var claim = new Claim("lemma2.norm.diag", "s", 0.73);
        Assert.False(ExactBinomial.UpperTailBelow(8, 8, 73, 100, 1, 1_000_000));
        var v = ClaimVerdict.Decide(claim, 8, 8, 1e-6);
        Assert.Equal(Verdict.Underpowered, v.Verdict);
        Assert.False(v.Power.CanFail);
        Assert.Null(v.Power.MinFailuresToFail);
        // 0.73^44 < 1e-6 ≤ 0.73^43: 44 trials are the fewest with a refuting count (all 44 failing).
        Assert.True(ExactBinomial.UpperTailBelow(44, 44, 73, 100, 1, 1_000_000));
        Assert.False(ExactBinomial.UpperTailBelow(43, 43, 73, 100, 1, 1_000_000));
        Assert.Equal(44, v.Power.TrialsToRefute);
        Assert.Equal(Verdict.Fail, ClaimVerdict.Decide(claim, 44, 44, 1e-6).Verdict);
        Assert.Equal(Verdict.Pass, ClaimVerdict.Decide(claim, 43, 44, 1e-6).Verdict);
        // Theorem 3's certified test ran 2 trials at bound 0.0044: 0.0044² ≥ 1e-6, 3 trials are needed.
        var certified = ClaimVerdict.Decide(new Claim("eigen.gap", "s", 0.0044), 0, 2, 1e-6);
        Assert.Equal(Verdict.Underpowered, certified.Verdict);
        Assert.Equal(3, certified.Power.TrialsToRefute);
        // Undecided trials cannot make an underpowered claim decided, and a vacuous claim stays vacuous.
        Assert.Equal(Verdict.Underpowered, ClaimVerdict.Decide(claim, 2, 3, 8, 1e-6).Verdict);
        Assert.Equal(Verdict.Vacuous, ClaimVerdict.Decide(new Claim("x", "s", 1.2), 0, 8, 1e-6).Verdict);
        Assert.False(ClaimVerdict.Decide(new Claim("x", "s", 1.2), 0, 8, 1e-6).Power.CanFail);
    }

    [Fact]
    public void TheRateRefutedWithPowerAndTheTrialsForPower()
    {
        var claim = new Claim("x", "s", 0.44);
        var power = ProbabilityPower.Of(claim, 300, 1e-6);
        // P(X ≥ 174 | 300, q) = 0.9 at the reported rate (MathNet's binomial sum as the second route).
        double q = power.RateRefutedWithPower!.Value;
        Assert.Equal(0.9, 1 - MathNet.Numerics.Distributions.Binomial.CDF(q, 300, 173), 6);
        Assert.InRange(q, 0.58, 0.65);
        // The alternative is min(2b, (1 + b)/2) = 0.72; at the trials reported its refutation probability (exact sums) is ≥ 0.9
        // and one trial fewer it is below.
        Assert.Equal(0.72, power.Alternative!.Value, 15);
        int n = checked((int)power.TrialsForPower!.Value);
        double At(int trials)
        {
            int k = ExactBinomial.SmallestRefutingCount(trials, 44, 100, 1, 1_000_000)!.Value;
            return ExactBinomial.UpperTail(k, trials, 72, 100);
        }
        Assert.True(At(n) >= 0.9, $"power {At(n)} at {n} trials");
        Assert.True(At(n - 1) < 0.9, $"power {At(n - 1)} at {n - 1} trials");
        Assert.Equal(At(n), ProbabilityPower.Refutation(claim, n, 1e-6, 0.72), 9);
        // A deterministic claim: one trial can refute it, and the rate refuted with power 0.9 in n trials is 1 − 0.1^(1/n).
        var sure = ProbabilityPower.Of(Claim.Always("x", "s"), 20, 1e-6);
        Assert.Equal(1, sure.MinFailuresToFail);
        Assert.Equal(1, sure.TrialsForPower);
        Assert.Equal(1 - Math.Pow(0.1, 1.0 / 20), sure.RateRefutedWithPower!.Value, 9);
    }
}

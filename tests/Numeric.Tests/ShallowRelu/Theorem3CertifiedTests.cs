using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.ShallowRelu;

public class Theorem3CertifiedTests
{
    [Theory]
    [InlineData(3, 400, 0.05)]   // small δ: Rayleigh and eigenvalue claims fail in some trials and hold in others
    [InlineData(4, 300, 0.3)]
    public void CertifiedDecisionsAgreeWithTheDenseOnesAndDecideAlmostEveryTrial(int d, int p, double delta)
    {
        var dense = Theorem3Parameters.WithDefaultSlack(d, p, delta, Theorem3Verification.ConstantFor(d));
        var certified = dense with { DenseLimit = 10 };
        Assert.False(dense.Certified);
        Assert.True(certified.Certified);
        var exact = new Theorem3Experiment(dense with { ExactJ = true });
        var bounded = new Theorem3Experiment(certified);
        Assert.Equal(exact.Claims.Select(c => c.Name), bounded.Claims.Select(c => c.Name));
        int undecided = 0, decided = 0, failures = 0;
        var names = bounded.MeasurementNames.ToList();
        for (int k = 0; k < 24; k++)
        {
            var seed = TrialRunner.TrialSeed(9, "theorem3", k);
            var e = exact.Run(seed);
            var b = bounded.Run(seed);
            for (int c = Theorem3Experiment.RayleighMean; c < exact.Claims.Count; c++)
            {
                bool open = b.Measurements[names.IndexOf(TrialLog.UndecidedPrefix + exact.Claims[c].Name)] != 0;
                if (open) { undecided++; Assert.False(b.Failed[c]); continue; }
                decided++;
                failures += e.Failed[c] ? 1 : 0;
                Assert.True(e.Failed[c] == b.Failed[c], $"trial {k}, {exact.Claims[c].Name}: dense {e.Failed[c]}, certified {b.Failed[c]}");
            }
            // The certified measurements are the lower ends: never above the exact values.
            foreach (var name in new[] { "rayleigh.v0", "rayleigh.W", "lambda.leading", "lambda.linear", "lambda.quadratic" })
                Assert.True(b.Measurements[names.IndexOf(name)] <= e.Measurements[exact.MeasurementNames.ToList().IndexOf(name)] + 1e-12, name);
        }
        Assert.True(failures > 0 || delta > 0.1, "the small-δ case must exercise failing claims");
        Assert.True(undecided <= 0.05 * (undecided + decided), $"{undecided} undecided of {undecided + decided}");
    }

    [Fact]
    public void AtLargePEveryClaimOnJIsDecidedWithPower()
    {
        // 4 trials at bound 0.0044 can refute (3 failures of 4: P(X ≥ 3 | 4, 0.0044) ≈ 3.4e-7 < 1e-6; 2 trials could not, and
        // every verdict was a PASS that could not have been a FAIL).
        var prm = Theorem3Parameters.WithDefaultSlack(3, 100_000, 0.5, Theorem3Verification.ConstantFor(3));
        Assert.True(prm.Certified);
        Assert.True(prm.Bound < 1);
        var report = Theorem3Verification.Run(prm, 4, 1, 1e-6);
        Assert.Equal(17, report.Results.Count);
        Assert.All(report.Results, r => Assert.Equal(Verdict.Pass, r.Verdict.Verdict));
        Assert.All(report.Results, r => Assert.Equal(0, r.Verdict.Undecided));
        Assert.All(report.Results.Where(r => r.Verdict.Claim.Kind == BoundKind.AtMost), r => Assert.Equal(3, r.Verdict.Power.MinFailuresToFail));
        // The same trials with ξ = 0 (the lemma's O(1/d) offsets of the means ignored): the norms of v^(γ) miss 1 by 3/(d+2) = 0.6 > δ
        // in every trial, and 4 failures of 4 refute the bound.
        var wrong = Theorem3Verification.Run(prm.WithoutJ() with { XiPair = 0, XiDiagonal = 0 }, 4, 1, 1e-6);
        Assert.Equal(Verdict.Fail, wrong.Results.First(r => r.Verdict.Claim.Name == "lemma2.norm.diag").Verdict.Verdict);
    }
}

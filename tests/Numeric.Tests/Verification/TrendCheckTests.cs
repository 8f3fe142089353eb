using FimVerify.Numeric.Verification;
using MathNet.Numerics.Distributions;
using Xunit;

namespace FimVerify.Numeric.Tests.Verification;

/// <summary>
/// The 1/p decay rule on synthetic sweeps whose counts are set, not drawn (deterministic decisions): at the property test's
/// sizes (p = 50 … 800) a constant 5% rate is refuted with 400 trials a point, an exact 1/p decay passes with power with 1000
/// (with 400 it is UNDERPOWERED: a constant rate at its tail-regime level would be refuted only half the time), slower decays
/// are refuted where the counts resolve them, undecided trials are counted both ways, and a sweep without failures in its tail
/// regime is UNDERPOWERED.
/// </summary>
public class TrendCheckTests
{
    private static readonly int[] Ps = [50, 100, 200, 400, 800];

    private static List<SweepPoint> Sweep(Func<int, double> rate, long trials) =>
        Ps.Select(p => new SweepPoint(p, (long)Math.Round(rate(p) * trials), trials)).ToList();

    [Fact]
    public void AConstantFivePercentRateIsRefuted()
    {
        // 20/400 at every p: the one-sided upper bound at p = 50 (≈ 0.12 at α/20) is inside the tail regime (0.2), and
        // 800·q(800) is far above 50·q(50). The former regime threshold 0.1 left every point out of the regime: no refutation.
        var r = TrendCheck.DecaysAtLeastLike(Sweep(_ => 0.05, 400), 1.0, 1e-6);
        Assert.True(r.Refuted, r.Worst);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.InRange(ClopperPearson.Upper(20, 400, 1e-6 / 20), 0.1, 0.2);
    }

    [Fact]
    public void AnExactOneOverPDecayPassesWithPowerAgainstAConstantRate()
    {
        // q(p) = 0.2·50/p: 200, 100, 50, 25, 12 failures of 1000. Nothing is refuted, and a rate held at the first tail-regime
        // level (p = 100, 10%) would have been refuted with probability ≥ 0.9; a decay like p^(−0.1) too.
        var r = TrendCheck.DecaysAtLeastLike(Sweep(p => 0.2 * 50 / p, 1000), 1.0, 1e-6);
        Assert.False(r.Refuted, r.Worst);
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Equal(100, r.ReferenceX);
        Assert.True(r.ConstantRatePower >= 0.9, $"power {r.ConstantRatePower}");
        Assert.InRange(r.DetectableExponent!.Value, 0.1, 0.9);
        // The same decay with 400 trials a point: not refuted, but a constant rate would have passed as often as not.
        var weak = TrendCheck.DecaysAtLeastLike(Sweep(p => 0.2 * 50 / p, 400), 1.0, 1e-6);
        Assert.Equal(Verdict.Underpowered, weak.Verdict);
        Assert.InRange(weak.ConstantRatePower, 0.1, 0.9);
    }

    [Fact]
    public void ASquareRootDecayIsRefutedWhereTheCountsResolveIt()
    {
        // q(p) = 0.2·√(50/p) with 4000 trials a point: p·q(p) grows like √p and the rule sees it.
        var r = TrendCheck.DecaysAtLeastLike(Sweep(p => 0.2 * Math.Sqrt(50.0 / p), 4000), 1.0, 1e-6);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal(-0.5, r.FittedSlope, 2);
    }

    [Fact]
    public void SaturatedPointsDoNotAnchorTheComparison()
    {
        // 30% then 25% (p·q: 15 → 25): the first point is outside the tail regime, where no power law is asserted. With a
        // regime threshold above 0.3 the pair would refute the claim (upper bound 0.31·50 < lower bound 0.24·100).
        var pts = new List<SweepPoint> { new(50, 3000, 10000), new(100, 2500, 10000), new(200, 600, 10000) };
        var r = TrendCheck.DecaysAtLeastLike(pts, 1.0, 1e-6);
        Assert.False(r.Refuted);
        Assert.True(ClopperPearson.Upper(3000, 10000, 1e-6 / 6) * 50 < ClopperPearson.Lower(2500, 10000, 1e-6 / 6) * 100);
    }

    [Fact]
    public void UndecidedTrialsAreCountedBothWays()
    {
        // 20/400 at p = 50 and 2 (+ u undecided)/400 at p = 800: with u = 0, 800·q is not significantly above 50·q; with 40 undecided
        // trials at p = 800 the completion "all fail" refutes and "none fails" does not: UNDECIDED; with the undecided trials at the
        // small p instead, the least favourable completion (they fail there) keeps p = 50 out of the tail regime.
        var clean = new List<SweepPoint> { new(50, 20, 400), new(800, 2, 400) };
        Assert.NotEqual(Verdict.Fail, TrendCheck.DecaysAtLeastLike(clean, 1.0, 1e-6).Verdict);
        var open = new List<SweepPoint> { new(50, 20, 400), new(800, 2, 400) { Undecided = 40 } };
        Assert.Equal(Verdict.Undecided, TrendCheck.DecaysAtLeastLike(open, 1.0, 1e-6).Verdict);
        var certain = new List<SweepPoint> { new(50, 20, 400), new(800, 60, 400) { Undecided = 40 } };
        Assert.Equal(Verdict.Fail, TrendCheck.DecaysAtLeastLike(certain, 1.0, 1e-6).Verdict);
        var small = new List<SweepPoint> { new(50, 20, 400) { Undecided = 100 }, new(800, 60, 400) };
        Assert.Equal(Verdict.Undecided, TrendCheck.DecaysAtLeastLike(small, 1.0, 1e-6).Verdict);
    }

    [Fact]
    public void WithoutFailuresInTheTailRegimeTheSweepIsUnderpowered()
    {
        // No failure anywhere: consistent with any decay, and with a constant rate too small to see.
        var none = TrendCheck.DecaysAtLeastLike(Sweep(_ => 0, 400), 1.0, 1e-6);
        Assert.Equal(Verdict.Underpowered, none.Verdict);
        Assert.Equal(0, none.ConstantRatePower);
        // 2 failures of 40 at the reference: a constant 5% over 40 trials cannot be told from a 1/p decay.
        var few = TrendCheck.DecaysAtLeastLike(Ps.Select(p => new SweepPoint(p, p <= 100 ? 2 : 0, 40)).ToList(), 1.0, 1e-6);
        Assert.Equal(Verdict.Underpowered, few.Verdict);
        Assert.True(few.ConstantRatePower < 0.9);
    }

    [Fact]
    public void ThePowerIsTheExactProbabilityThatThePairRefutes()
    {
        // Second route: enumerate both binomial counts and decide each pair with the Clopper–Pearson bounds themselves.
        var pts = new List<SweepPoint> { new(100, 12, 200), new(200, 3, 200), new(400, 2, 200) };
        var r = TrendCheck.DecaysAtLeastLike(pts, 1.0, 1e-3);
        double a = 1e-3 / 6, q = 12.0 / 200, power = 0;
        for (int f0 = 0; f0 <= 200; f0++)
        {
            double upper = ClopperPearson.Upper(f0, 200, a);
            if (upper > TrendCheck.TailRegime) continue;
            for (int f1 = 0; f1 <= 200; f1++)
                if (ClopperPearson.Lower(f1, 200, a) * 400 > upper * 100)
                    power += Binomial.PMF(q, 200, f0) * Binomial.PMF(q, 200, f1);
        }
        Assert.Equal(power, r.ConstantRatePower, 6);
    }
}

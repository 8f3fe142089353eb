using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.Verification;

/// <summary>
/// "Vanishes at least like x^(−γ_min)": the exponent's estimate, interval and power by hand on sweeps set exactly (no randomness),
/// and the three outcomes — a statistic decaying at the central-limit rate passes, one that does not decay is refuted, one
/// measured too coarsely is UNDERPOWERED (the rule never passes a design that could not have refuted "no decay").
/// </summary>
public class DecayVerdictTests
{
    private static readonly DecayClaim Claim = new("x", "vanishes", 0.25, "synthetic");

    /// <summary>Means of ln y exactly on ln c − γ ln x at M = 100 … 800, 16 trials a width, per-trial sd of ln y <paramref name="sd"/>.</summary>
    private static List<SweepSample> LogMeans(double gamma, double sd) =>
        new[] { 100.0, 200, 400, 800 }.Select(m => new SweepSample(m, Math.Log(2) - gamma * Math.Log(m), sd * sd / 16, 15, 16)).ToList();

    [Fact]
    public void TwoSizesGiveTheExponentByHand()
    {
        // ln y: −1.0 at x = 100 and −1.5 at x = 400: γ = 0.5/ln 4; se = √(V₁ + V₂)/ln 4; ν = min(9, 19); upper bound γ + t_{9,0.999}·se
        // with t_{9, 0.999} = 4.29680566272992 and t_{9, 0.9} = 1.38302873839663 (mpmath).
        var v = DecayVerdict.Decide(Claim, [new SweepSample(100, -1.0, 0.004, 9, 10), new SweepSample(400, -1.5, 0.001, 19, 20)], 1e-3, logs: true);
        double se = Math.Sqrt(0.005) / Math.Log(4);
        Assert.Equal(0.5 / Math.Log(4), v.Exponent, 13);
        Assert.Equal(se, v.StandardError, 13);
        Assert.Equal(9, v.DegreesOfFreedom);
        Assert.Equal(0.5 / Math.Log(4) + 4.29680566272992 * se, v.UpperBound, 9);
        Assert.Equal((4.29680566272992 + 1.38302873839663) * se, v.DetectableShortfall, 9);
    }

    [Fact]
    public void TheCentralLimitRatePassesNoDecayFailsAndACoarseSweepIsUnderpowered()
    {
        var clt = DecayVerdict.Decide(Claim, LogMeans(0.5, 0.2), 1e-3, logs: true);
        Assert.Equal(Verdict.Pass, clt.Verdict);
        Assert.Equal(0.5, clt.Exponent, 12);
        var flat = DecayVerdict.Decide(Claim, LogMeans(0.0, 0.2), 1e-3, logs: true);
        Assert.Equal(Verdict.Fail, flat.Verdict);
        var coarse = DecayVerdict.Decide(Claim, LogMeans(0.5, 2.0), 1e-3, logs: true);
        Assert.Equal(Verdict.Underpowered, coarse.Verdict);
        Assert.True(coarse.DetectableShortfall > 0.25);
        // From per-trial values: all positive, so the geometric mean's rate; values decaying like x^(−1/2) times a fixed pattern.
        double[] pattern = [0.8, 0.9, 1.0, 1.1, 1.2, 0.95, 1.05, 1.0];
        var trials = new[] { 100.0, 200, 400, 800 }.Select(m => (m, (IReadOnlyList<double>)pattern.Select(p => p / Math.Sqrt(m)).ToArray())).ToList();
        var fromTrials = DecayVerdict.FromTrials(Claim, trials, 1e-3);
        Assert.Equal(0.5, fromTrials.Exponent, 12);
        // A non-positive value leaves no log scale: the means with the delta method instead.
        var withZero = new[] { (100.0, (IReadOnlyList<double>)[0.0, 0.2, 0.1]), (400.0, (IReadOnlyList<double>)[0.05, 0.06, 0.04]) };
        Assert.Equal(Verdict.Underpowered, DecayVerdict.FromTrials(Claim, withZero, 1e-3).Verdict);
    }
}

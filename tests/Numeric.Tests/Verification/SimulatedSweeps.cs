using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.Verification;

/// <summary>
/// Calibration and power of a limit rule over simulated sweeps: Gaussian trials around a stated mean curve with a stated sd at
/// each size. The false-alarm count under the true limit and the refutation count at the design's detectable error are each
/// decided by a one-sided binomial test at false-alarm rate 10⁻⁶, so a test built on it holds for any seed and fails for a rule
/// that is off by a clear margin.
/// </summary>
internal static class SimulatedSweeps
{
    /// <summary>How many of <paramref name="sweeps"/> sweeps, trial means shifted by <paramref name="shift"/>, the claim refutes.</summary>
    public static int Refutations(LimitClaim claim, double alpha, IReadOnlyList<double> sizes, int trials, Func<double, double> mean,
        Func<double, double> sd, int sweeps, double shift, long seed)
    {
        int refuted = 0;
        var values = new double[trials];
        for (int s = 0; s < sweeps; s++)
        {
            var samples = new List<SweepSample>();
            foreach (double x in sizes)
            {
                SeedSequence.FromSeed(seed).Child(s).Child((long)x).CreateSampler().FillGaussian(values, sd(x));
                samples.Add(SweepSample.FromValues(x, values.Select(v => v + mean(x) + shift).ToArray()));
            }
            if (LimitVerdict.Decide(claim, samples, alpha).Verdict == Verdict.Fail) refuted++;
        }
        return refuted;
    }

    /// <summary>
    /// Asserts at most α false alarms under the true curve (seed) and at least 0.9 refutations at <paramref name="detectable"/>
    /// (seed + 1), each by the binomial test at 10⁻⁶.
    /// </summary>
    public static void AssertCalibratedWithPower(LimitClaim claim, double alpha, IReadOnlyList<double> sizes, int trials, Func<double, double> mean,
        Func<double, double> sd, double detectable, int sweeps, long seed)
    {
        int falseAlarms = Refutations(claim, alpha, sizes, trials, mean, sd, sweeps, 0, seed);
        int hits = Refutations(claim, alpha, sizes, trials, mean, sd, sweeps, detectable, seed + 1);
        Assert.True(ClopperPearson.UpperTail(falseAlarms, sweeps, alpha) >= 1e-6, $"{falseAlarms}/{sweeps} false alarms at α = {alpha}");
        Assert.True(ClopperPearson.LowerTail(hits, sweeps, 0.9) >= 1e-6, $"{hits}/{sweeps} refutations at the detectable error {detectable}");
    }
}

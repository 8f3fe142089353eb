using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace FimVerify.Numeric.Tests.Verification;

/// <summary>
/// The limit estimator: known answers (Student t quantiles from mpmath, the weighted least-squares solution by the normal
/// equations), deterministic synthetic sweeps (means exactly on the model: a true limit passes, a
/// limit off by 10% fails, a coarse design is UNDERPOWERED), and the calibration and power of the interval over many simulated
/// sweeps (decided by a binomial test at false-alarm rate 1e-6, so they hold for any seed).
/// </summary>
public class LimitVerdictTests
{
    private static readonly FiniteSizeModel InverseWidth = FiniteSizeModel.PowerLaw(1, "synthetic: corrections in 1/M");

    [Fact]
    public void OneSizeWithoutAFiniteSizeTermIsAStudentTInterval()
    {
        // Values 1, 2, 3, 4: mean 2.5, s² = 5/3, se² = 5/12, 3 df; t_{3, 0.975} = 3.1824463052837 and t_{3, 0.9} = 1.6377443536962
        // (mpmath, 30 digits).
        var claim = new LimitClaim("x", "s", 1, FiniteSizeModel.Constant("synthetic"));
        var v = LimitVerdict.Decide(claim, [SweepSample.FromValues(10, [1, 2, 3, 4])], 0.05);
        double se = Math.Sqrt(5.0 / 12);
        Assert.Equal(2.5, v.Estimate, 14);
        Assert.Equal(se, v.StandardError, 14);
        Assert.Equal(3, v.DegreesOfFreedom, 12);
        Assert.Equal(2.5 - 3.1824463052837 * se, v.Interval.Lower, 9);
        Assert.Equal(2.5 + 3.1824463052837 * se, v.Interval.Upper, 9);
        Assert.Equal((3.1824463052837 + 1.6377443536962) * se, v.DetectableError, 9);
        // 1 lies inside, but the design cannot resolve an error of |target| = 1: UNDERPOWERED, not PASS.
        Assert.Equal(Verdict.Underpowered, v.Verdict);
        Assert.Equal(Verdict.Fail, LimitVerdict.Decide(claim with { Target = -0.5 }, [SweepSample.FromValues(10, [1, 2, 3, 4])], 0.05).Verdict);
        Assert.Equal(Verdict.Pass, LimitVerdict.Decide(claim with { Target = 2, Resolution = 4 }, [SweepSample.FromValues(10, [1, 2, 3, 4])], 0.05).Verdict);
    }

    [Fact]
    public void TwoSizesInterpolateAndTheSmallestDegreesOfFreedomCount()
    {
        // limit + a/x through (100, ȳ₁), (400, ȳ₂): limit = (400ȳ₂ − 100ȳ₁)/300, so c = (−1/3, 4/3) whatever the weights.
        var s1 = new SweepSample(100, 1.30, 0.0004, 9, 10);
        var s2 = new SweepSample(400, 1.06, 0.0001, 19, 20);
        var v = LimitVerdict.Decide(new LimitClaim("x", "s", 1, InverseWidth), [s2, s1], 1e-3);
        Assert.Equal((400 * 1.06 - 100 * 1.30) / 300, v.Estimate, 13);
        double t1 = 0.0004 / 9, t2 = 16 * 0.0001 / 9;
        Assert.Equal(Math.Sqrt(t1 + t2), v.StandardError, 14);
        Assert.Equal(9, v.DegreesOfFreedom);
        Assert.Equal(-(0.0 - 1.30 + 1.06) / (1.0 / 100 - 1.0 / 400), v.FiniteSizeCoefficient!.Value, 9);
        Assert.Null(v.FitPValue);
    }

    [Fact]
    public void TheFitIsWeightedLeastSquaresWithTheModelsWeights()
    {
        // Four sizes, weights n·x: the normal equations (FᵀWF)β = FᵀWy solved by MathNet as the second route.
        double[] xs = [250, 500, 1000, 2000], means = [1.020, 1.013, 1.004, 1.003], trials = [16, 16, 12, 8];
        var samples = xs.Select((x, i) => new SweepSample(x, means[i], 0.01 / x, trials[i] - 1, trials[i])).ToList();
        var v = LimitVerdict.Decide(new LimitClaim("x", "s", 1, InverseWidth), samples, 1e-3);
        var f = Matrix<double>.Build.Dense(4, 2, (i, j) => j == 0 ? 1 : 1 / xs[i]);
        var w = Matrix<double>.Build.Diagonal(4, 4, i => trials[i] * xs[i]);
        var beta = (f.Transpose() * w * f).Solve(f.Transpose() * w * Vector<double>.Build.Dense(means));
        Assert.Equal(beta[0], v.Estimate, 12);
        Assert.Equal(beta[1], v.FiniteSizeCoefficient!.Value, 8);
        // Its variance Σ c_i² V_i with c the first row of (FᵀWF)⁻¹FᵀW.
        var c = ((f.Transpose() * w * f).Inverse() * f.Transpose() * w).Row(0);
        Assert.Equal(Math.Sqrt(Enumerable.Range(0, 4).Sum(i => c[i] * c[i] * samples[i].MeanVariance)), v.StandardError, 13);
        Assert.NotNull(v.FitPValue);
    }

    /// <summary>Means exactly on limit + 3/M at M = 250 … 2000, 16 trials a width, per-trial sd σ·√(250/M).</summary>
    private static List<SweepSample> OnTheModel(double limit, double sd = 0.1) =>
        new[] { 250.0, 500, 1000, 2000 }.Select(m => new SweepSample(m, limit + 3 / m, sd * sd * 250 / m / 16, 15, 16)).ToList();

    [Fact]
    public void ATrueLimitPassesAndALimitOffByTenPercentFails()
    {
        // Per-trial sd 0.08 at M = 250 (the default report's mean-field ratios scatter less): an error of 5% is resolved.
        var claim = new LimitClaim("ratio", "measured/predicted → 1", 1, InverseWidth, Resolution: 0.05);
        var exact = LimitVerdict.Decide(claim, OnTheModel(1.0, 0.08), 1e-3);
        Assert.Equal(Verdict.Pass, exact.Verdict);
        Assert.Equal(1.0, exact.Estimate, 12);
        Assert.True(exact.DetectableRelativeError < 0.05, $"detectable {exact.DetectableRelativeError}");
        Assert.Equal(1.0, exact.FitPValue!.Value, 9);
        var off = LimitVerdict.Decide(claim, OnTheModel(1.1, 0.08), 1e-3);
        Assert.Equal(Verdict.Fail, off.Verdict);
        Assert.Equal(1.1, off.Estimate, 12);
        // The same with a resolution the design cannot meet: UNDERPOWERED (an error of 0.1 is detectable, 0.001 is not).
        Assert.Equal(Verdict.Underpowered, LimitVerdict.Decide(claim with { Resolution = 0.001 }, OnTheModel(1.0, 0.08), 1e-3).Verdict);
        // One-sided relations: "limit ≥ 1.05" fails at 1, "limit ≤ 1.05" passes.
        Assert.Equal(Verdict.Fail, LimitVerdict.Decide(claim with { Target = 1.05, Relation = LimitRelation.AtLeast }, OnTheModel(1.0, 0.08), 1e-3).Verdict);
        Assert.Equal(Verdict.Pass, LimitVerdict.Decide(claim with { Target = 1.05, Relation = LimitRelation.AtMost }, OnTheModel(1.0, 0.08), 1e-3).Verdict);
    }

    [Fact]
    public void ASweepThatCannotEstimateTheLimitIsUnderpowered()
    {
        var claim = new LimitClaim("x", "s", 1, InverseWidth);
        Assert.Equal(Verdict.Underpowered, LimitVerdict.Decide(claim, [SweepSample.FromValues(100, [1.0, 1.1, 0.9])], 1e-3).Verdict);
        Assert.Equal(Verdict.Underpowered, LimitVerdict.Decide(claim, [SweepSample.FromValues(100, [1.0]), SweepSample.FromValues(200, [1.0, 1.1])], 1e-3).Verdict);
        Assert.Throws<NumericalException>(() => SweepSample.FromValues(100, [1.0, double.NaN]));
    }

    /// <summary>
    /// Simulated sweeps, Gaussian trials with sd 0.1·√(250/M) around 1 + δ + 3/M, 16 a width: under δ = 0 the interval at α = 0.05
    /// excludes 1 in at most 5% of 3000 sweeps, and at δ = the design's detectable error (computed from the true variances) it
    /// does in at least 90%. Each is decided by a one-sided binomial test at false-alarm rate 1e-6 (refuted when P(X ≥ x | 0.05)
    /// or P(X ≤ x | 0.9) is below it), so the test holds for any seed and fails for a rule that is off by a clear margin (α/2 → α:
    /// 10% false alarms). Measured (3 seeds): 4.5% false alarms, 90.8% refutations at the detectable error.
    /// </summary>
    [Fact]
    public void TheIntervalIsCalibratedAndHasItsStatedPower()
    {
        const int sweeps = 3000;
        const double alpha = 0.05;
        var claim = new LimitClaim("x", "s", 1, InverseWidth, Resolution: 1);
        double[] widths = [250, 500, 1000, 2000];
        double detectable = LimitVerdict.Decide(claim, OnTheModel(1.0), alpha).DetectableError;
        SimulatedSweeps.AssertCalibratedWithPower(claim, alpha, widths, 16, m => 1 + 3 / m, m => 0.1 * Math.Sqrt(250 / m), detectable, sweeps, seed: 11);
    }
    [Fact]
    public void TheRequiredResolutionIsRelativeToTheBoundAndAbsoluteAtZero()
    {
        // A one-sided limit ≥ 10 with resolution 0.1 must detect a shortfall of 1 (10%), not of 0.1; without one, of 10 (a limit of 0).
        Assert.Equal(1.0, new LimitClaim("x", "s", 10, InverseWidth, LimitRelation.AtLeast, 0.1).RequiredResolution, 14);
        Assert.Equal(10.0, new LimitClaim("x", "s", -10, InverseWidth, LimitRelation.AtLeast).RequiredResolution, 14);
        Assert.Equal(0.3, new LimitClaim("x", "s", 0, InverseWidth, LimitRelation.AtLeast, 0.3).RequiredResolution, 14);
        Assert.Equal(double.PositiveInfinity, new LimitClaim("x", "s", 0, InverseWidth, LimitRelation.AtLeast).RequiredResolution);
        Assert.Equal(0.05, new LimitClaim("x", "s", 1, InverseWidth, Resolution: 0.05).RequiredResolution, 14);
        // And the verdict follows it: means on the model with limit 10.5 and a detectable error between 0.1 and 1.
        var samples = new[] { 250.0, 500, 1000, 2000 }.Select(m => SweepSample.FromValues(m, new[] { -0.2, 0.2, -0.1, 0.1, -0.2, 0.2, -0.1, 0.1 }.Select(e => 10.5 + 3 / m + e).ToList())).ToList();
        var coarse = LimitVerdict.Decide(new LimitClaim("x", "s", 10, InverseWidth, LimitRelation.AtLeast, 0.1), samples, 1e-3);
        var fine = LimitVerdict.Decide(new LimitClaim("x", "s", 10, InverseWidth, LimitRelation.AtLeast, 0.01), samples, 1e-3);
        Assert.InRange(coarse.DetectableError, 0.1, 1.0);
        Assert.Equal(Verdict.Pass, coarse.Verdict);
        Assert.Equal(Verdict.Underpowered, fine.Verdict);
    }
}

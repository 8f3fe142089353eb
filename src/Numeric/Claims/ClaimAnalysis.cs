using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// Decides a claim file's claims from the outcomes of their trials (any run: unsharded, or the union of a sharded run's parts),
/// through the decision layer: an inequality's failure count at each size by <see cref="ClaimVerdict.Decide(Claim, long, long, long, double)"/>
/// (Clopper–Pearson against the stated probability, with its power; undecided trials counted both ways), a limit by
/// <see cref="LimitVerdict.Decide"/> on the per-trial ratios statistic/predicted over the sweep.
/// </summary>
public static class ClaimAnalysis
{
    public static ClaimFileResult Decide(ClaimPlan plan, IReadOnlyDictionary<long, TrialOutcome> outcomes) =>
        new(plan, plan.File.Claims.Select(c => Decide(c, plan.Families.Where(f => f.Claim == c).Select(f => ClaimPlan.Log(f, outcomes)).ToList())).ToList());

    /// <summary>One claim from the logs of its sizes (in the order of <see cref="ClaimDefinition.Points"/>).</summary>
    public static ClaimResult Decide(ClaimDefinition claim, IReadOnlyList<TrialLog> logs)
    {
        if (logs.Count != claim.Points.Count) throw new ArgumentException($"claim '{claim.Name}' has {claim.Points.Count} sizes but {logs.Count} logs");
        double pointAlpha = claim.IsInequality ? claim.Alpha / claim.Points.Count : claim.Alpha;
        var points = claim.Points.Select((point, i) => Point(claim, point, logs[i], pointAlpha)).ToList();
        if (claim.IsInequality) return new ClaimResult(claim, points, Combine(points.Select(p => p.Verdict!.Verdict).ToList()), pointAlpha, null);
        var limit = LimitVerdict.Decide(claim.Limit!, points.Select(p => p.Ratio!).ToList(), claim.Alpha);
        return new ClaimResult(claim, points, limit.Verdict, pointAlpha, limit);
    }

    private static ClaimPointResult Point(ClaimDefinition claim, ClaimPoint point, TrialLog log, double alpha)
    {
        var lower = log.Measurement(ClaimExperiment.StatisticLower);
        var upper = log.Measurement(ClaimExperiment.StatisticUpper);
        var predicted = log.Measurement(ClaimExperiment.Prediction);
        bool bounded = lower.Zip(upper).Any(x => x.First != x.Second);
        ClaimVerdict? verdict = claim.IsInequality ? log.Verdicts(alpha)[0] : null;
        SweepSample? ratio = claim.IsInequality ? null
            : SweepSample.FromValues(point.Size, lower.Zip(predicted, (s, y) => s / y).ToList());
        return new ClaimPointResult(point, log.Trials, TrialSummary.Of(lower), bounded ? TrialSummary.Of(upper) : null, TrialSummary.Of(predicted), verdict, ratio);
    }

    /// <summary>
    /// The verdict of an inequality over its sizes: FAIL when a size fails; else UNDECIDED when a size is undecided; else PASS
    /// when a size passes (it could have failed, and none did); else UNDERPOWERED when a size could not have failed; VACUOUS when
    /// every size's bound is ≥ 1.
    /// </summary>
    public static Verdict Combine(IReadOnlyList<Verdict> sizes) =>
        sizes.Contains(Verdict.Fail) ? Verdict.Fail
        : sizes.Contains(Verdict.Undecided) ? Verdict.Undecided
        : sizes.Contains(Verdict.Pass) ? Verdict.Pass
        : sizes.Contains(Verdict.Underpowered) ? Verdict.Underpowered
        : Verdict.Vacuous;
}

using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// Decides a claim file's claims from the outcomes of their trials (any run: unsharded, or the union of a sharded run's parts),
/// through the decision layer: a per-trial claim's failure count at each size by <see cref="ClaimVerdict.Decide(Claim, long, long, long, double)"/>
/// (Clopper–Pearson against the stated probability, with its power; undecided trials counted both ways), with the smallest
/// constants consistent with it (<see cref="ConsistentConstants"/>); a limit by <see cref="LimitVerdict.Decide"/> on the per-trial
/// ratios statistic/predicted over the sweep.
/// </summary>
public static class ClaimAnalysis
{
    public static ClaimFileResult Decide(ClaimPlan plan, IReadOnlyDictionary<long, TrialOutcome> outcomes) =>
        Decide(plan, plan.Families.Select(f => ClaimPlan.Log(f, outcomes)).ToList());

    /// <summary>The claims from the logs of the plan's families (in the order of <see cref="ClaimPlan.Families"/>).</summary>
    public static ClaimFileResult Decide(ClaimPlan plan, IReadOnlyList<TrialLog> logs)
    {
        if (logs.Count != plan.Families.Count) throw new ArgumentException($"the plan has {plan.Families.Count} families but there are {logs.Count} logs");
        var claims = plan.File.Claims.Select(c =>
        {
            var mine = plan.Families.Select((f, i) => (f, i)).Where(x => x.f.Instance == c.Instance).ToList();
            return Decide(c, mine.Select(x => x.f.Experiment).ToList(), mine.Select(x => logs[x.i]).ToList());
        }).ToList();
        var instances = plan.Families.Select((f, i) =>
        {
            var point = f.Experiment.Point;
            var diagnostics = point.Diagnostics.ToDictionary(d => d, d => logs[i].Measurement(ClaimExperiment.DiagnosticPrefix + d));
            return new InstanceResult(f.Instance, f.Size, logs[i].Trials, f.Instance.Model.Notes(f.Size, point.Reads, diagnostics));
        }).ToList();
        return new ClaimFileResult(plan, claims) { Instances = instances };
    }

    /// <summary>One claim from the experiments and logs of its instance's sizes (in the order of <see cref="ClaimDefinition.Points"/>).</summary>
    public static ClaimResult Decide(ClaimDefinition claim, IReadOnlyList<ClaimExperiment> experiments, IReadOnlyList<TrialLog> logs)
    {
        if (logs.Count != claim.Points.Count) throw new ArgumentException($"claim '{claim.Name}' has {claim.Points.Count} sizes but {logs.Count} logs");
        double pointAlpha = claim.IsPerTrial ? claim.Alpha / claim.Points.Count : claim.Alpha;
        var points = claim.Points.Select((point, i) => Point(claim, point, experiments[i], logs[i], pointAlpha)).ToList();
        if (claim.Pooled)
        {
            // One decision on every size's trials together, at the claim's α (the stated probability is the same at each size).
            var pooled = ClaimVerdict.Decide(points[0].Verdict!.Claim, points.Sum(p => p.Verdict!.Failures), points.Sum(p => p.Verdict!.Undecided),
                points.Sum(p => p.Verdict!.Trials), claim.Alpha);
            return new ClaimResult(claim, points, pooled.Verdict, pointAlpha, null) { Pooled = pooled };
        }
        if (claim.IsPerTrial) return new ClaimResult(claim, points, Combine(points.Select(p => p.Verdict!.Verdict).ToList()), pointAlpha, null);
        if (claim.Decay is { } decayClaim)
        {
            var values = logs.Select((log, i) => (X: (double)claim.Points[i].Size,
                Values: (IReadOnlyList<double>)log.Measurement(ClaimExperiment.MeasurementOf(claim, ClaimExperiment.StatisticLower)))).ToList();
            var decay = DecayVerdict.FromTrials(decayClaim, values, claim.Alpha);
            return new ClaimResult(claim, points, decay.Verdict, pointAlpha, null) { Decay = decay };
        }
        var limit = LimitVerdict.Decide(claim.Limit!, points.Select(p => p.Ratio!).ToList(), claim.Alpha);
        return new ClaimResult(claim, points, limit.Verdict, pointAlpha, limit);
    }

    private static ClaimPointResult Point(ClaimDefinition claim, ClaimPoint point, ClaimExperiment experiment, TrialLog log, double alpha)
    {
        TrialSummary? statistic = null, statisticUpper = null, predicted = null, predictedUpper = null;
        SweepSample? ratio = null;
        if (claim.Statistic is not null)
        {
            double[] Measurement(string m) => log.Measurement(ClaimExperiment.MeasurementOf(claim, m));
            var lower = Measurement(ClaimExperiment.StatisticLower);
            var upper = Measurement(ClaimExperiment.StatisticUpper);
            var pLower = Measurement(ClaimExperiment.Prediction);
            var pUpper = Measurement(ClaimExperiment.PredictionUpper);
            statistic = TrialSummary.Of(lower);
            if (lower.Zip(upper).Any(x => x.First != x.Second)) statisticUpper = TrialSummary.Of(upper);
            if (claim.Predicted is not null)
            {
                predicted = TrialSummary.Of(pLower);
                if (pLower.Zip(pUpper).Any(x => x.First != x.Second)) predictedUpper = TrialSummary.Of(pUpper);
            }
            // The sample a limit is estimated from: the ratio statistic/predicted (ratio-tends-to-1), the statistic itself (limit-at-least).
            if (claim.Relation == Relation.RatioTendsToOne) ratio = SweepSample.FromValues(point.Size, lower.Zip(pLower, (s, y) => s / y).ToList());
            else if (claim.Relation == Relation.LimitAtLeast) ratio = SweepSample.FromValues(point.Size, lower);
        }
        ClaimVerdict? verdict = null;
        var consistent = new List<ConsistentValue>();
        if (claim.IsPerTrial)
        {
            int index = experiment.IndexOf(claim);
            var c = log.Claims[index];
            verdict = ClaimVerdict.Decide(c, log.Failures(index), log.Undecided(index), log.Trials, alpha);
            foreach (var x in point.Consistent)
            {
                if (x.InProbability)
                {
                    // The bound a + b·x meets the lower confidence bound of the failure rate (undecided trials counted as successes).
                    double lower = ClopperPearson.Lower(verdict.Failures, verdict.Trials, alpha);
                    consistent.Add(new ConsistentValue(x.Symbol, true, Math.Max(0, (lower - x.Intercept) / x.Slope), null));
                }
                else
                {
                    var needed = log.Measurement(ClaimExperiment.Needed(claim, x.Symbol));
                    consistent.Add(new ConsistentValue(x.Symbol, false, ConsistentConstants.SmallestXi(needed, c.Bound, alpha), needed.Max()));
                }
            }
        }
        return new ClaimPointResult(point, log.Trials, statistic, statisticUpper, predicted, verdict, ratio)
        { PredictedUpper = predictedUpper, Consistent = consistent };
    }

    /// <summary>
    /// The verdict of a per-trial claim over its sizes: FAIL when a size fails; else UNDECIDED when a size is undecided; else PASS
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

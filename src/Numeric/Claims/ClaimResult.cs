using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>A measured quantity over the trials of one size: mean, standard error of the mean (NaN for one trial), extremes.</summary>
public sealed record TrialSummary(double Mean, double StandardError, double Min, double Max)
{
    public static TrialSummary Of(IReadOnlyList<double> xs)
    {
        if (xs.Count == 0) throw new ArgumentException("no trials to summarise");
        double mean = xs.Average();
        double se = xs.Count < 2 ? double.NaN : Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1) / xs.Count);
        return new TrialSummary(mean, se, xs.Min(), xs.Max());
    }
}

/// <summary>
/// A claim at one size after its trials: the statistic (the lower ends of its intervals, and the upper ends when bounds rather
/// than exact values were measured), the prediction, and for an inequality its verdict at the size's false-alarm rate, for a
/// limit the per-trial ratios statistic/predicted as one sample of the sweep.
/// </summary>
public sealed record ClaimPointResult(ClaimPoint Point, long Trials, TrialSummary Statistic, TrialSummary? StatisticUpper, TrialSummary Predicted,
    ClaimVerdict? Verdict, SweepSample? Ratio);

/// <summary>
/// The one result record of every claim, whatever its model, matrix, statistic and relation: the result at each size, the
/// claim's verdict and, for a limit, the decision layer's estimate of the limit with its confidence interval and resolution.
/// An inequality's sizes are decided each at <see cref="PointAlpha"/> = α/(number of sizes) (Bonferroni), so the claim's
/// false-alarm rate is at most α.
/// </summary>
public sealed record ClaimResult(ClaimDefinition Claim, IReadOnlyList<ClaimPointResult> Points, Verdict Verdict, double PointAlpha, LimitVerdict? Limit)
{
    /// <summary>
    /// The claim's decisions as the decision layer's records (one per size of an inequality, named "claim at p = 1000", with the
    /// statistic measured against the prediction; one for a limit), for reports and JUnit.
    /// </summary>
    public IReadOnlyList<ClaimDecision> Decisions => Limit is { } limit ? [ClaimDecision.Of(limit)]
        : Points.Select(p => ClaimDecision.Of(p.Verdict!, Measured(p)) with { Name = $"{Claim.Name} at {Claim.Model.SizeSymbol} = {p.Point.Size}" }).ToList();

    private static string Measured(ClaimPointResult p)
    {
        static string G(double x) => x.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
        string measured = p.StatisticUpper is { } up ? $"within [{G(p.Statistic.Min)}, {G(up.Max)}]" : $"{G(p.Statistic.Mean)} [{G(p.Statistic.Min)}, {G(p.Statistic.Max)}]";
        string predicted = p.Predicted.Min == p.Predicted.Max ? G(p.Predicted.Mean) : $"{G(p.Predicted.Mean)} [{G(p.Predicted.Min)}, {G(p.Predicted.Max)}]";
        return $"{p.Point.Statistic.Name} {measured} vs predicted {predicted}";
    }
}

/// <summary>The results of a claim file's claims, in file order, with the run that produced them.</summary>
public sealed record ClaimFileResult(ClaimPlan Plan, IReadOnlyList<ClaimResult> Claims)
{
    public bool AnyFails => Claims.Any(c => c.Verdict == Verdict.Fail);
}

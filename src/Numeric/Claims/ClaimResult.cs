using System.Globalization;
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
/// The smallest value of a constant the observations are consistent with: for a constant of the stated probability, the value at
/// which the bound meets the one-sided lower confidence bound of the failure rate (smaller values are refuted at the size's α); for
/// a slack of the prediction, the smallest value whose failure count {trials needing more} the bound does not refute, and the
/// largest value any trial needed (no failure at or above it).
/// </summary>
public sealed record ConsistentValue(string Symbol, bool InProbability, double Smallest, double? ForZeroFailures);

/// <summary>
/// A claim at one size after its trials: the statistic (the lower ends of its intervals, and the upper ends when bounds rather
/// than exact values were measured), the prediction (likewise), and for a per-trial claim its verdict at the size's false-alarm
/// rate with the smallest consistent constants, for a limit the per-trial ratios statistic/predicted as one sample of the sweep.
/// </summary>
public sealed record ClaimPointResult(ClaimPoint Point, long Trials, TrialSummary? Statistic, TrialSummary? StatisticUpper, TrialSummary? Predicted,
    ClaimVerdict? Verdict, SweepSample? Ratio)
{
    public TrialSummary? PredictedUpper { get; init; }
    public IReadOnlyList<ConsistentValue> Consistent { get; init; } = [];
}

/// <summary>
/// The one result record of every claim, whatever its model, matrix, statistic and relation: the result at each size, the
/// claim's verdict and, for a limit, the decision layer's estimate of the limit with its confidence interval and resolution.
/// A per-trial claim's sizes are decided each at <see cref="PointAlpha"/> = α/(number of sizes) (Bonferroni), so the claim's
/// false-alarm rate is at most α.
/// </summary>
public sealed record ClaimResult(ClaimDefinition Claim, IReadOnlyList<ClaimPointResult> Points, Verdict Verdict, double PointAlpha, LimitVerdict? Limit)
{
    /// <summary>A decay's decision (the exponent of the trial means on a log scale).</summary>
    public DecayVerdict? Decay { get; init; }
    /// <summary>A pooled per-trial claim's one decision on the trials of every size.</summary>
    public ClaimVerdict? Pooled { get; init; }

    /// <summary>
    /// The claim's decisions as the decision layer's records (one per size of a per-trial claim, named "claim at p = 1000", with the
    /// statistic measured against the prediction and the smallest consistent constants; one for a limit), for reports and JUnit.
    /// </summary>
    public IReadOnlyList<ClaimDecision> Decisions => Limit is { } limit ? [ClaimDecision.Of(limit) with { Name = Claim.Name }]
        : Decay is { } decay ? [ClaimDecision.Of(decay, DecayDetail()) with { Name = Claim.Name }]
        : Pooled is { } pooled ? [ClaimDecision.Of(pooled, "pooled over the sizes: " + string.Join(", ", Points.Select(p => $"{p.Verdict!.Failures}/{p.Trials} at {Claim.Model.SizeSymbol} = {p.Point.Size}"))
            + $"; at {Claim.Model.SizeSymbol} = {Points[^1].Point.Size}: {Measured(Points[^1])}") with { Name = Claim.Name }]
        : Points.Select(p => ClaimDecision.Of(p.Verdict!, Measured(p)) with { Name = $"{Claim.Name} at {Claim.Model.SizeSymbol} = {p.Point.Size}" }).ToList();

    private static string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A decay's statistic at each size: "mean 0.5 (M = 100), 0.3 (M = 200)".</summary>
    private string DecayDetail() => $"{Claim.Statistic!.Text} mean " + string.Join(", ", Points.Select(p => $"{G(p.Statistic!.Mean)} ({Claim.Model.SizeSymbol} = {p.Point.Size})"));

    private static string Measured(ClaimPointResult p)
    {
        var parts = new List<string>();
        if (p.Statistic is { } s)
        {
            string measured = p.StatisticUpper is { } up ? $"within [{G(s.Min)}, {G(up.Max)}]" : $"{G(s.Mean)} [{G(s.Min)}, {G(s.Max)}]";
            var q = p.Predicted!;
            string predicted = p.PredictedUpper is { } pu ? $"within [{G(q.Min)}, {G(pu.Max)}]"
                : q.Min == q.Max ? G(q.Mean) : $"{G(q.Mean)} [{G(q.Min)}, {G(q.Max)}]";
            parts.Add($"{p.Point.Statistic!.Value.Name} {measured} vs predicted {predicted}");
        }
        if (p.Point.BoundLog10 is double log10 && double.IsFinite(log10) && p.Point.Bound < 1e-300) parts.Add($"stated probability 10^{log10.ToString("F4", CultureInfo.InvariantCulture)}");
        parts.AddRange(p.Consistent.Select(ConsistentText));
        return string.Join("; ", parts);
    }

    /// <summary>"smallest consistent C 0", "smallest consistent xi_pair 0.12 (0.3 for 0 failures)".</summary>
    public static string ConsistentText(ConsistentValue c) =>
        $"smallest consistent {c.Symbol} {c.Smallest.ToString("G3", CultureInfo.InvariantCulture)}"
        + (c.ForZeroFailures is double z ? $" ({z.ToString("G3", CultureInfo.InvariantCulture)} for 0 failures)" : "");
}

/// <summary>An instance at one size after its trials: how its matrices were measured, in the model's words (or null).</summary>
public sealed record InstanceResult(ClaimInstance Instance, long Size, long Trials, string? Notes);

/// <summary>The results of a claim file's claims, in file order, with the run that produced them.</summary>
public sealed record ClaimFileResult(ClaimPlan Plan, IReadOnlyList<ClaimResult> Claims)
{
    public IReadOnlyList<InstanceResult> Instances { get; init; } = [];
    public bool AnyFails => Claims.Any(c => c.Verdict == Verdict.Fail);
}

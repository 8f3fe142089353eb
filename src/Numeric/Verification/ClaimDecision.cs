using System.Globalization;

namespace FimVerify.Numeric.Verification;

/// <summary>
/// One decided claim, whatever produced its numbers: a probability claim over trials (<see cref="Probability"/>), a limit over a
/// sweep (<see cref="Limit"/>), a vanishing statistic's decay rate over a sweep (<see cref="Decay"/>) or a decay trend of failure
/// rates over a sweep (<see cref="Trend"/>). The record every output renders: its name,
/// its statement, the rule in words, the measured detail, the verdict, and its power (<see cref="PowerText"/>, and the
/// underlying verdict for JSON).
/// </summary>
public sealed record ClaimDecision(string Name, string Statement, string Rule, string Detail, Verdict Verdict)
{
    public ClaimVerdict? Probability { get; init; }
    public LimitVerdict? Limit { get; init; }
    public DecayVerdict? Decay { get; init; }
    public TrendResult? Trend { get; init; }

    /// <summary>For a decision of its own kind (e.g. Lemma 1's family of entrywise bounds): the smallest relative error it detects with probability 0.9.</summary>
    public double? DetectableRelativeError { get; init; }

    /// <summary>For a decision of its own kind: its power in words.</summary>
    public string? PowerNote { get; init; }

    /// <summary>A probability claim: rule and power from its verdict.</summary>
    public static ClaimDecision Of(ClaimVerdict v, string? detail = null)
    {
        string rule = v.Claim.Kind == BoundKind.Exactly
            ? $"failure rate = {G(v.Claim.Bound)}: two-sided Clopper–Pearson at α = {G(v.Alpha)}"
            : $"failure rate ≤ {G(v.Claim.Bound)}: FAIL when P(X ≥ failures | {v.Trials}, bound) < α = {G(v.Alpha)}";
        string tally = v.Undecided > 0 ? $"{v.Failures} (+{v.Undecided} undecided) of {v.Trials} failed" : $"{v.Failures} of {v.Trials} failed";
        return new ClaimDecision(v.Claim.Name, v.Claim.Statement, rule, detail is null ? tally : $"{tally}; {detail}", v.Verdict) { Probability = v };
    }

    /// <summary>A limit claim: rule from its model, detail from its estimate.</summary>
    public static ClaimDecision Of(LimitVerdict v, string? detail = null)
    {
        string rule = $"{v.Claim.RelationText} as the size grows: the limit through {v.Claim.Model.Formula} with a t interval at α = {G(v.Alpha)}";
        return new ClaimDecision(v.Claim.Name, v.Claim.Statement, rule, detail is null ? v.Reason : $"{detail}; {v.Reason}", v.Verdict) { Limit = v };
    }

    /// <summary>A vanishing statistic's decay rate.</summary>
    public static ClaimDecision Of(DecayVerdict v, string? detail = null)
    {
        string rule = $"decays at least like x^(−{G(v.Claim.MinimumExponent)}) ({v.Claim.Reason}): the exponent of the trial means on a log scale, one-sided t bound at α = {G(v.Alpha)}";
        return new ClaimDecision(v.Claim.Name, v.Claim.Statement, rule, detail is null ? v.Reason : $"{detail}; {v.Reason}", v.Verdict) { Decay = v };
    }

    /// <summary>A decay trend of failure rates.</summary>
    public static ClaimDecision Of(string name, string statement, TrendResult t, string? detail = null) =>
        new(name, statement, t.Rule, detail ?? string.Join(", ", t.Points.Select(p => $"{p.Failures}{(p.Undecided > 0 ? $"(+{p.Undecided}?)" : "")}/{p.Trials} at {G(p.X)}")), t.Verdict)
        { Trend = t };

    /// <summary>What the decision could detect, in words ("" when nothing applies).</summary>
    public string PowerText => Probability is { } p ? ProbabilityPowerText(p)
        : Limit is { } l ? LimitPowerText(l)
        : Decay is { } d ? DecayPowerText(d)
        : Trend is { } t ? TrendPowerText(t) : PowerNote ?? "";

    public static string ProbabilityPowerText(ClaimVerdict v)
    {
        var p = v.Power;
        if (v.Claim.Vacuous) return "vacuous: no count refutes it";
        if (!p.CanFail) return $"no count of {v.Trials} refutes it; needs ≥ {p.TrialsToRefute?.ToString(CultureInfo.InvariantCulture) ?? "more than 10⁹"} trials"
            + (p.TrialsForPower is long n ? $" ({n} for power 0.9 at rate {G(p.Alternative!.Value)})" : "");
        string lower = p.MaxFailuresToFail is long j ? $" or ≤ {j}" : "";
        return $"fails at ≥ {p.MinFailuresToFail?.ToString(CultureInfo.InvariantCulture) ?? "—"}{lower} failures; rate {(p.RateRefutedWithPower is double q ? G(q) : "—")} refuted with probability 0.9";
    }

    public static string LimitPowerText(LimitVerdict v) =>
        double.IsFinite(v.DetectableError)
            ? $"detects an error of {G(v.DetectableError)}{(v.DetectableRelativeError is double r ? $" ({G(100 * r)}%)" : "")} with probability 0.9; required {G(v.Claim.RequiredResolution)}"
            : "cannot estimate the limit";

    public static string DecayPowerText(DecayVerdict v) =>
        double.IsFinite(v.DetectableShortfall)
            ? $"a shortfall of {G(v.DetectableShortfall)} in the exponent is detected with probability 0.9 (a statistic that does not decay: needs ≤ {G(v.Claim.MinimumExponent)})"
            : "cannot estimate the rate";

    public static string TrendPowerText(TrendResult t) =>
        t.ReferenceX is null ? "no sweep point in the tail regime with failures: cannot tell a constant rate from the decay"
            : $"a constant rate {G(t.ReferenceRate ?? 0)} from x = {G(t.ReferenceX.Value)} refuted with probability {G(t.ConstantRatePower)}"
              + (t.DetectableExponent is double e ? $"; a decay like x^(−{G(e)}) with probability ≥ 0.9" : "");

    private static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}

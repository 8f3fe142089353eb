using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>How a claim relates its statistic to its prediction.</summary>
public enum Relation
{
    /// <summary>statistic ≤ predicted in each trial, failing with at most the stated probability.</summary>
    AtMost,
    /// <summary>statistic ≥ predicted in each trial, failing with at most the stated probability.</summary>
    AtLeast,
    /// <summary>statistic &lt; predicted.</summary>
    Below,
    /// <summary>statistic &gt; predicted.</summary>
    Above,
    /// <summary>statistic/predicted → 1 as the swept size grows: an estimate of the limit with a confidence interval.</summary>
    RatioTendsToOne,
    /// <summary>Several inequalities of one instance hold at once in each trial (a theorem's "simultaneously").</summary>
    Simultaneously,
    /// <summary>The statistic's limit as the swept size grows is at least the prediction (a number fixed over the sweep): one-sided.</summary>
    LimitAtLeast,
    /// <summary>The statistic vanishes at least like size^(−rate) as the swept size grows (the claim's `rate`).</summary>
    Decays,
}

public static class Relations
{
    public static readonly IReadOnlyList<string> Names = ["<=", ">=", "<", ">", "ratio-tends-to-1", "simultaneously", "limit-at-least", "decays"];

    public static Relation Parse(string text) => text switch
    {
        "<=" => Relation.AtMost,
        ">=" => Relation.AtLeast,
        "<" => Relation.Below,
        ">" => Relation.Above,
        "ratio-tends-to-1" => Relation.RatioTendsToOne,
        "simultaneously" => Relation.Simultaneously,
        "limit-at-least" => Relation.LimitAtLeast,
        "decays" => Relation.Decays,
        _ => throw new ArgumentException($"unknown relation '{text}'"),
    };

    public static string Name(Relation r) => Names[(int)r];

    /// <summary>An inequality between a statistic and its prediction, decided trial by trial.</summary>
    public static bool IsInequality(Relation r) => r is Relation.AtMost or Relation.AtLeast or Relation.Below or Relation.Above;

    /// <summary>Decided trial by trial with a stated failure probability: an inequality, or several holding simultaneously.</summary>
    public static bool IsPerTrial(Relation r) => r is not (Relation.RatioTendsToOne or Relation.LimitAtLeast or Relation.Decays);

    /// <summary>A limit estimated through a finite-size model (ratio-tends-to-1, limit-at-least).</summary>
    public static bool IsLimit(Relation r) => r is Relation.RatioTendsToOne or Relation.LimitAtLeast;

    /// <summary>The relation gets weaker as the prediction grows (≤, &lt;), or as it falls (≥, &gt;).</summary>
    public static bool BoundsFromAbove(Relation r) => r is Relation.AtMost or Relation.Below;

    /// <summary>
    /// Whether the inequality holds for a statistic known to lie in <paramref name="statistic"/>: holds when it holds for every
    /// value of the interval, fails when it fails for every value, and is undecided otherwise (a certified interval that
    /// straddles the prediction). An exact statistic is an interval of width zero.
    /// </summary>
    public static Certainty Decide(Relation r, CertifiedInterval statistic, double predicted) => Decide(r, statistic, new CertifiedInterval(predicted, predicted));

    /// <summary>
    /// The same for a prediction known only to lie in an interval (it uses another measured quantity, e.g. λ_{M−1} &gt; ‖R‖₂ with
    /// both certified): holds when it holds for every pair of values, fails when it fails for every pair, undecided otherwise.
    /// </summary>
    public static Certainty Decide(Relation r, CertifiedInterval statistic, CertifiedInterval predicted) => r switch
    {
        Relation.AtMost => statistic.Upper <= predicted.Lower ? Certainty.Holds : statistic.Lower > predicted.Upper ? Certainty.Fails : Certainty.Undecided,
        Relation.Below => statistic.Upper < predicted.Lower ? Certainty.Holds : statistic.Lower >= predicted.Upper ? Certainty.Fails : Certainty.Undecided,
        Relation.AtLeast => statistic.Lower >= predicted.Upper ? Certainty.Holds : statistic.Upper < predicted.Lower ? Certainty.Fails : Certainty.Undecided,
        Relation.Above => statistic.Exceeds(predicted),
        _ => throw new ArgumentException("a limit is not decided trial by trial"),
    };
}

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
}

public static class Relations
{
    public static readonly IReadOnlyList<string> Names = ["<=", ">=", "<", ">", "ratio-tends-to-1"];

    public static Relation Parse(string text) => text switch
    {
        "<=" => Relation.AtMost,
        ">=" => Relation.AtLeast,
        "<" => Relation.Below,
        ">" => Relation.Above,
        "ratio-tends-to-1" => Relation.RatioTendsToOne,
        _ => throw new ArgumentException($"unknown relation '{text}'"),
    };

    public static string Name(Relation r) => Names[(int)r];

    /// <summary>An inequality decided trial by trial (as opposed to a limit over the sweep).</summary>
    public static bool IsInequality(Relation r) => r != Relation.RatioTendsToOne;

    /// <summary>
    /// Whether the inequality holds for a statistic known to lie in <paramref name="statistic"/>: holds when it holds for every
    /// value of the interval, fails when it fails for every value, and is undecided otherwise (a certified interval that
    /// straddles the prediction). An exact statistic is an interval of width zero.
    /// </summary>
    public static Certainty Decide(Relation r, CertifiedInterval statistic, double predicted) => r switch
    {
        Relation.AtMost => statistic.Upper <= predicted ? Certainty.Holds : statistic.Lower > predicted ? Certainty.Fails : Certainty.Undecided,
        Relation.Below => statistic.Upper < predicted ? Certainty.Holds : statistic.Lower >= predicted ? Certainty.Fails : Certainty.Undecided,
        Relation.AtLeast => statistic.AtLeast(predicted),
        Relation.Above => statistic.Lower > predicted ? Certainty.Holds : statistic.Upper <= predicted ? Certainty.Fails : Certainty.Undecided,
        _ => throw new ArgumentException("a limit is not decided trial by trial"),
    };
}

using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// One claim as a file states it, validated: a random model family and the matrix and statistic measured on each instance, a
/// relation to a prediction (an expression of the model's symbols) holding with a stated probability, or a limit over the sweep
/// of sizes, and how many trials to run at each size.
/// </summary>
/// <param name="Points">The claim at each size of its sweep (one for a single size), sizes increasing.</param>
/// <param name="Alpha">The false-alarm rate of the claim's FAIL decision (split over the sizes of an inequality's sweep).</param>
/// <param name="Limit">For ratio-tends-to-1: the decision layer's limit claim (target 1, the stated finite-size model and resolution).</param>
public sealed record ClaimDefinition(string Name, string Statement, int Line, ClaimModel Model, string Matrix, StatisticDefinition Statistic,
    Relation Relation, ClaimExpression Predicted, ClaimExpression? Probability, int Trials, double Alpha, IReadOnlyList<ClaimPoint> Points,
    LimitClaim? Limit)
{
    public bool IsInequality => Relations.IsInequality(Relation);

    /// <summary>The relation as a line of text: "mean-top:10 ratio-tends-to-1 alpha*(…)*M".</summary>
    public string Formula => $"{Statistic.Text} {Relations.Name(Relation)} {Predicted.Text}";
}

/// <summary>
/// A claim at one size: its statistic resolved, the values of the model's fixed symbols (and the file's constants), the stated
/// failure probability evaluated (inequalities), the prediction when it does not vary from trial to trial, and one trial's
/// estimated cost.
/// </summary>
public sealed record ClaimPoint(long Size, Statistic Statistic, long Dimension, IReadOnlyDictionary<string, double> Symbols, double? Bound,
    double? FixedPrediction, ResourceEstimate PerTrial);

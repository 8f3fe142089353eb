using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// One claim as a file states it, validated: the instance it is measured on (a random model family at each size of a sweep, with
/// its trials; shared with the other claims of an [[instance]], or the claim's own), the matrix and statistic measured on each
/// instance, a relation to a prediction (an expression of the model's symbols, and of other quantities measured on the same
/// instance) holding with a stated probability, a limit over the sweep, or several claims of the instance holding simultaneously.
/// </summary>
/// <param name="Matrix">The matrix measured (null for a claim that several others hold simultaneously).</param>
/// <param name="Statistic">The statistic measured (null likewise).</param>
/// <param name="Predicted">The prediction (null likewise).</param>
/// <param name="Probability">For a claim decided trial by trial: its stated failure probability.</param>
/// <param name="ProbabilityKind">An upper bound (a theorem's guarantee) or the exact probability (two-sided test).</param>
/// <param name="Alpha">The false-alarm rate of the claim's FAIL decision (split over the sizes of a claim decided trial by trial).</param>
/// <param name="Points">The claim at each size of its instance (one for a single size), sizes increasing.</param>
/// <param name="Limit">For ratio-tends-to-1: the decision layer's limit claim (target 1, the stated finite-size model and resolution).</param>
/// <param name="Members">For simultaneously: the claims of the instance that must all hold in a trial.</param>
/// <param name="Measures">Quantities measured on the same instance that the prediction uses, by symbol.</param>
/// <param name="Consistent">The symbols whose smallest value consistent with the observations is reported (a constant of the bound, a slack of the prediction).</param>
/// <param name="Label">A short name for plots (default: the name).</param>
public sealed record ClaimDefinition(string Name, string Statement, int Line, ClaimInstance Instance, string? Matrix, StatisticDefinition? Statistic,
    Relation Relation, ClaimExpression? Predicted, ProbabilityExpression? Probability, BoundKind ProbabilityKind, double Alpha,
    IReadOnlyList<ClaimPoint> Points, LimitClaim? Limit, IReadOnlyList<string> Members, IReadOnlyList<MeasureDefinition> Measures,
    IReadOnlyList<string> Consistent, string Label)
{
    public ClaimModel Model => Instance.Model;

    /// <summary>For decays: the decision layer's decay claim (the slowest decay accepted, size^(−rate)).</summary>
    public DecayClaim? Decay { get; init; }

    /// <summary>
    /// A per-trial claim decided once on the trials of every size together (its stated probability the same at each size), at the
    /// claim's α, instead of at each size at α/sizes: more power for a claim that does not depend on the size.
    /// </summary>
    public bool Pooled { get; init; }

    /// <summary>Decided on the sweep as a whole from exact per-trial values (a limit or a decay), not trial by trial.</summary>
    public bool IsAsymptotic => !IsPerTrial;

    public bool IsInequality => Relations.IsInequality(Relation);

    /// <summary>Decided trial by trial against a stated failure probability (an inequality, or several holding simultaneously).</summary>
    public bool IsPerTrial => Relations.IsPerTrial(Relation);

    /// <summary>The relation as a line of text: "mean-top:10 ratio-tends-to-1 alpha*(…)*M", "simultaneously: a, b, c".</summary>
    public string Formula => Relation switch
    {
        Relation.Simultaneously => $"simultaneously: {string.Join(", ", Members)}",
        Relation.Decays => $"{Statistic!.Text} decays at least like {Model.SizeSymbol}^(−{Decay!.MinimumExponent.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)})",
        _ => $"{Statistic!.Text} {Relations.Name(Relation)} {Predicted!.Text}",
    };

    /// <summary>The decision layer's claim at one size (per-trial claims only).</summary>
    public Claim ClaimAt(ClaimPoint point) => new Claim(Name, Statement, point.Bound!.Value, ProbabilityKind).Validated();
}

/// <summary>A quantity measured on the same instance for a prediction to use (λ_{M−1} &gt; ‖R‖₂: ‖R‖₂ is the remainder's lambda-max).</summary>
public sealed record MeasureDefinition(string Symbol, string Matrix, StatisticDefinition Statistic);

/// <summary>
/// A constant the claim reports the smallest value of that is consistent with the observations: one of the stated probability
/// (C of C·D/(δ²p): the value at which the bound meets the lower confidence bound of the failure rate) or one of the prediction
/// (a slack ξ: each trial's needed value, where the relation turns, and the smallest ξ whose failure count is not refuted).
/// At each size the expression is intercept + slope·symbol (checked affine by the symbolic layer).
/// </summary>
public sealed record ConsistentSymbol(string Symbol, bool InProbability, double Intercept, double Slope);

/// <summary>
/// A claim at one size: its statistic resolved, the values of the model's fixed symbols (and the constants), the stated
/// failure probability evaluated (per-trial claims; with its log₁₀ where it underflows), the prediction when it does not vary
/// from trial to trial, the quantities measured for the prediction, and the consistent constants' affine forms.
/// </summary>
public sealed record ClaimPoint(long Size, Statistic? Statistic, long Dimension, IReadOnlyDictionary<string, double> Symbols, double? Bound,
    double? FixedPrediction)
{
    /// <summary>log₁₀ of the stated probability (per-trial claims), kept where the value underflows to 0.</summary>
    public double? BoundLog10 { get; init; }
    /// <summary>The statistics the prediction reads on the same instance, by symbol.</summary>
    public IReadOnlyDictionary<string, MatrixRead> Measures { get; init; } = new Dictionary<string, MatrixRead>();
    public IReadOnlyList<ConsistentSymbol> Consistent { get; init; } = [];
}

/// <summary>
/// The sizes of an instance and its trials: a random model family (one configuration) sampled at each size, trial k at size x
/// drawing only from the stream (seed, instance name, x, k). A claim without an [[instance]] is its own instance, named after it.
/// </summary>
/// <param name="Implicit">The instance of one claim that states its model itself.</param>
/// <param name="SizeKey">The key the sizes were given by ("sweep", or the size symbol), for errors.</param>
public sealed record ClaimInstance(string Name, int Line, bool Implicit, ClaimModel Model, IReadOnlyList<long> Sizes, IReadOnlyList<long> Trials, string SizeKey)
{
    public long TotalTrials => Trials.Sum();

    /// <summary>The instance at each size: what its claims read, what a trial costs, and how its diagnostics are named (<see cref="Prepare"/>).</summary>
    public IReadOnlyList<InstancePoint> Points { get; private set; } = [];

    /// <summary>
    /// Plans the instance for its claims (each with its points at the instance's sizes): the reads of every claim at each size, one
    /// trial's cost and the model's diagnostics. Throws the model's ArgumentException for a combination it refuses.
    /// </summary>
    public void Prepare(IReadOnlyList<ClaimDefinition> claims)
    {
        Points = Sizes.Select((size, i) =>
        {
            var reads = claims.SelectMany(c => Reads(c, c.Points[i])).Distinct().ToList();
            return new InstancePoint(size, Trials[i], reads, Model.Plan(reads, size), Model.DiagnosticNames(size, reads));
        }).ToList();
    }

    /// <summary>What a claim reads from its instance at one size: its statistic and the quantities its prediction measures.</summary>
    public static IEnumerable<MatrixRead> Reads(ClaimDefinition claim, ClaimPoint point)
    {
        if (claim.Matrix is not null && point.Statistic!.Value.Kind != StatisticKind.Expression)
            yield return new MatrixRead(claim.Matrix, point.Statistic!.Value, Exact: claim.IsAsymptotic);
        foreach (var m in point.Measures.Values) yield return m;
    }
}

/// <summary>An instance at one size: the reads of all its claims, one trial's cost, and the model's diagnostics of a trial.</summary>
public sealed record InstancePoint(long Size, long Trials, IReadOnlyList<MatrixRead> Reads, ResourceEstimate PerTrial, IReadOnlyList<string> Diagnostics);

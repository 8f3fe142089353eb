using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// The claims of one instance at one size as an <see cref="ITrialExperiment"/>: each trial samples the model once, and every
/// claim of the instance is evaluated on that one random instance (a theorem's inequalities hold simultaneously, and the cost is
/// paid once): its statistic as an interval certain to contain it, its prediction (with the trial's own symbols and the
/// quantities measured for it), and for a per-trial claim its decision. While a decision is left open by a certified interval (or
/// a limit's statistic is not yet exact) the instance is refined (<see cref="ModelInstance.Refine"/>). Its outcomes are the
/// project's trial outcomes, so they shard, merge and travel through partial files like every other experiment's.
/// Measurements per claim c: "c.statistic", "c.statistic.upper", "c.predicted", "c.predicted.upper", for a per-trial claim
/// "undecided.c" (1 when its interval straddled the prediction), for each consistent symbol x of the prediction "c.needed.x" (where
/// the relation turns); then the model's diagnostics ("diagnostic.name").
/// </summary>
public sealed class ClaimExperiment : ITrialExperiment
{
    public const string StatisticLower = "statistic", StatisticUpper = "statistic.upper", Prediction = "predicted", PredictionUpper = "predicted.upper";
    public const string DiagnosticPrefix = "diagnostic.";

    private readonly List<ClaimDefinition> _measured, _decided;
    private readonly Dictionary<ClaimDefinition, int> _decidedIndex = [];
    /// <summary>The slope of each prediction in each measured quantity (derived once by the symbolic layer).</summary>
    private readonly Dictionary<(ClaimDefinition, string), ClaimExpression> _slopes = [];

    public ClaimExperiment(ClaimInstance instance, int sizeIndex, IReadOnlyList<ClaimDefinition> claims)
    {
        Instance = instance; SizeIndex = sizeIndex; Definitions = claims;
        Point = instance.Points[sizeIndex];
        _measured = claims.Where(c => c.Statistic is not null).ToList();
        _decided = claims.Where(c => c.IsPerTrial).ToList();
        for (int i = 0; i < _decided.Count; i++) _decidedIndex[_decided[i]] = i;
        Claims = _decided.Select(c => c.ClaimAt(c.Points[sizeIndex])).ToList();
        var names = new List<string>();
        foreach (var c in claims)
        {
            if (c.Statistic is not null) names.AddRange([MeasurementOf(c, StatisticLower), MeasurementOf(c, StatisticUpper), MeasurementOf(c, Prediction), MeasurementOf(c, PredictionUpper)]);
            if (c.IsPerTrial) names.Add(TrialLog.UndecidedPrefix + c.Name);
            names.AddRange(c.Points[sizeIndex].Consistent.Where(x => !x.InProbability).Select(x => Needed(c, x.Symbol)));
        }
        names.AddRange(Point.Diagnostics.Select(d => DiagnosticPrefix + d));
        foreach (var c in _measured)
            foreach (var symbol in c.Points[sizeIndex].Measures.Keys.Where(s => c.Predicted?.Uses(s) == true))
                _slopes[(c, symbol)] = c.Predicted!.AffineIn(symbol)!.Value.Slope;
        MeasurementNames = names;
    }

    public ClaimInstance Instance { get; }
    public int SizeIndex { get; }
    public InstancePoint Point { get; }
    public long Size => Point.Size;
    /// <summary>Every claim of the instance, in file order.</summary>
    public IReadOnlyList<ClaimDefinition> Definitions { get; }
    public string Name => Instance.Name;
    /// <summary>The decision layer's claims: the per-trial claims of the instance, in file order.</summary>
    public IReadOnlyList<Claim> Claims { get; }
    public IReadOnlyList<string> MeasurementNames { get; }

    /// <summary>The measurement of one claim: "claim.statistic", …</summary>
    public static string MeasurementOf(ClaimDefinition claim, string measurement) => $"{claim.Name}.{measurement}";

    /// <summary>The measurement holding the value of a consistent symbol a trial needed.</summary>
    public static string Needed(ClaimDefinition claim, string symbol) => $"{claim.Name}.needed.{symbol}";

    /// <summary>The index of a per-trial claim among <see cref="Claims"/>.</summary>
    public int IndexOf(ClaimDefinition claim) => _decidedIndex[claim];

    public TrialOutcome Run(SeedSequence seed)
    {
        var instance = Instance.Model.Sample(Size, Point.Reads, seed);
        try { return Run(instance); }
        finally { instance.Release(); }
    }

    private TrialOutcome Run(ModelInstance instance)
    {
        var statistic = new Dictionary<ClaimDefinition, CertifiedInterval>();
        var predicted = new Dictionary<ClaimDefinition, CertifiedInterval>();
        var certainty = new Dictionary<ClaimDefinition, Certainty>();
        while (true)
        {
            foreach (var c in _measured)
            {
                var point = c.Points[SizeIndex];
                statistic[c] = point.Statistic!.Value.Kind == StatisticKind.Expression ? ExpressionOf(c, point, instance) : point.Statistic!.Value.Of(instance.Matrix(c.Matrix!));
                // A decay has no prediction (its outcome holds 0 there, never read).
                predicted[c] = c.Predicted is null ? new CertifiedInterval(0, 0) : PredictionOf(c, point, instance);
                if (c.IsInequality) certainty[c] = Relations.Decide(c.Relation, statistic[c], predicted[c]);
            }
            foreach (var c in _decided.Where(c => c.Relation == Relation.Simultaneously))
                certainty[c] = CertifiedInterval.All(c.Members.Select(m => certainty[_decided.First(x => x.Name == m)]));
            bool open = certainty.Values.Any(x => x == Certainty.Undecided)
                || _measured.Any(c => c.IsAsymptotic && statistic[c].Lower != statistic[c].Upper);
            if (!open || !instance.Refine()) break;
        }
        foreach (var c in _measured.Where(c => c.IsAsymptotic))
            if (statistic[c].Lower != statistic[c].Upper)
                throw new InvalidOperationException($"claim '{c.Name}': a limit or a decay needs the exact statistic, but only bounds were measured");

        var failed = _decided.Select(c => certainty[c] == Certainty.Fails).ToArray();
        var values = new List<double>(MeasurementNames.Count);
        foreach (var c in Definitions)
        {
            var point = c.Points[SizeIndex];
            if (c.Statistic is not null) values.AddRange([statistic[c].Lower, statistic[c].Upper, predicted[c].Lower, predicted[c].Upper]);
            if (c.IsPerTrial) values.Add(certainty[c] == Certainty.Undecided ? 1 : 0);
            foreach (var x in point.Consistent.Where(x => !x.InProbability))
            {
                // The value at which the relation turns, from the end of the statistic's interval least favourable to the claim:
                // an upper bound of what the trial needed; a slack or a constant is never below 0.
                double s = Relations.BoundsFromAbove(c.Relation) ? statistic[c].Upper : statistic[c].Lower;
                values.Add(Math.Max(0, (s - x.Intercept) / x.Slope));
            }
        }
        values.AddRange(instance.Diagnostics);
        return new TrialOutcome(failed, [.. values]);
    }

    /// <summary>An expression statistic: its measured quantities read exactly from the instance, the expression evaluated (finite, or numerical trouble).</summary>
    private static CertifiedInterval ExpressionOf(ClaimDefinition c, ClaimPoint point, ModelInstance instance)
    {
        var statistic = point.Statistic!.Value;
        var measured = point.Measures.Where(kv => statistic.Formula!.Uses(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value.Statistic.Of(instance.Matrix(kv.Value.Matrix)));
        double x = statistic.Evaluate(point.Symbols, measured);
        if (!double.IsFinite(x))
            throw new NumericalException($"the statistic of claim '{c.Name}' ({statistic.Name}) at {c.Model.SizeSymbol} = {point.Size} is not finite in a trial ({x})");
        return new CertifiedInterval(x, x);
    }

    private CertifiedInterval PredictionOf(ClaimDefinition c, ClaimPoint point, ModelInstance instance)
    {
        if (point.FixedPrediction is double v) return new CertifiedInterval(v, v);
        var symbols = new Dictionary<string, double>(point.Symbols);
        foreach (var (name, value) in instance.Symbols) symbols[name] = value;
        var measured = point.Measures.Where(kv => c.Predicted!.Uses(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value.Statistic.Of(instance.Matrix(kv.Value.Matrix)));
        CertifiedInterval result;
        if (measured.Values.All(m => m.Lower == m.Upper))
        {
            foreach (var (name, m) in measured) symbols[name] = m.Lower;
            double x = c.Predicted!.Evaluate(symbols);
            result = new CertifiedInterval(x, x);
        }
        else
        {
            // Linear in each measured quantity (checked when the file was read): intercept + Σ slope_i·m_i over the intervals m_i.
            foreach (var name in measured.Keys) symbols[name] = 0;
            double lower = c.Predicted!.Evaluate(symbols), upper = lower;
            foreach (var (name, m) in measured)
            {
                double slope = _slopes[(c, name)].Evaluate(symbols);
                lower += Math.Min(slope * m.Lower, slope * m.Upper);
                upper += Math.Max(slope * m.Lower, slope * m.Upper);
            }
            result = new CertifiedInterval(lower, upper);
        }
        if (!double.IsFinite(result.Lower) || !double.IsFinite(result.Upper))
            throw new NumericalException($"the prediction of claim '{c.Name}' at {c.Model.SizeSymbol} = {point.Size} is not finite in a trial ({result.Lower}, {result.Upper})");
        return result;
    }
}

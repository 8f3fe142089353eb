using System.Text.Json;
using System.Text.Json.Nodes;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Output;

/// <summary>
/// The one JSON form of a decided claim (<see cref="ClaimDecision"/>), whichever kind produced it:
/// {"name","statement","rule","detail","verdict","kind", …, "power":{…}}. Probability claims add the tally of
/// <see cref="ClaimReport.WriteClaims"/> and "power": {"minFailuresToFail": k or null, "maxFailuresToFail" (exact probabilities),
/// "rateRefutedWithPower", "trialsForPower": n or null, "trialsToRefute", "alternative"}; limit claims add the estimate,
/// its interval and the sweep, "detectableRelativeError" and "power": {"detectableError", "detectableRelativeError",
/// "resolution"}; vanishing statistics add the decay exponent and "power": {"detectableShortfall", "required"}; decay trends add their points and "power": {"constantRatePower", "detectableExponent", "referenceX",
/// "referenceRate"}.
/// </summary>
public static class DecisionJson
{
    /// <summary>The "power" object of a probability claim.</summary>
    public static void WritePower(Utf8JsonWriter w, ProbabilityPower p)
    {
        w.WriteStartObject("power");
        Long(w, "minFailuresToFail", p.MinFailuresToFail);
        if (p.MaxFailuresToFail is long j) w.WriteNumber("maxFailuresToFail", j);
        Double(w, "rateRefutedWithPower", p.RateRefutedWithPower);
        Long(w, "trialsForPower", p.TrialsForPower);
        Long(w, "trialsToRefute", p.TrialsToRefute);
        Double(w, "alternative", p.Alternative);
        w.Number("level", ProbabilityPower.Level);
        w.WriteEndObject();
    }

    /// <summary>A decided claim as one JSON object.</summary>
    public static void Write(Utf8JsonWriter w, ClaimDecision d)
    {
        w.WriteStartObject();
        w.WriteString("name", d.Name);
        w.WriteString("statement", d.Statement);
        w.WriteString("rule", d.Rule);
        w.WriteString("detail", d.Detail);
        w.WriteString("verdict", ClaimReport.VerdictWord(d.Verdict));
        if (d.Probability is { } v)
        {
            w.WriteString("kind", v.Claim.Kind == BoundKind.Exactly ? "exact-probability" : "at-most");
            ClaimReport.WriteTally(w, v);
            WritePower(w, v.Power);
        }
        else if (d.Limit is { } l) WriteLimit(w, l);
        else if (d.Decay is { } r) WriteDecay(w, r);
        else if (d.Trend is { } t) WriteTrend(w, t);
        else
        {
            // A decision of its own kind (Lemma 1's entrywise family) or a combination of decided claims (both conditions of a
            // statement, whose power is that of its parts, in the detail).
            w.WriteString("kind", d.DetectableRelativeError is null ? "combined" : "family");
            Double(w, "detectableRelativeError", d.DetectableRelativeError);
            w.WriteStartObject("power");
            Double(w, "detectableRelativeError", d.DetectableRelativeError);
            if (d.PowerNote is not null) w.WriteString("note", d.PowerNote);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteLimit(Utf8JsonWriter w, LimitVerdict l)
    {
        w.WriteString("kind", "limit");
        w.WriteString("relation", l.Claim.Relation switch { LimitRelation.AtLeast => ">=", LimitRelation.AtMost => "<=", _ => "tends-to" });
        w.Number("target", l.Claim.Target);
        w.WriteString("model", l.Claim.Model.Formula);
        w.WriteString("modelReason", l.Claim.Model.Reason);
        w.Number("alpha", l.Alpha);
        Double(w, "estimate", l.Estimate);
        Double(w, "standardError", l.StandardError);
        Double(w, "degreesOfFreedom", l.DegreesOfFreedom);
        if (double.IsFinite(l.Interval.Lower) && double.IsFinite(l.Interval.Upper))
        {
            w.WriteStartArray("ci");
            w.NumberValue(l.Interval.Lower);
            w.NumberValue(l.Interval.Upper);
            w.WriteEndArray();
        }
        else w.WriteNull("ci");
        Double(w, "finiteSizeCoefficient", l.FiniteSizeCoefficient);
        // Every correction's coefficient, in the order of the model's exponents (the first is finiteSizeCoefficient).
        w.WriteStartArray("finiteSizeCoefficients");
        foreach (double a in l.FiniteSizeCoefficients)
            if (double.IsFinite(a)) w.NumberValue(a); else w.WriteNullValue();
        w.WriteEndArray();
        Double(w, "fitPValue", l.FitPValue);
        Double(w, "detectableRelativeError", l.DetectableRelativeError);
        WritePoints(w, l.Samples);
        Power(w, ("detectableError", l.DetectableError), ("detectableRelativeError", l.DetectableRelativeError), ("resolution", l.Claim.RequiredResolution));
    }

    /// <summary>A "power" object of named values (null where unknown or infinite) and the power level 0.9.</summary>
    private static void Power(Utf8JsonWriter w, params (string Name, double? Value)[] values)
    {
        w.WriteStartObject("power");
        foreach (var (name, value) in values) Double(w, name, value);
        w.Number("level", ProbabilityPower.Level);
        w.WriteEndObject();
    }

    private static void WriteDecay(Utf8JsonWriter w, DecayVerdict v)
    {
        w.WriteString("kind", "vanishing");
        w.Number("minimumExponent", v.Claim.MinimumExponent);
        w.WriteString("reason", v.Claim.Reason);
        w.Number("alpha", v.Alpha);
        Double(w, "exponent", v.Exponent);
        Double(w, "standardError", v.StandardError);
        Double(w, "degreesOfFreedom", v.DegreesOfFreedom);
        Double(w, "upperBound", v.UpperBound);
        WritePoints(w, v.Samples);
        Power(w, ("detectableShortfall", v.DetectableShortfall), ("required", v.Claim.MinimumExponent));
    }

    private static void WritePoints(Utf8JsonWriter w, IReadOnlyList<SweepSample> samples)
    {
        w.WriteStartArray("points");
        foreach (var s in samples)
        {
            w.WriteStartObject();
            w.Number("x", s.X); w.Number("mean", s.Mean);
            Double(w, "standardError", s.StandardError);
            w.Number("trials", s.Trials);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteTrend(Utf8JsonWriter w, TrendResult t)
    {
        w.WriteString("kind", "decay");
        w.Number("exponent", t.Exponent);
        w.Number("alpha", t.Alpha);
        w.WriteStartArray("points");
        foreach (var pt in t.Points)
        {
            w.WriteStartObject();
            w.Number("x", pt.X); w.WriteNumber("failures", pt.Failures); w.WriteNumber("trials", pt.Trials);
            if (pt.Undecided > 0) w.WriteNumber("undecided", pt.Undecided);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Double(w, "fittedSlope", t.FittedSlope);
        WriteTrendPower(w, t);
    }

    /// <summary>The "power" object of a decay trend of failure rates.</summary>
    public static void WriteTrendPower(Utf8JsonWriter w, TrendResult t) =>
        Power(w, ("constantRatePower", t.ConstantRatePower), ("detectableExponent", t.DetectableExponent), ("referenceX", t.ReferenceX), ("referenceRate", t.ReferenceRate));

    /// <summary>Decided claims as a JSON array node (for results.json).</summary>
    public static JsonNode Array(IEnumerable<ClaimDecision> decisions)
    {
        string text = JsonOutput.Write(w => { w.WriteStartArray(); foreach (var d in decisions) Write(w, d); w.WriteEndArray(); });
        return JsonNode.Parse(text)!;
    }

    private static void Long(Utf8JsonWriter w, string name, long? value)
    {
        if (value is long v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    /// <summary>A finite double, or null (an unknown or infinite quantity is not a number to print).</summary>
    private static void Double(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v && double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }
}

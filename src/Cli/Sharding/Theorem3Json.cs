using System.Globalization;
using System.Text.Json;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// The pieces of the Theorem 3 partial payloads shared by `verify theorem3` and `verify theorem3-sweep`: the constant
/// C(d) with its provenance, and one trial's outcome as {"failed": [claim c failed?…], "measurements": […]}.
/// </summary>
internal static class Theorem3Json
{
    public static void WriteConstant(Utf8JsonWriter w, Lemma2Constant constant)
    {
        w.WriteStartObject("constantC");
        w.Number("value", constant.Value);
        w.WriteBoolean("estimate", constant.IsEstimate);
        w.Number("standardError", constant.StandardError);
        w.WriteString("source", constant.Source);
        w.WriteString("worstEntry", constant.WorstEntry);
        w.WriteEndObject();
    }

    public static Lemma2Constant ReadConstant(PartialResult part, int d)
    {
        var c = part.Parameter("constantC");
        return new Lemma2Constant(d, part.Field(c, "value").GetDouble(), part.Field(c, "source").GetString()!,
            part.Field(c, "estimate").GetBoolean(), part.Field(c, "standardError").GetDouble(), part.Field(c, "worstEntry").GetString()!);
    }

    /// <summary>The run-level fields every Theorem 3 part has, checked as the command checks them.</summary>
    public static (long Seed, double Alpha) ReadRun(PartialResult part)
    {
        long seed = part.Parameter("seed").GetInt64();
        double alpha = part.Parameter("alpha").GetDouble();
        if (!(alpha > 0 && alpha <= 0.25)) throw part.Bad($"declares α = {alpha.ToString(CultureInfo.InvariantCulture)}, outside (0, 0.25]");
        return (seed, alpha);
    }

    public static void WriteOutcome(Utf8JsonWriter w, TrialOutcome o)
    {
        w.WriteStartArray("failed");
        foreach (bool f in o.Failed) w.WriteBooleanValue(f);
        w.WriteEndArray();
        w.WriteStartArray("measurements");
        foreach (double m in o.Measurements) w.NumberValue(m);
        w.WriteEndArray();
    }

    public static TrialOutcome ReadOutcome(PartialResult part, long k, JsonElement e, Theorem3Experiment shape)
    {
        var failed = part.Field(e, "failed").EnumerateArray().Select(x => x.GetBoolean()).ToArray();
        var values = part.Field(e, "measurements").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        if (failed.Length != shape.Claims.Count || values.Length != shape.MeasurementNames.Count)
            throw part.Bad($"holds trial {k} with {failed.Length} claims and {values.Length} measurements, but its parameters give {shape.Claims.Count} and {shape.MeasurementNames.Count}");
        return new TrialOutcome(failed, values);
    }

    /// <summary>The union of the parts' logs for one experiment, each payload read by <paramref name="outcome"/>.</summary>
    public static TrialLog MergedLog(IReadOnlyList<PartialResult> parts, Theorem3Experiment shape, Func<PartialResult, long, JsonElement, JsonElement> outcome)
    {
        var all = new SortedDictionary<long, TrialOutcome>();
        foreach (var part in parts)
            foreach (var (k, e) in part.Outcomes)
                all.Add(k, part.Read(() => ReadOutcome(part, k, outcome(part, k, e), shape)));
        return new TrialLog(shape.Claims, shape.MeasurementNames, all);
    }
}

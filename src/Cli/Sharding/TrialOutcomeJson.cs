using System.Text.Json;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// One trial's outcome of an <see cref="ITrialExperiment"/> in a partial file: {"failed": [claim c failed?…],
/// "measurements": […]}, checked against the experiment's shape when read back.
/// </summary>
internal static class TrialOutcomeJson
{
    public static void WriteOutcome(Utf8JsonWriter w, TrialOutcome o)
    {
        w.WriteStartArray("failed");
        foreach (bool f in o.Failed) w.WriteBooleanValue(f);
        w.WriteEndArray();
        w.WriteStartArray("measurements");
        foreach (double m in o.Measurements) w.NumberValue(m);
        w.WriteEndArray();
    }

    public static TrialOutcome ReadOutcome(PartialResult part, long k, JsonElement e, ITrialExperiment shape)
    {
        var failed = part.Field(e, "failed").EnumerateArray().Select(x => x.GetBoolean()).ToArray();
        var values = part.Field(e, "measurements").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        if (failed.Length != shape.Claims.Count || values.Length != shape.MeasurementNames.Count)
            throw part.Bad($"holds trial {k} with {failed.Length} claims and {values.Length} measurements, but its parameters give {shape.Claims.Count} and {shape.MeasurementNames.Count}");
        return new TrialOutcome(failed, values);
    }

    /// <summary>The union of the parts' logs for one experiment, each payload read by <paramref name="outcome"/>.</summary>
    public static TrialLog MergedLog(IReadOnlyList<PartialResult> parts, ITrialExperiment shape, Func<PartialResult, long, JsonElement, JsonElement> outcome)
    {
        var all = new SortedDictionary<long, TrialOutcome>();
        foreach (var part in parts)
            foreach (var (k, e) in part.Outcomes)
                all.Add(k, part.Read(() => ReadOutcome(part, k, outcome(part, k, e), shape)));
        return new TrialLog(shape.Claims, shape.MeasurementNames, all);
    }
}

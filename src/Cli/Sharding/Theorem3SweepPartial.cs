using System.Text.Json;
using FimVerify.Cli.Output;
using FimVerify.Numeric.ShallowRelu;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// `verify theorem3-sweep` parts: parameters d, δ, the p-list, α, seed, whether J is evaluated and C(d); trial k's
/// payload holds its outcome at every p, {"points": [{"failed", "measurements"} per p]}, since trial k of every p
/// draws from (seed, "theorem3", k). The merge rebuilds each point's log and decides the trends once.
/// </summary>
public sealed class Theorem3SweepPartial : IShardedExperiment
{
    public string Tag => "theorem3-sweep";

    public static void Write(string path, Theorem3Sweep.Result r, long totalTrials)
    {
        var first = r.Reports[0];
        var prm = first.Parameters;
        PartialResultFile.Write(path, "theorem3-sweep", totalTrials, first.Shard, w =>
        {
            w.WriteNumber("d", prm.D); w.Number("delta", prm.Delta);
            w.WriteStartArray("pList");
            foreach (var report in r.Reports) w.WriteNumberValue(report.Parameters.P);
            w.WriteEndArray();
            w.Number("alpha", first.Alpha); w.WriteNumber("seed", first.Seed);
            w.WriteBoolean("withJ", prm.WithJ);
            Theorem3ReportOutput.WriteConstant(w, prm.Constant);
        }, first.Log.Outcomes.Keys.Select(k => (k, (Action<Utf8JsonWriter>)(w =>
        {
            w.WriteStartArray("points");
            foreach (var report in r.Reports)
            {
                w.WriteStartObject();
                TrialOutcomeJson.WriteOutcome(w, report.Log.Outcomes[k]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }))));
    }

    public int Merge(IReadOnlyList<PartialResult> parts, MergeOptions options, TextWriter stdout)
    {
        options.EnsureNotReportOptions(parts[0]);
        var first = parts[0];
        var (points, seed, alpha) = first.Read(() =>
        {
            int d = first.Parameter("d").GetInt32();
            double delta = first.Parameter("delta").GetDouble();
            var ps = first.Parameter("pList").EnumerateArray().Select(x => x.GetInt32()).ToList();
            if (ps.Count < 2) throw first.Bad($"lists {ps.Count} values of p, but a sweep has at least two");
            var constant = Theorem3Json.ReadConstant(first, d);
            bool withJ = first.Parameter("withJ").GetBoolean();
            var points = ps.Select(p => Theorem3Sweep.PointParameters(d, delta, p, withJ, constant).Validated()).ToList();
            var (seed, alpha) = Theorem3Json.ReadRun(first);
            return (points, seed, alpha);
        });
        var logs = points.Select((prm, i) => TrialOutcomeJson.MergedLog(parts, new Theorem3Experiment(prm), (part, k, e) =>
        {
            var at = part.Field(e, "points");
            if (at.ValueKind != JsonValueKind.Array || at.GetArrayLength() != points.Count)
                throw part.Bad($"holds trial {k} with outcomes at {(at.ValueKind == JsonValueKind.Array ? at.GetArrayLength() : 0)} values of p, but its p-list has {points.Count}");
            return at[i];
        })).ToList();
        var r = Theorem3Sweep.Analyse(points, logs, seed, alpha);
        Theorem3SweepOutput.Write(r, options.Format, stdout);
        return Theorem3SweepOutput.ExitCode(r, options.Strict);
    }
}

using System.Globalization;
using System.Text.Json;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Sharding;

/// <summary>One shard's run of `verify theorem3` as read back from its partial file.</summary>
/// <param name="ParametersJson">The "parameters" object as written, field by field, for comparing parts.</param>
public sealed record Theorem3Part(string File, Theorem3Parameters Parameters, long Seed, double Alpha, long Trials, Shard Shard,
    TrialLog Log, IReadOnlyList<KeyValuePair<string, string>> ParametersJson);

/// <summary>
/// The fimverify-partial/1 format: the run's parameters, its shard and every trial's outcome. Doubles are written
/// by Utf8JsonWriter in shortest round-trip form, so a part read back reproduces the trial outcomes bit for bit.
/// Every problem reading a part is one sentence naming the file (a <see cref="UsageException"/>, exit 2).
/// </summary>
public static class PartialResultFile
{
    public const string Format = "fimverify-partial/1";
    public const string Experiment = "theorem3";

    public static void Write(string path, Theorem3Report report, long totalTrials)
    {
        var prm = report.Parameters;
        string json = JsonOutput.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("experiment", Experiment);
            w.WriteStartObject("parameters");
            w.WriteNumber("d", prm.D); w.WriteNumber("p", prm.P); w.Number("delta", prm.Delta);
            w.Number("alpha", report.Alpha); w.WriteNumber("seed", report.Seed); w.WriteNumber("trials", totalTrials);
            w.Number("xiPair", prm.XiPair); w.Number("xiDiag", prm.XiDiagonal);
            w.WriteBoolean("withJ", prm.WithJ); w.WriteNumber("denseLimit", prm.DenseLimit);
            w.WriteStartObject("constantC");
            w.Number("value", prm.Constant.Value);
            w.WriteBoolean("estimate", prm.Constant.IsEstimate);
            w.Number("standardError", prm.Constant.StandardError);
            w.WriteString("source", prm.Constant.Source);
            w.WriteString("worstEntry", prm.Constant.WorstEntry);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("shard", $"{report.Shard.Index}/{report.Shard.Count}");
            w.WriteStartArray("outcomes");
            foreach (var (k, o) in report.Log.Outcomes)
            {
                w.WriteStartObject();
                w.WriteNumber("trial", k);
                w.WriteStartArray("failed");
                foreach (bool f in o.Failed) w.WriteBooleanValue(f);
                w.WriteEndArray();
                w.WriteStartArray("measurements");
                foreach (double m in o.Measurements) w.NumberValue(m);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        try { File.WriteAllText(path, json + "\n"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot write the partial file '{path}': {e.Message}");
        }
    }

    /// <summary>Fails before any trial runs when the partial file could not be written afterwards.</summary>
    public static void EnsureWritable(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (!Directory.Exists(dir)) throw new UsageException($"Cannot write the partial file '{path}': the folder '{dir}' does not exist.");
        if (Directory.Exists(path)) throw new UsageException($"Cannot write the partial file '{path}': it is a folder.");
    }

    public static Theorem3Part Read(string path)
    {
        if (!File.Exists(path)) throw Bad(path, Directory.Exists(path) ? "is a folder, not a file" : "does not exist");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Bad(path, $"cannot be read ({e.GetType().Name.Replace("Exception", "")})");
        }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException e) { throw Bad(path, $"is not valid JSON (line {(e.LineNumber ?? 0) + 1})"); }
        using (doc)
        {
            try { return Parse(path, doc.RootElement); }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
            {
                // GetInt32/GetString/… on a mistyped field, or parameters the library rejects.
                throw Bad(path, $"is not a well-formed {Format} file ({FirstClause(e.Message)})");
            }
        }
    }

    private static Theorem3Part Parse(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var f) || f.ValueKind != JsonValueKind.String || f.GetString() != Format)
            throw Bad(path, $"is not a {Format} file (its \"format\" field is missing or different)");
        string experiment = root.Field(path, "experiment").GetString() ?? "";
        if (experiment != Experiment) throw Bad(path, $"holds the experiment '{experiment}', which merge does not know (only {Experiment})");

        var pj = root.Field(path, "parameters");
        var cj = pj.Field(path, "constantC");
        int d = pj.Field(path, "d").GetInt32();
        var constant = new Lemma2Constant(d, cj.Field(path, "value").GetDouble(), cj.Field(path, "source").GetString()!,
            cj.Field(path, "estimate").GetBoolean(), cj.Field(path, "standardError").GetDouble(), cj.Field(path, "worstEntry").GetString()!);
        var prm = new Theorem3Parameters(d, pj.Field(path, "p").GetInt32(), pj.Field(path, "delta").GetDouble(), constant,
            pj.Field(path, "xiPair").GetDouble(), pj.Field(path, "xiDiag").GetDouble(), pj.Field(path, "denseLimit").GetInt32(),
            pj.Field(path, "withJ").GetBoolean()).Validated();
        long seed = pj.Field(path, "seed").GetInt64();
        double alpha = pj.Field(path, "alpha").GetDouble();
        long trials = pj.Field(path, "trials").GetInt64();
        if (trials < 1) throw Bad(path, $"declares {trials} trials, but a run has at least one");
        if (!(alpha > 0 && alpha <= 0.25)) throw Bad(path, $"declares α = {alpha.ToString(CultureInfo.InvariantCulture)}, outside (0, 0.25]");
        var shard = ParseShard(path, root.Field(path, "shard").GetString() ?? "");

        var experimentShape = new Theorem3Experiment(prm);
        int claims = experimentShape.Claims.Count, measurements = experimentShape.MeasurementNames.Count;
        var outcomes = new SortedDictionary<long, TrialOutcome>();
        foreach (var oj in root.Field(path, "outcomes").EnumerateArray())
        {
            long k = oj.Field(path, "trial").GetInt64();
            if (k < 0 || k >= trials || k % shard.Count != shard.Index)
                throw Bad(path, $"holds trial {k}, which is not in shard {shard.Index}/{shard.Count} of {trials} trials");
            var failed = oj.Field(path, "failed").EnumerateArray().Select(x => x.GetBoolean()).ToArray();
            var values = oj.Field(path, "measurements").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            if (failed.Length != claims || values.Length != measurements)
                throw Bad(path, $"holds trial {k} with {failed.Length} claims and {values.Length} measurements, but these parameters give {claims} and {measurements}");
            if (!outcomes.TryAdd(k, new TrialOutcome(failed, values))) throw Bad(path, $"holds trial {k} twice");
        }
        long expected = shard.Trials(trials).LongCount();
        if (outcomes.Count != expected)
            throw Bad(path, $"holds {outcomes.Count} of the {expected} trials of shard {shard.Index}/{shard.Count} (the file is incomplete)");

        var fields = pj.EnumerateObject().Select(x => new KeyValuePair<string, string>(x.Name, x.Value.GetRawText())).ToList();
        return new Theorem3Part(path, prm, seed, alpha, trials, shard,
            new TrialLog(experimentShape.Claims, experimentShape.MeasurementNames, outcomes), fields);
    }

    private static Shard ParseShard(string path, string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || i >= n)
            throw Bad(path, $"names the shard '{text}', which is not i/N with 0 ≤ i < N");
        return new Shard(i, n);
    }

    private static JsonElement Field(this JsonElement e, string path, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw Bad(path, $"lacks the field \"{name}\"");

    private static UsageException Bad(string path, string problem) => new($"The part file '{path}' {problem}.");

    private static string FirstClause(string message)
    {
        int cut = message.IndexOfAny(['.', '\n', '(']);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}

using System.Text.Json;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Files;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// The fimverify-partial/3 format, one format for every shardable experiment:
/// {"format", "experiment": tag, "parameters": {"trials": K, "fimverify": version, "eigenBackend", "simd", …the experiment's…}, "shard": "i/N",
///  "outcomes": [{"trial": k, …the experiment's payload…, "digest"}], "digest"}, self-checking through <see cref="PartDigest"/>
/// (format 2, without digests, is refused with a sentence saying so).
/// This class writes and reads the envelope and checks what is common to all experiments (the format, a known tag,
/// the shard, that the outcomes are exactly the shard's trials); the experiment's <see cref="IShardedExperiment"/>
/// reads the parameters and payloads. Doubles are written by Utf8JsonWriter in shortest round-trip form, so a part
/// read back reproduces its numbers bit for bit. Every problem is one sentence naming the file (exit 2).
/// </summary>
public static class PartialResultFile
{
    public const string Format = "fimverify-partial/3";

    /// <summary>Earlier formats, refused by name: their parts carry no digests, so an edit could not be told from a result.</summary>
    private static readonly string[] OlderFormats = ["fimverify-partial/1", "fimverify-partial/2"];

    /// <param name="parameters">Writes the experiment's parameter fields (after "trials", "fimverify", "eigenBackend" and "simd").</param>
    /// <param name="outcomes">Each trial's index and a writer of its payload fields (after "trial").</param>
    public static void Write(string path, string experiment, long trials, Shard shard, Action<Utf8JsonWriter> parameters,
        IEnumerable<(long Trial, Action<Utf8JsonWriter> Payload)> outcomes)
    {
        string json = JsonOutput.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("experiment", experiment);
            w.WriteStartObject("parameters");
            w.WriteNumber("trials", trials);
            w.WriteString("fimverify", Dispatcher.Version);
            // Measurements agree bit for bit only along one numeric path (LAPACK backend, SIMD width of our kernels):
            // parts of one run must share it, or their union would be no single run's result.
            w.WriteString("eigenBackend", DenseSymmetricEigen.Backend);
            w.WriteString("simd", SimdPath.Active);
            parameters(w);
            w.WriteEndObject();
            w.WriteString("shard", $"{shard.Index}/{shard.Count}");
            w.WriteStartArray("outcomes");
            foreach (var (k, payload) in outcomes)
            {
                w.WriteStartObject();
                w.WriteNumber("trial", k);
                payload(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        try { OutputFile.WriteText(path, PartDigest.Sign(json) + "\n", $"the partial file '{path}'"); }
        catch (UnusableFileException e) { throw new UsageException(e.Message + "."); }
    }

    /// <summary>Fails before any trial runs when the partial file could not be written afterwards.</summary>
    public static void EnsureWritable(string path)
    {
        try { OutputFile.EnsureWritable(path, $"the --partial file '{path}'"); }
        catch (UnusableFileException e) { throw new UsageException(e.Message + "."); }
    }

    public static PartialResult Read(string path)
    {
        byte[] bytes;
        try
        {
            long size = InputFile.Check(path, $"The part file '{path}'", InputFile.PartLimit);
            // The parsed document and its per-trial payloads take a few times the file's size.
            ResourceLimits.Check(new ResourceEstimate(CheckedSize.Multiply(size, 4), 50.0 * size, 0), $"Reading the part file '{path}'", "merge on a machine with more memory");
            using var stream = InputFile.OpenRead(path, $"The part file '{path}'", InputFile.PartLimit);
            bytes = new byte[CheckedSize.ArrayLength(size, $"the part file '{path}'")];
            stream.ReadExactly(bytes);
        }
        catch (UnusableFileException e) { throw new UsageException(e.Message + "."); }
        catch (EndOfStreamException) { throw Bad(path, "changed while it was read"); }
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false });
            root = doc.RootElement.Clone();
        }
        catch (JsonException e) { throw Bad(path, $"is not valid JSON (line {(e.LineNumber ?? 0) + 1}: {FirstClause(e.Message)})"); }
        return PartialResult.Guard(path, () => Envelope(path, root));
    }

    private static string FirstClause(string message)
    {
        int cut = message.IndexOfAny(['.', '\n']);
        return (cut > 0 ? message[..cut] : message).Trim();
    }

    private static PartialResult Envelope(string path, JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out var old) && old.ValueKind == JsonValueKind.String
            && OlderFormats.Contains(old.GetString()))
            throw Bad(path, $"is in the older format {old.GetString()}, without the content digests of {Format}: re-run its shard with this fimverify");
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var f) || f.ValueKind != JsonValueKind.String || f.GetString() != Format)
            throw Bad(path, $"is not a {Format} file (its \"format\" field is missing or different)");
        if (root.TryGetProperty("outcomes", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            var (fileMatches, badOutcome) = PartDigest.Verify(root);
            if (badOutcome is JsonElement o)
                throw Bad(path, $"holds {(o.ValueKind == JsonValueKind.Object && o.TryGetProperty("trial", out var t) ? $"trial {t.GetRawText()}" : "an outcome")} whose content does not match its digest: the file was edited or corrupted after it was written");
            if (!fileMatches)
                throw Bad(path, "does not match its digest: the file was edited or corrupted after it was written");
        }
        string experiment = PartialResult.Field(path, root, "experiment").GetString() ?? "";
        if (ShardedExperiments.Find(experiment) is null)
            throw Bad(path, $"holds the experiment '{experiment}', which merge does not know (it knows {string.Join(", ", ShardedExperiments.All.Select(e => e.Tag))})");
        var parameters = PartialResult.Field(path, root, "parameters");
        long trials = PartialResult.Field(path, parameters, "trials").GetInt64();
        if (trials < 1) throw Bad(path, $"declares {trials} trials, but a run has at least one");
        string shardText = PartialResult.Field(path, root, "shard").GetString() ?? "";
        if (!ShardOptions.TryParse(shardText, out var shard)) throw Bad(path, $"names the shard '{shardText}', which is not i/N with 0 ≤ i < N");

        var outcomes = new SortedDictionary<long, JsonElement>();
        foreach (var o in PartialResult.Field(path, root, "outcomes").EnumerateArray())
        {
            long k = PartialResult.Field(path, o, "trial").GetInt64();
            if (k < 0 || k >= trials || k % shard.Count != shard.Index)
                throw Bad(path, $"holds trial {k}, which is not in shard {shard.Index}/{shard.Count} of {trials} trials");
            if (!outcomes.TryAdd(k, o)) throw Bad(path, $"holds trial {k} twice");
        }
        long expected = shard.Trials(trials).LongCount();
        if (outcomes.Count != expected)
            throw Bad(path, $"holds {outcomes.Count} of the {expected} trials of shard {shard.Index}/{shard.Count} (the file is incomplete)");
        var fields = parameters.EnumerateObject().Select(x => new KeyValuePair<string, string>(x.Name, x.Value.GetRawText())).ToList();
        return new PartialResult(path, experiment, trials, shard, parameters, fields, outcomes);
    }

    private static UsageException Bad(string path, string problem) => PartialResult.Problem(path, problem);
}

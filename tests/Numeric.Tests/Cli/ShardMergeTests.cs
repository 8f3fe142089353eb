using System.Text.Json;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// Every trial-based command run as `--shard i/N --partial F`, then `merge`: the merged output must be the unsharded
/// run's output byte for byte (text and JSON, exit code included), and every way the parts can disagree must be refused
/// with one sentence naming the file (exit 2).
/// </summary>
public sealed class ShardMergeTests : IDisposable
{
    /// <summary>Each shardable command at a small size, with one parameter another run could differ in.</summary>
    private static readonly Dictionary<string, (string[] Args, string Option, string Other, string Field)> Commands = new()
    {
        ["theorem3"] = (["verify", "theorem3", "--d", "3", "--p", "60", "--delta", "0.5", "--trials", "12", "--seed", "5"], "--delta", "0.4", "delta"),
        ["theorem3-sweep"] = (["verify", "theorem3-sweep", "--d", "3", "--delta", "0.3", "--p-list", "20,40,80", "--trials", "12", "--seed", "3"], "--p-list", "20,40,60", "pList"),
        ["fim-stats"] = (["fim-stats", "--activation", "tanh", "--depth", "3", "--width", "40", "--samples", "5", "--outputs", "2",
            "--sigma-w2", "3", "--sigma-b2", "0.64", "--trials", "12"], "--sigma-b2", "0.5", "sigmaB2"),
        ["fim-stats-softmax"] = (["fim-stats", "--activation", "erf", "--depth", "2", "--width", "30", "--samples", "4", "--outputs", "3",
            "--sigma-w2", "2", "--sigma-b2", "0.2", "--trials", "12", "--variant", "softmax"], "--width", "31", "width"),
        ["fim-stats-mean-subtracted"] = (["fim-stats", "--activation", "tanh", "--depth", "3", "--width", "40", "--samples", "10", "--outputs", "2",
            "--sigma-w2", "3", "--sigma-b2", "0.64", "--trials", "12", "--variant", "mean-subtracted"], "--samples", "8", "samples"),
        ["fim-stats-blocks"] = (["fim-stats", "--activation", "relu", "--depth", "3", "--width", "30", "--samples", "4", "--outputs", "2",
            "--sigma-w2", "2", "--sigma-b2", "0.1", "--trials", "12", "--variant", "blocks", "--widths", "1,2,1"], "--seed", "2", "seed"),
    };

    public static TheoryData<string> Names => [.. Commands.Keys];

    private readonly string _dir = Directory.CreateTempSubdirectory("fimverify-shard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static string[] With(string[] args, params string[] overrides)
    {
        var list = args.ToList();
        for (int k = 0; k < overrides.Length; k += 2)
        {
            int at = list.IndexOf(overrides[k]);
            if (at < 0) list.AddRange([overrides[k], overrides[k + 1]]); else list[at + 1] = overrides[k + 1];
        }
        return [.. list];
    }

    private string Part(string name, int i, int n, params string[] overrides)
    {
        string file = Path.Combine(_dir, $"{name}-{i}-of-{n}{(overrides.Length > 0 ? "-" + string.Join("", overrides).GetHashCode().ToString("x") : "")}.json");
        var (code, _, err) = Run([.. With(Commands[name].Args, overrides), "--shard", $"{i}/{n}", "--partial", file]);
        Assert.True(code is 0 or 1, err);
        return file;
    }

    /// <summary>
    /// An edited part given fresh digests, as a writer with other parameters or a bug would have written it: what the
    /// structural checks behind the digests must still refuse (an edit without new digests is refused for them alone).
    /// </summary>
    private static string Signed(string json) => FimVerify.Cli.Sharding.PartDigest.Sign(json);

    private static void AssertRefusedNaming(string file, (int Code, string Out, string Err) result)
    {
        Assert.Equal(2, result.Code);
        Assert.Equal("", result.Out);
        Assert.StartsWith("fimverify: ", result.Err);
        Assert.Single(result.Err.TrimEnd().Split('\n'));
        Assert.Contains($"'{file}'", result.Err);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void MergedShardsPrintExactlyTheUnshardedRun(string name)
    {
        var args = Commands[name].Args;
        var parts = Enumerable.Range(0, 3).Select(i => Part(name, i, 3)).ToArray();
        foreach (var format in new[] { "text", "json" })
        {
            var whole = Run([.. args, "--format", format]);
            // Given out of order on purpose: the merge must not depend on it.
            var merged = Run(["merge", parts[2], parts[0], parts[1], "--format", format]);
            Assert.True(whole.Code is 0 or 1, whole.Err);
            Assert.Equal(whole.Code, merged.Code);
            Assert.Equal(whole.Out, merged.Out);
        }
        // Shards of different N that still cover every trial once.
        string half = Part(name, 0, 2), quarter1 = Part(name, 1, 4), quarter3 = Part(name, 3, 4);
        Assert.Equal(Run(args).Out, Run("merge", quarter3, half, quarter1).Out);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AShardAloneCountsOnlyItsOwnTrials(string name)
    {
        var (code, output, err) = Run([.. Commands[name].Args, "--shard", "1/3"]);
        Assert.True(code is 0 or 1, err);
        Assert.Contains("4 trial", output);       // 12 trials, shard 1/3: trials 1, 4, 7, 10
        Assert.Contains("shard 1/3", output);
        var json = JsonDocument.Parse(Run([.. Commands[name].Args, "--shard", "1/3", "--format", "json"]).Out).RootElement;
        Assert.Equal(4, json.GetProperty("trials").GetInt64());
        Assert.Equal("1/3", json.GetProperty("shard").GetString());
        if (name == "theorem3")
            Assert.All(json.GetProperty("claims").EnumerateArray(), c => Assert.Equal(4, c.GetProperty("trials").GetInt64()));
    }

    [Fact]
    public void MeasurementsRoundTripBitForBit()
    {
        foreach (var name in new[] { "theorem3", "fim-stats" })
        {
            string file = Part(name, 0, 1);
            var stored = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("outcomes").EnumerateArray()
                .SelectMany(Doubles).ToList();
            Assert.NotEmpty(stored);
            foreach (var m in stored)
                Assert.Equal(m.GetRawText(), JsonSerializer.Serialize(m.GetDouble()));
            // Numbers with many significant digits exist, so the round trip is not trivially satisfied by short numbers.
            Assert.Contains(stored, m => m.GetRawText().Length >= 15);
        }

        static IEnumerable<JsonElement> Doubles(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().Where(p => p.Name != "trial").SelectMany(p => Doubles(p.Value)),
            JsonValueKind.Array => e.EnumerateArray().SelectMany(Doubles),
            JsonValueKind.Number => [e],
            _ => [],
        };
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void OverlappingShardsAreRefused(string name)
    {
        string a = Part(name, 0, 3), b = Part(name, 1, 3), c = Part(name, 2, 3), overlap = Part(name, 0, 2);
        AssertRefusedNaming(overlap, Run("merge", a, b, c, overlap));
        AssertRefusedNaming(b, Run("merge", a, b, c, b));
        Assert.Contains("given twice", Run("merge", a, b, c, b).Err);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AMissingShardIsRefused(string name)
    {
        string a = Part(name, 0, 3), c = Part(name, 2, 3);
        var result = Run("merge", a, c);
        AssertRefusedNaming(a, result);
        Assert.Contains("trial 1 ", result.Err);
        Assert.Contains("1/3", result.Err);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void MismatchedParametersAreRefused(string name)
    {
        var (_, option, other, field) = Commands[name];
        string a = Part(name, 0, 3), b = Part(name, 1, 3), different = Part(name, 2, 3, option, other);
        var result = Run("merge", a, b, different);
        AssertRefusedNaming(different, result);
        Assert.Contains(field, result.Err);
        string trials = Part(name, 2, 3, "--trials", "13");
        AssertRefusedNaming(trials, Run("merge", a, b, trials));
    }

    [Theory]
    [InlineData("simd")]
    [InlineData("eigenBackend")]
    [InlineData("fimverify")]
    public void PartsFromAnotherNumericPathOrVersionAreRefused(string field)
    {
        string a = Part("theorem3", 0, 2), b = Part("theorem3", 1, 2);
        var doc = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(b))!;
        doc["parameters"]![field] = "elsewhere";
        string other = Path.Combine(_dir, $"other-{field}.json");
        File.WriteAllText(other, Signed(doc.ToJsonString()));
        var result = Run("merge", a, other);
        AssertRefusedNaming(other, result);
        Assert.Contains($"{field} = \"elsewhere\"", result.Err);
    }

    [Fact]
    public void APartRewrittenByAnotherJsonWriterStillMerges()
    {
        // Re-serialised with the default encoder, which escapes non-ASCII characters and '+' and drops the indentation:
        // the same values, other text. Merge compares values, so the run still merges to the unsharded output.
        string a = Part("theorem3", 0, 2), b = Part("theorem3", 1, 2);
        var doc = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(b))!;
        string rewritten = Path.Combine(_dir, "rewritten.json");
        File.WriteAllText(rewritten, doc.ToJsonString());
        Assert.NotEqual(File.ReadAllText(b), File.ReadAllText(rewritten));
        var merged = Run("merge", a, rewritten);
        var original = Run("merge", a, b);
        Assert.Equal(original.Code, merged.Code);
        Assert.Equal(original.Out, merged.Out);
    }

    [Fact]
    public void PartsOfDifferentExperimentsAreRefused()
    {
        string theorem3 = Part("theorem3", 0, 2), stats = Part("fim-stats", 1, 2), sweep = Part("theorem3-sweep", 1, 2);
        var result = Run("merge", theorem3, stats);
        AssertRefusedNaming(stats, result);
        Assert.Contains("fim-stats", result.Err);
        Assert.Contains("theorem3", result.Err);
        AssertRefusedNaming(sweep, Run("merge", theorem3, sweep));
    }

    [Fact]
    public void CorruptOrMalformedFilesAreRefused()
    {
        string good = Part("theorem3", 0, 1);
        string text = File.ReadAllText(good);
        // Structural faults behind valid digests (the digests are recomputed), so each check itself is exercised.
        string Write(string file, string content)
        {
            string path = Path.Combine(_dir, file);
            try { content = Signed(content); } catch (JsonException) { } // a truncated file has no digest to recompute
            File.WriteAllText(path, content);
            return path;
        }
        foreach (var bad in new[]
        {
            Write("truncated.json", text[..(text.Length / 2)]),
            Write("wrong-shape.json", text.Replace("\"trial\": 3,", "\"trial\": \"three\",")),
            Write("not-partial.json", "{\"claims\": []}"),
            Write("old-format.json", text.Replace(FimVerify.Cli.Sharding.PartialResultFile.Format, "fimverify-partial/2")),
            Write("unknown-experiment.json", text.Replace("\"experiment\": \"theorem3\"", "\"experiment\": \"theorem9\"")),
            Write("missing-trial.json", text.Replace("\"trial\": 3,", "\"trial\": 12,")),
            Write("bad-shard.json", text.Replace("\"shard\": \"0/1\"", "\"shard\": \"1/1\"")),
            Path.Combine(_dir, "no-such-part.json"),
        })
            AssertRefusedNaming(bad, Run("merge", bad));

        string stats = File.ReadAllText(Part("fim-stats-blocks", 0, 1));
        int metrics = stats.IndexOf("\"metrics\"", StringComparison.Ordinal);
        AssertRefusedNaming(Write("no-variant.json", stats.Replace("\"variant\": \"blocks\"", "\"variant\": \"hessian\"")), Run("merge", Path.Combine(_dir, "no-variant.json")));
        AssertRefusedNaming(Write("no-metrics.json", stats[..metrics] + stats[metrics..].Replace("\"metrics\"", "\"metricz\"")), Run("merge", Path.Combine(_dir, "no-metrics.json")));
        // The per-trial numbers the softmax prediction and the mean-subtraction bounds are built from must be there.
        string softmax = File.ReadAllText(Part("fim-stats-softmax", 0, 1));
        Assert.Contains("\"secondMoment\"", softmax[softmax.IndexOf("\"softmaxPrediction\"", StringComparison.Ordinal)..]);
        AssertRefusedNaming(Write("no-softmax-s.json", System.Text.RegularExpressions.Regex.Replace(softmax, "(\"softmaxPrediction\": \\{[^}]*)\"secondMoment\"", "$1\"secondMomentz\"")),
            Run("merge", Path.Combine(_dir, "no-softmax-s.json")));
        string centred = File.ReadAllText(Part("fim-stats-mean-subtracted", 0, 1));
        AssertRefusedNaming(Write("no-c2.json", centred.Replace("\"meanSubtractionC2\"", "\"c2\"")), Run("merge", Path.Combine(_dir, "no-c2.json")));
    }

    [Fact]
    public void EditedOrCorruptedPartsAreRefusedByTheirDigests()
    {
        // Flipping a "failed" flag changed the merged verdict before parts carried digests; now the edit is refused, naming the trial.
        string a = Part("theorem3", 0, 2), b = Part("theorem3", 1, 2);
        string text = File.ReadAllText(b);
        string Write(string file, string content)
        {
            string path = Path.Combine(_dir, file);
            File.WriteAllText(path, content);
            return path;
        }
        int failed = text.IndexOf("\"failed\": [", StringComparison.Ordinal);
        Assert.True(failed > 0);
        int flag = text.IndexOf("false", failed, StringComparison.Ordinal);
        string flipped = Write("flipped.json", text[..flag] + "true" + text[(flag + 5)..]);
        var result = Run("merge", a, flipped);
        AssertRefusedNaming(flipped, result);
        Assert.Contains("whose content does not match its digest", result.Err);
        // A parameter edited: the file's digest no longer matches.
        string seed = Write("seed.json", text.Replace("\"seed\": 5", "\"seed\": 6"));
        Assert.Contains("does not match its digest", Run("merge", a, seed).Err);
        // A digest removed, and one byte of a measurement changed.
        int digest = text.IndexOf("\"digest\"", StringComparison.Ordinal);
        AssertRefusedNaming(Write("no-digest.json", text[..digest] + "\"digezt\"" + text[(digest + 8)..]), Run("merge", a, Path.Combine(_dir, "no-digest.json")));
        int measurement = text.IndexOf("\"measurements\": [", StringComparison.Ordinal) + 20;
        int digit = text.IndexOfAny("123456789".ToCharArray(), measurement);
        string changed = Write("digit.json", text[..digit] + (text[digit] == '9' ? '8' : (char)(text[digit] + 1)) + text[(digit + 1)..]);
        AssertRefusedNaming(changed, Run("merge", a, changed));
        // Re-indented and re-escaped by another JSON writer: the same values, the same digests (APartRewrittenByAnotherJsonWriterStillMerges).
        // A duplicate key names the file too.
        string duplicate = Write("duplicate.json", text.Replace("\"format\":", "\"shard\": \"1/2\", \"format\":"));
        var dup = Run("merge", a, duplicate);
        AssertRefusedNaming(duplicate, dup);
        Assert.Contains("not valid JSON", dup.Err);
    }

    [Fact]
    public void ShardOptionsAreValidatedBeforeAnyTrialRuns()
    {
        foreach (var name in new[] { "theorem3", "theorem3-sweep", "fim-stats" })
        {
            var args = Commands[name].Args;
            foreach (var shard in new[] { "3/3", "1/0", "a/b", "-1/3", "1/3/4" })
            {
                var (code, output, err) = Run([.. args, "--shard", shard]);
                Assert.Equal(2, code);
                Assert.Equal("", output);
                Assert.Contains("--shard", err);
            }
            var empty = Run([.. args, "--shard", "12/13"]);     // 12 trials: shard 12 has none
            Assert.Equal(2, empty.Code);
            Assert.Contains("holds no trial", empty.Err);
            var noFolder = Run([.. args, "--partial", Path.Combine(_dir, "missing", "part.json")]);
            Assert.Equal(2, noFolder.Code);
            Assert.Contains("does not exist", noFolder.Err);
        }
    }

    [Fact]
    public void PartialWithoutShardIsTheWholeRunAndMergesAlone()
    {
        string file = Path.Combine(_dir, "whole.json");
        var whole = Run([.. Commands["fim-stats"].Args, "--partial", file]);
        Assert.True(whole.Code is 0 or 1, whole.Err);
        var merged = Run("merge", file);
        Assert.Equal((whole.Code, whole.Out), (merged.Code, merged.Out));
        Assert.Equal("0/1", JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("shard").GetString());
    }
}

using System.Text.Json;
using FimVerify.Cli;
using FimVerify.Cli.CommandLine;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// `verify theorem3 --shard i/N --partial F` then `merge`: the merged output must be the unsharded run's output, and
/// every way the parts can disagree must be refused with one sentence naming the file (exit 2).
/// </summary>
public sealed class ShardMergeTests : IDisposable
{
    private static readonly string[] Theorem3 = ["verify", "theorem3", "--d", "3", "--p", "60", "--delta", "0.5", "--trials", "12", "--seed", "5"];
    private readonly string _dir = Directory.CreateTempSubdirectory("fimverify-shard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private string Part(int i, int n, params string[] overrides)
    {
        string file = Path.Combine(_dir, $"part-{i}-of-{n}{(overrides.Length > 0 ? "-x" : "")}.json");
        var args = Theorem3.ToList();
        for (int k = 0; k < overrides.Length; k += 2) args[args.IndexOf(overrides[k]) + 1] = overrides[k + 1];
        var (code, _, err) = Run([.. args, "--shard", $"{i}/{n}", "--partial", file]);
        Assert.True(code is 0 or 1, err);
        return file;
    }

    private static string Claims(string json) => JsonDocument.Parse(json).RootElement.GetProperty("claims").GetRawText();

    private static void AssertRefusedNaming(string file, (int Code, string Out, string Err) result)
    {
        Assert.Equal(2, result.Code);
        Assert.Equal("", result.Out);
        Assert.StartsWith("fimverify: ", result.Err);
        Assert.Single(result.Err.TrimEnd().Split('\n'));
        Assert.Contains($"'{file}'", result.Err);
    }

    [Fact]
    public void MergedThreeShardsPrintExactlyTheUnshardedRun()
    {
        var parts = Enumerable.Range(0, 3).Select(i => Part(i, 3)).ToArray();
        var whole = Run([.. Theorem3, "--format", "json"]);
        // Given out of order on purpose: the merge must not depend on it.
        var merged = Run(["merge", parts[2], parts[0], parts[1], "--format", "json"]);
        Assert.Equal(whole.Code, merged.Code);
        Assert.Equal(Claims(whole.Out), Claims(merged.Out));
        Assert.Equal(whole.Out, merged.Out);   // the header too: trials 12, shard 0/1, same constants
        Assert.Equal(Run([.. Theorem3]).Out, Run(["merge", .. parts]).Out);

        // The shards really are partial: each alone counts only its own 4 trials.
        var shard = JsonDocument.Parse(Run([.. Theorem3, "--shard", "1/3", "--format", "json"]).Out).RootElement;
        Assert.All(shard.GetProperty("claims").EnumerateArray(), c => Assert.Equal(4, c.GetProperty("trials").GetInt64()));
    }

    [Fact]
    public void MeasurementsRoundTripBitForBit()
    {
        string file = Part(0, 1);
        var stored = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("outcomes").EnumerateArray()
            .SelectMany(o => o.GetProperty("measurements").EnumerateArray()).ToList();
        Assert.NotEmpty(stored);
        foreach (var m in stored)
            Assert.Equal(m.GetRawText(), JsonSerializer.Serialize(m.GetDouble()));
        // Measurements with many significant digits exist, so the round trip is not trivially satisfied by short numbers.
        Assert.Contains(stored, m => m.GetRawText().Length >= 15);
    }

    [Fact]
    public void OverlappingShardsAreRefused()
    {
        string a = Part(0, 3), b = Part(1, 3), c = Part(2, 3), overlap = Part(0, 2);
        AssertRefusedNaming(overlap, Run("merge", a, b, c, overlap));
        AssertRefusedNaming(b, Run("merge", a, b, c, b));
    }

    [Fact]
    public void AMissingShardIsRefused()
    {
        string a = Part(0, 3), c = Part(2, 3);
        var result = Run("merge", a, c);
        AssertRefusedNaming(a, result);
        Assert.Contains("trial 1 ", result.Err);
        Assert.Contains("1/3", result.Err);
    }

    [Fact]
    public void MismatchedParametersAreRefused()
    {
        string a = Part(0, 3), b = Part(1, 3), other = Part(2, 3, "--delta", "0.4");
        var result = Run("merge", a, b, other);
        AssertRefusedNaming(other, result);
        Assert.Contains("delta", result.Err);
        AssertRefusedNaming(Part(2, 3, "--seed", "6"), Run("merge", a, b, Part(2, 3, "--seed", "6")));
    }

    [Fact]
    public void CorruptOrMalformedFilesAreRefused()
    {
        string good = Part(0, 1);
        string text = File.ReadAllText(good);
        string truncated = Path.Combine(_dir, "truncated.json");
        File.WriteAllText(truncated, text[..(text.Length / 2)]);
        AssertRefusedNaming(truncated, Run("merge", truncated));

        string wrongShape = Path.Combine(_dir, "wrong-shape.json");
        File.WriteAllText(wrongShape, text.Replace("\"trial\": 3,", "\"trial\": \"three\","));
        AssertRefusedNaming(wrongShape, Run("merge", wrongShape));

        string notPartial = Path.Combine(_dir, "not-partial.json");
        File.WriteAllText(notPartial, "{\"claims\": []}");
        AssertRefusedNaming(notPartial, Run("merge", notPartial));

        string missing = Path.Combine(_dir, "no-such-part.json");
        AssertRefusedNaming(missing, Run("merge", missing));
    }
}

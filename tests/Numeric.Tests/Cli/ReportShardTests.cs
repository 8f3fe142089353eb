using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// `report --shard i/N --partial F` then `merge F… --out DIR`: the merged report folder must be the unsharded report's
/// (results.json, report.md, JUnit and plots), but for timings and the date; bad combinations are refused (exit 2).
/// </summary>
public sealed class ReportShardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fimverify-report-shard-").FullName;
    private readonly string _suite;

    public ReportShardTests()
    {
        // Small sizes; a suite on purpose, so the merge must re-read it from the parts. kappa-series has no trials: merge runs it.
        _suite = Path.Combine(_dir, "suite.toml");
        File.WriteAllText(_suite, "seed = 4\nquick = true\n\n[kappa-series]\nterms = 20\n\n[theorem3]\ntrials = 7\nlarge_trials = 3\nlarge_p = 2000\n\n"
            + "[mean-field]\nactivation = \"tanh\"\ntrials = 2\nmax_width = 200\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private string Shard(int i, int n, params string[] extra)
    {
        string file = Path.Combine(_dir, $"report-{i}-of-{n}{string.Concat(extra)}.json".Replace("-", "_").Replace("/", "_"));
        var (code, output, err) = Run(["report", "--suite", _suite, "--shard", $"{i}/{n}", "--partial", file, .. extra]);
        Assert.True(code == 0, err);
        Assert.Contains($"shard {i}/{n}", output);
        return file;
    }

    /// <summary>results.json without the timings.</summary>
    private static string Results(string dir)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!;
        foreach (var s in root["sections"]!.AsArray()) s!.AsObject().Remove("seconds");
        return root.ToJsonString();
    }

    /// <summary>The text without timings, the date, and the SVG clip-path ids ScottPlot numbers per process.</summary>
    private static string WithoutTimes(string text) =>
        Regex.Replace(Regex.Replace(Regex.Replace(text, @"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "DATE"), @"(time=""|\| |<td>)[0-9.]+( s \|| s</td>|"")", "$1T$2"), @"cl_[0-9a-f]+", "cl_");

    [Fact]
    public void MergedShardsWriteTheUnshardedReport()
    {
        string whole = Path.Combine(_dir, "whole"), merged = Path.Combine(_dir, "merged");
        var unsharded = Run("report", "--suite", _suite, "--out", whole, "--junit", Path.Combine(whole, "junit.xml"));
        var parts = new[] { Shard(1, 3), Shard(0, 3), Shard(2, 3) };
        var result = Run(["merge", .. parts, "--out", merged, "--junit", Path.Combine(merged, "junit.xml")]);
        Assert.True(unsharded.Code is 0 or 1, unsharded.Err);
        Assert.Equal(unsharded.Code, result.Code);
        Assert.Equal(Results(whole), Results(merged));
        foreach (var file in new[] { "report.md", "report.html", "junit.xml", "mean-field-ratios.svg" })
            Assert.Equal(WithoutTimes(File.ReadAllText(Path.Combine(whole, file))), WithoutTimes(File.ReadAllText(Path.Combine(merged, file))));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "mean-field-ratios.png")), File.ReadAllBytes(Path.Combine(merged, "mean-field-ratios.png")));
        // The sections are the suite's, trial-based or not.
        var ids = JsonNode.Parse(File.ReadAllText(Path.Combine(merged, "results.json")))!["sections"]!.AsArray().Select(s => (string)s!["id"]!);
        Assert.Equal(["kappa-series", "theorem3", "mean-field"], ids);

        // --format json of the merge prints results.json, as report does.
        var json = Run(["merge", .. parts, "--out", merged, "--format", "json"]);
        Assert.Equal(File.ReadAllText(Path.Combine(merged, "results.json")).Trim(), json.Out.Trim());
    }

    [Fact]
    public void MergedShardsOfTheVariantsSectionWriteTheUnshardedSection()
    {
        // The shipped claims/mean-field-variants.toml at small sizes (its suite fields), sharded like theorem3 and mean-field.
        string suite = Path.Combine(_dir, "variants.toml"), whole = Path.Combine(_dir, "v-whole"), merged = Path.Combine(_dir, "v-merged");
        File.WriteAllText(suite, "seed = 4\nquick = true\n\n[mean-field-variants]\ntrials = 2\nmax_width = 400\n");
        var unsharded = Run("report", "--suite", suite, "--out", whole);
        Assert.True(unsharded.Code is 0 or 1, unsharded.Err);
        var parts = new[] { 0, 1 }.Select(i =>
        {
            string file = Path.Combine(_dir, $"v{i}.json");
            var r = Run("report", "--suite", suite, "--shard", $"{i}/2", "--partial", file);
            Assert.True(r.Code == 0, r.Err);
            return file;
        }).ToArray();
        var result = Run(["merge", .. parts, "--out", merged]);
        Assert.Equal(unsharded.Code, result.Code);
        Assert.Equal(Results(whole), Results(merged));
        var section = JsonNode.Parse(File.ReadAllText(Path.Combine(merged, "results.json")))!["sections"]!.AsArray().Single()!;
        Assert.Equal("mean-field-variants", (string)section["id"]!);
        Assert.Equal(25, section["results"]!["claims"]!.AsArray().Count);   // one result per claim of the file
    }

    [Fact]
    public void AShardRunsOnlyItsTrialsAndWritesNoReport()
    {
        string file = Path.Combine(_dir, "one.json");
        var (code, output, err) = Run("report", "--suite", _suite, "--shard", "1/4", "--partial", file, "--format", "json");
        Assert.True(code == 0, err);
        var summary = JsonNode.Parse(output)!;
        // theorem3: 7 + 3 trials, mean-field: 2 widths × 2 trials; numbered 0 … 13 across sections.
        Assert.Equal(14, (long)summary["trials"]!);
        var part = JsonNode.Parse(File.ReadAllText(file))!;
        Assert.Equal([1L, 5, 9, 13], part["outcomes"]!.AsArray().Select(o => (long)o!["trial"]!));
        Assert.Equal(["theorem3", "theorem3", "theorem3", "mean-field"], part["outcomes"]!.AsArray().Select(o => (string)o!["section"]!));
        Assert.False(File.Exists(Path.Combine(_dir, "results.json")));
    }

    [Fact]
    public void BadShardRunsAndMergesAreRefused()
    {
        static void Refused((int Code, string Out, string Err) r, string expected)
        {
            Assert.Equal(2, r.Code);
            Assert.Single(r.Err.TrimEnd().Split('\n'));
            Assert.Contains(expected, r.Err);
        }
        Refused(Run("report", "--quick", "--shard", "0/2"), "--partial");
        Refused(Run("report", "--quick", "--shard", "0/2", "--partial", Path.Combine(_dir, "x.json"), "--out", _dir), "merge");
        Refused(Run("report", "--quick", "--only", "kappa-series,theorem2", "--shard", "0/2", "--partial", Path.Combine(_dir, "x.json")), "nothing to shard");
        Refused(Run("report", "--suite", _suite, "--shard", "14/15", "--partial", Path.Combine(_dir, "x.json")), "holds no trial");

        string a = Shard(0, 2), b = Shard(1, 2), otherSeed = Shard(1, 2, "--seed", "5");
        Refused(Run("merge", a), "do not cover trial 1 ");
        Refused(Run("merge", a, otherSeed), $"'{otherSeed}' has seed = 5");
        Refused(Run("merge", a, b, Shard(0, 4)), "overlaps");
        Refused(Run("merge", a, b, a), "given twice");

        // A non-report part given report options names the file.
        string theorem3 = Path.Combine(_dir, "t3.json");
        Assert.Equal(0, Run("verify", "theorem3", "--d", "3", "--p", "20", "--trials", "2", "--lemma2-only", "--partial", theorem3).Code);
        Refused(Run("merge", theorem3, "--out", _dir), $"'{theorem3}' holds a theorem3 run, but --out");
        Refused(Run("merge", a, theorem3), "holds a theorem3 run");

        // Parts whose stored configuration no longer gives their trial numbering are refused, naming a part.
        string Tampered(string file)
        {
            string path = Path.Combine(_dir, "tampered-" + Path.GetFileName(file));
            // Re-signed: the digests would refuse the edit before the configuration check this exercises.
            File.WriteAllText(path, FimVerify.Cli.Sharding.PartDigest.Sign(File.ReadAllText(file).Replace("trials = 7", "trials = 8")));
            return path;
        }
        string ta = Tampered(a);
        Refused(Run("merge", ta, Tampered(b)), $"'{ta}' was written for the trials theorem3 10");
    }
}

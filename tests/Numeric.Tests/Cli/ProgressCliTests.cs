using System.Text.Json;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// Progress of every long command goes to stderr only: stdout (text and JSON) is byte for byte the same with and without
/// it, the in-process runner's StringWriter counts as redirected so stderr gets plain lines (a start line and a "done"
/// line per stage), and --quiet leaves stderr empty.
/// </summary>
public sealed class ProgressCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fimverify-progress-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Each long command at a small size, and one stage it must report as done.</summary>
    public static TheoryData<string[], string> Commands => new()
    {
        { ["verify", "theorem3", "--d", "3", "--p", "60", "--delta", "0.5", "--trials", "12", "--seed", "5"], "Theorem 3 trials at p = 60: 12/12 done in " },
        { ["verify", "theorem3", "--d", "3", "--p", "60", "--delta", "0.5", "--trials", "12", "--shard", "1/3"], "Theorem 3 trials at p = 60: 4/4 done in " },
        { ["verify", "theorem3-sweep", "--d", "3", "--delta", "0.3", "--p-list", "20,40", "--trials", "10", "--lemma2-only"], "Lemma 2 trials at p = 40: 10/10 done in " },
        { ["fim-stats", "--activation", "tanh", "--depth", "3", "--width", "40", "--samples", "5", "--outputs", "2", "--sigma-w2", "3", "--sigma-b2", "0.64", "--trials", "3"],
          "fim-stats networks at M = 40: 3/3 done in " },
        // 16 chunks of 1250 inputs, 3 batches of at most 512 each.
        { ["verify", "lemma1", "--d", "3", "--p", "20", "--samples", "20000"], "Monte Carlo batches of 512 inputs (20000 in all): 48/48 done in " },
        { ["density", "--samples", "40", "--hidden", "4", "--probes", "4", "--steps", "10", "--epochs", "2"], "density panel 1/1: Exact Fisher, Full: 11/11 done in " },
        { ["verify", "ngd-scales", "--depth", "2", "--width", "20,40", "--samples", "4", "--trials", "2"], "natural-gradient networks at M = 20, 40: 4/4 done in " },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void ProgressGoesToStderrAndLeavesStdoutUnchanged(string[] args, string doneLine)
    {
        foreach (var format in new[] { "text", "json" })
        {
            var shown = CliRunner.Run([.. args, "--format", format]);
            var quiet = CliRunner.Run([.. args, "--format", format, "--quiet"]);
            Assert.True(shown.Code is 0 or 1, shown.Err);
            Assert.Equal((quiet.Code, quiet.Out), (shown.Code, shown.Out));
            Assert.Equal("", quiet.Err);
            if (format == "json") JsonDocument.Parse(shown.Out);
            var lines = shown.Err.TrimEnd().Split('\n');
            Assert.Contains(lines, l => l.StartsWith(doneLine, StringComparison.Ordinal) && l.TrimEnd().EndsWith(" s", StringComparison.Ordinal));
            // Every stage opens with a line at 0 (or is done at once) and ends with its "done" line.
            var stages = lines.Where(l => l.Contains(": 0/", StringComparison.Ordinal)).Select(l => l[..l.IndexOf(": 0/", StringComparison.Ordinal)]).ToList();
            Assert.NotEmpty(stages);
            Assert.All(stages, s => Assert.Single(lines, l => l.StartsWith(s + ": ", StringComparison.Ordinal) && l.Contains(" done in ", StringComparison.Ordinal)));
            Assert.DoesNotContain("\u001b", shown.Err); // no terminal escapes when redirected
        }
    }

    [Fact]
    public void ReportShowsEachSectionAndItsStagesOnStderr()
    {
        // Small sizes through a suite (the quick theorem3 section runs 30 trials at p = 800 for power; progress needs no power).
        string suite = Path.Combine(_dir, "small.toml");
        File.WriteAllText(suite, "quick = true\n[lemma1]\n[theorem3]\np = 300\ntrials = 8\nlarge_trials = 5\n");
        string[] args = ["report", "--suite", suite, "--out", Path.Combine(_dir, "r")];
        var shown = CliRunner.Run(args);
        var quiet = CliRunner.Run([.. args, "--quiet"]);
        Assert.True(shown.Code == 0, shown.Err);
        Assert.Equal("", quiet.Err);
        // The text summary has the sections' times, which differ between runs; compare it without them.
        static string Untimed(string s) => System.Text.RegularExpressions.Regex.Replace(s, @" +\d+\.\d s", " t s"); // padding too: 9.8 s vs 10.3 s
        Assert.Equal(Untimed(quiet.Out), Untimed(shown.Out));
        var lines = shown.Err.TrimEnd().Split('\n');
        Assert.StartsWith("[1/2] Lemma 1: J by the arc-cosine kernel vs Monte Carlo …", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("  Monte Carlo batches of 512 inputs", StringComparison.Ordinal) && l.Contains(" done in ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  trials: 13/13 done in ", StringComparison.Ordinal)); // 8 + 5 trials
        Assert.StartsWith("[2/2] Lemma 2 and Theorem 3", lines[^1]);
        Assert.Contains(": PASS in ", lines[^1]); // p = 300: bound 1.47, vacuous; p = 10⁵: 5 trials refute at 3 failures
    }

    [Fact]
    public void QuietIsASwitch()
    {
        var (code, output, err) = CliRunner.Run("verify", "lemma1", "--p", "10", "--quiet", "yes");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--quiet takes no value", err);
        // A quick command has no progress to silence: --quiet is accepted (scripts pass it to every command) and changes nothing.
        foreach (var quick in new[] { new[] { "verify", "theorem2", "--p", "50" }, ["derive", "jij", "--terms", "6"], ["check", DerivationCommandTests.Example("theorem2-coefficients.txt")] })
        {
            var plain = CliRunner.Run(quick);
            var quiet = CliRunner.Run([.. quick, "--quiet"]);
            Assert.Equal(0, plain.Code);
            Assert.Equal((plain.Code, plain.Out, ""), (quiet.Code, quiet.Out, quiet.Err));
        }
        Assert.Equal(2, CliRunner.Run("verify", "theorem2", "--quiet", "yes").Code);
    }
}

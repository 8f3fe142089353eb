using System.Text.RegularExpressions;
using FimVerify.Cli.CommandLine;
using FimVerify.Numeric.Resources;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// Issue 14's smaller cases, in-process: suite errors with file, line and field; a JSON suite that is one object; the
/// smallest false-alarm rate; usage lines that mark as required only what is required; derivation files with odd white
/// space and line ends; verdicts printed before a file that then cannot be written.
/// </summary>
public sealed class InputValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fimverify-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs in-process with no time for work, so a request that passed validation is refused instead of run.</summary>
    private static (int Code, string Out, string Err) Validate(params string[] args)
    {
        using var _ = ResourceLimits.Use(new ResourceLimits(1L << 30, "test", 1e-9, "test"));
        return CliRunner.Run(args);
    }

    private static void Refused((int Code, string Out, string Err) r, string expected)
    {
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Err}");
        Assert.Equal("", r.Out);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.Contains(expected, r.Err);
    }

    [Fact]
    public void AJsonSuiteIsOneObjectAndNothingElse()
    {
        Refused(Validate("report", "--suite", Write("two.json", "{\"seed\": 1}\n{\"quick\": true}\n")), "two.json:2: not valid JSON");
        Refused(Validate("report", "--suite", Write("trailing.json", "{\"seed\": 1}\n\ngarbage")), "trailing.json:3: not valid JSON");
        // Trailing white space and comments are fine: the refusal above is the work limit of this test, not the suite.
        Refused(Validate("report", "--suite", Write("fine.json", "{\"seed\": 1, \"theorem2\": {\"p\": 50}}\n  // done\n")), "operations");
    }

    [Fact]
    public void SuiteErrorsNameFileLineAndField()
    {
        Refused(Validate("report", "--suite", Write("t3.toml", "[theorem3]\nd = 20\np = 10\n")), "t3.toml:3: field 'p' of [theorem3] must lie between d = 20 and 2000, but is 10.");
        Refused(Validate("report", "--suite", Write("large.toml", "[theorem3]\nd = 20\nlarge_p = 12\n")), "large.toml:3: field 'large_p' of [theorem3] must lie between d = 20 and 10000000");
        // 5e-324 lies in (0, 1), but halved for a two-sided interval it is 0: the floor is stated, with file, line and field.
        Refused(Validate("report", "--suite", Write("alpha.toml", "[theorem3]\nalpha = 5e-324\n")), "alpha.toml:2: field 'alpha' of [theorem3] must lie between 1E-300 and 0.25");
        Refused(Validate("verify", "theorem3", "--alpha", "5e-324"), "The option --alpha must be at least 1E-300");
        Refused(Validate("report", "--suite", Write("alpha.json", "{\"lemma1\": {\"alpha\": 1e-301}}")), "alpha.json:1: field 'alpha' of [lemma1] must be at least 1E-300");
    }

    [Fact]
    public void TheSmallestFalseAlarmRateGivesAFiniteThreshold()
    {
        // A z-quantile of 1 − α/2m rounded to 1 and gave a threshold of ∞ at α = 1e-300 (found by the fuzz test); Bernstein's
        // exponent t = ln(2m/α) stays finite at any accepted α.
        var r = CliRunner.Run("verify", "lemma1", "--d", "3", "--p", "10", "--samples", "2000", "--alpha", "1e-300", "--format", "json");
        Assert.True(r.Code is 0 or 1, r.Err);
        double t = System.Text.Json.JsonDocument.Parse(r.Out).RootElement.GetProperty("deviationLog").GetDouble();
        Assert.Equal(Math.Log(2.0 * 55 / 1e-300), t, 1e-9);
    }

    [Fact]
    public void UsageMarksAsRequiredOnlyWhatIsRequired()
    {
        // Every option a usage line shows outside [brackets] must be required: the command's own example without it is refused
        // for that reason (with no time for work, an option that was in fact defaulted would be refused for its work instead).
        foreach (var command in CommandCatalog.All())
        {
            var lines = command.Help.Split('\n');
            // The usage line and its continuations (which start with '['), not the option descriptions below them.
            string usage = string.Join(" ", lines.Take(1).Concat(lines.Skip(1).TakeWhile(l => l.TrimStart().StartsWith('['))));
            string unbracketed = Regex.Replace(usage, @"\[[^\[\]]*\]", "");
            var required = Regex.Matches(unbracketed, @"--[a-z0-9-]+").Select(m => m.Value).Distinct().ToList();
            string? example = lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Example: fimverify " + command.Path, StringComparison.Ordinal));
            Assert.True(example is not null, $"{command.Path} has no example");
            var words = example!["Example: fimverify ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(command.Path.Split(' ').Length).ToList();
            foreach (var option in required)
            {
                int at = words.IndexOf(option);
                Assert.True(at >= 0, $"{command.Path}: its example lacks the required {option}");
                var without = words.Where((_, k) => k != at && !(k == at + 1 && !words[k].StartsWith("--", StringComparison.Ordinal))).ToArray();
                var r = Validate([.. command.Path.Split(' '), .. without]);
                Assert.True(r.Code == 2 && r.Err.Contains(option, StringComparison.Ordinal) && r.Err.Contains("required", StringComparison.Ordinal),
                    $"{command.Path} shows {option} as required, but without it: exit {r.Code}, {r.Err}");
            }
        }
    }

    [Theory]
    [InlineData("tab", "symbol\tx\nx + x = 2*x\n")]
    [InlineData("cr", "symbol x\rx + x = 2*x\r")]
    [InlineData("crlf", "symbol x\r\nlet\ty = x\r\ny + y = 2*x\r\n")]
    [InlineData("dot", "symbol x\nx*5. = 5*x\n")]
    public void DerivationFilesAsEditorsWriteThem(string name, string text)
    {
        var r = CliRunner.Run("check", Write(name + ".txt", text));
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("PROVED", r.Out);
    }

    [Fact]
    public void HugeExponentsInDerivationFilesAreDecidedWithoutExpandingThem()
    {
        // x^(2^100) is beyond the engine's exponent limit: the step is decided numerically (x = 1/2 gives 0 ≠ 1/2), never built.
        var r = CliRunner.Run("check", Write("big.txt", "symbol x: 0 < x < 1\nx^(2^100) = x\n"));
        Assert.True(r.Code == 1, r.Err);
        Assert.Contains("FALSE", r.Out);
    }

    /// <summary>Stdout that deletes a folder when the first result is printed: a file due in it afterwards cannot be written.</summary>
    private sealed class DeletingWriter(string folder) : StringWriter
    {
        public override void Write(char value) { Delete(); base.Write(value); }
        public override void Write(string? value) { Delete(); base.Write(value); }
        public override void WriteLine(string? value) { Delete(); base.WriteLine(value); }

        private void Delete()
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void VerdictsArePrintedBeforeFilesAreWritten()
    {
        // The folder of --partial (and of the report) vanishes while the verdicts are printed: they stand, the file's loss is
        // one sentence, exit code 2.
        string parts = Directory.CreateDirectory(Path.Combine(_dir, "parts")).FullName;
        var stdout = new DeletingWriter(parts);
        var stderr = new StringWriter();
        int code = FimVerify.Cli.Dispatcher.Run(CommandCatalog.All(),
            ["verify", "theorem3", "--d", "3", "--p", "30", "--trials", "4", "--lemma2-only", "--quiet", "--partial", Path.Combine(parts, "part.json")], stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains("lemma2.", stdout.ToString());
        Assert.StartsWith($"fimverify: Cannot write the partial file '{Path.Combine(parts, "part.json")}'", stderr.ToString());

        string report = Path.Combine(_dir, "report");
        var reportOut = new DeletingWriter(report);
        var reportErr = new StringWriter();
        code = FimVerify.Cli.Dispatcher.Run(CommandCatalog.All(), ["report", "--quick", "--only", "kappa-series", "--quiet", "--out", report], reportOut, reportErr);
        Assert.Equal(2, code);
        Assert.Contains("PASS", reportOut.ToString());
        Assert.DoesNotContain("   at ", reportErr.ToString());
    }
}

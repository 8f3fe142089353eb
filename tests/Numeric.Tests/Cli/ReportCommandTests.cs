using System.Text.Json;
using System.Xml.Linq;
using FimVerify.Cli;
using FimVerify.Cli.CommandLine;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

public class ReportCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void QuickReportWritesEveryArtefactAndConsistentJunit()
    {
        string dir = Path.Combine(Path.GetTempPath(), "fimverify-report-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string junit = Path.Combine(dir, "junit.xml");
            var (code, output, _) = Run("report", "--quick", "--out", dir, "--junit", junit, "--format", "json");
            var sections = JsonDocument.Parse(output).RootElement.GetProperty("sections").EnumerateArray().ToList();
            Assert.NotEmpty(sections);
            bool anyFail = sections.Any(s => s.GetProperty("verdict").GetString() == "FAIL");
            Assert.Equal(anyFail ? 1 : 0, code);
            foreach (var f in new[] { "report.md", "report.html", "results.json", "lemma1-spectrum.png", "lemma1-spectrum.svg" })
                Assert.True(File.Exists(Path.Combine(dir, f)), $"{f} missing");
            // JUnit: one case per decided claim (a section without claims is one case), named "SECTION: CLAIM"; a FAIL is a
            // <failure>, UNDERPOWERED and UNDECIDED are <skipped>. Every claim object in results.json carries its power, and no
            // claim of the quick report is a PASS that could not have failed.
            var cases = XDocument.Load(junit).Descendants("testcase").ToList();
            int expected = sections.Sum(s => Math.Max(1, s.GetProperty("claims").GetArrayLength()));
            Assert.Equal(expected, cases.Count);
            var claims = sections.SelectMany(s => s.GetProperty("claims").EnumerateArray().Select(c => (Section: s.GetProperty("id").GetString()!, Claim: c))).ToList();
            Assert.All(claims, x => Assert.True(x.Claim.TryGetProperty("power", out _), $"{x.Section}: {x.Claim.GetProperty("name").GetString()} has no power"));
            Assert.All(claims, x => Assert.Contains(cases, c => c.Attribute("name")!.Value == $"{x.Section}: {x.Claim.GetProperty("name").GetString()}"));
            Assert.Equal(claims.Count(x => x.Claim.GetProperty("verdict").GetString() == "FAIL"), cases.Count(c => c.Element("failure") is not null));
            Assert.Equal(claims.Count(x => x.Claim.GetProperty("verdict").GetString() is "UNDERPOWERED" or "UNDECIDED"), cases.Count(c => c.Element("skipped") is not null));
            Assert.DoesNotContain(claims, x => x.Claim.GetProperty("verdict").GetString() == "UNDERPOWERED");
            string md = File.ReadAllText(Path.Combine(dir, "report.md"));
            foreach (var s in sections) Assert.Contains(s.GetProperty("title").GetString()!, md);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void UnknownSectionIsBadInput()
    {
        var (code, _, error) = Run("report", "--only", "lemma1,nonsense", "--out", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains("nonsense", error);
    }

    [Fact]
    public void SameSeedGivesTheSameNumbers()
    {
        string a = Path.Combine(Path.GetTempPath(), "fv-a-" + Guid.NewGuid().ToString("N"));
        string b = Path.Combine(Path.GetTempPath(), "fv-b-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = Run("report", "--quick", "--only", "lemma1", "--out", a, "--format", "json").Out;
            var second = Run("report", "--quick", "--only", "lemma1", "--out", b, "--format", "json").Out;
            static string Results(string json) => JsonDocument.Parse(json).RootElement.GetProperty("sections")[0].GetProperty("results").GetRawText();
            Assert.Equal(Results(first), Results(second));
        }
        finally
        {
            foreach (var d in new[] { a, b }) if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
        }
    }

    [Theory]
    [InlineData("bad-range.toml", "seed = 3\nquick = true\n\n[lemma1]\nd = 4\np = 0\n", "bad-range.toml:6: field 'p' of [lemma1]")]
    [InlineData("unknown-field.toml", "[lemma1]\nd = 4\nbogus = 2\n", "unknown-field.toml:3: unknown field 'bogus'")]
    [InlineData("syntax.toml", "seed = \n", "syntax.toml:1:")]
    [InlineData("huge-integer.toml", "seed = 1\n[theorem3]\ntrials = 99999999999999999999\n", "huge-integer.toml:3: field 'trials' of [theorem3]: ")]
    [InlineData("unknown-section.toml", "seed = 1\n[nonsense]\n", "unknown-section.toml:2: unknown section [nonsense]")]
    [InlineData("wrong-kind.json", "{\n \"seed\": 3,\n \"lemma1\": {\n   \"p\": \"many\"\n }\n}\n", "wrong-kind.json:4: field 'p' of [lemma1] must be an integer")]
    [InlineData("not-json.json", "{\n \"seed\": 3,\n oops\n}", "not-json.json:3:")]
    [InlineData("suite.yaml", "seed: 1\n", "must end in .toml or .json")]
    [InlineData("section-value.json", "{\n \"seed\": 3,\n \"lemma1\": 5\n}\n", "section-value.json:3: section [lemma1] must be a table")]
    [InlineData("section-value.toml", "lemma1 = 5\n", "section-value.toml:1: section [lemma1] must be a table")]
    [InlineData("one-width.toml", "[mean-field]\nmin_width = 300\nmax_width = 500\n", "one-width.toml:3: field 'max_width' of [mean-field] must lie between 2*min_width = 600 and 4000")]
    [InlineData("cnn-grammar.toml", "[density-cnn]\narch = \"conv4k3,pool2\"\n", "cnn-grammar.toml:2: field 'arch' of [density-cnn] must be valid (layer 2 ('pool2') is none of")]
    [InlineData("cnn-too-big.toml", "[density-cnn]\narch = \"conv16k3p1,dense64\"\n", "cnn-too-big.toml:2: field 'arch' of [density-cnn] must be valid (the network has 147940 parameters")]
    [InlineData("cnn-misfit.toml", "[density-cnn]\narch = \"conv4k13\"\n", "cnn-misfit.toml:2: field 'arch' of [density-cnn] must be valid (layer 1 (conv4k13): its 13×13 kernel does not fit the 12×12×1 input)")]
    public void BadSuiteFilesNameTheLineAndField(string name, string content, string expected)
    {
        string dir = Path.Combine(Path.GetTempPath(), "fv-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string file = Path.Combine(dir, name);
            File.WriteAllText(file, content);
            var (code, output, error) = Run("report", "--suite", file, "--out", dir);
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Contains(expected, error);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SuiteSelectsSectionsAndSetsTheirParameters()
    {
        string dir = Path.Combine(Path.GetTempPath(), "fv-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string file = Path.Combine(dir, "suite.toml");
            File.WriteAllText(file, "seed = 9\n[lemma1]\nd = 3\np = 20\nsamples = 20000\n");
            var (code, output, _) = Run("report", "--suite", file, "--out", dir, "--format", "json");
            Assert.Equal(0, code);
            var root = JsonDocument.Parse(output).RootElement;
            Assert.Equal(9, root.GetProperty("seed").GetInt64());
            var section = Assert.Single(root.GetProperty("sections").EnumerateArray());
            Assert.Equal("lemma1", section.GetProperty("id").GetString());
            Assert.Equal(20, section.GetProperty("results").GetProperty("p").GetInt32());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

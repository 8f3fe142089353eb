using System.Text.Json;
using FimVerify.Cli;
using FimVerify.Cli.CommandLine;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void DeriveJijJsonHasTheExactLeadingCoefficients()
    {
        var (code, output, _) = Run("derive", "jij", "--terms", "10", "--format", "json");
        Assert.Equal(0, code);
        var terms = JsonDocument.Parse(output).RootElement.GetProperty("terms").EnumerateArray()
            .ToDictionary(t => t.GetProperty("power").GetInt32(), t => (Exact: t.GetProperty("exact").GetString(), Value: t.GetProperty("value").GetDouble()));
        Assert.Equal("1/(2*pi)", terms[0].Exact);
        Assert.Equal("1/4", terms[1].Exact);
        Assert.Equal("1/(4*pi)", terms[2].Exact);
        Assert.Equal("1/(48*pi)", terms[4].Exact);
        Assert.False(terms.ContainsKey(3), "zero coefficients are omitted");
        Assert.Equal(1 / (48 * Math.PI), terms[4].Value, 15);
        Assert.Equal([0, 1, 2, 4, 6, 8], terms.Keys.Order().ToArray());
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("derive", "jij", "--terms", "0")]
    [InlineData("derive", "jij", "--terms", "abc")]
    [InlineData("derive", "jij", "--format", "yaml")]
    [InlineData("derive", "nothing")]
    [InlineData("verify", "lemma1", "--d", "0")]
    [InlineData("verify", "lemma1", "--p", "-3")]
    [InlineData("verify", "lemma1", "--samples", "1")]
    [InlineData("verify", "lemma1", "--unknown", "1")]
    [InlineData("verify", "lemma1", "--d")]
    [InlineData("verify", "lemma1", "--d", "3", "--d", "4")]
    public void BadInputGivesOneSentenceAndExitCode2(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("fimverify: ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void AFileThatCannotBeWrittenIsOneSentenceAndExitCode2()
    {
        // --junit names an existing folder: refused before any section runs, in one sentence.
        string folder = Directory.CreateTempSubdirectory("fimverify-cli-").FullName;
        try
        {
            var (code, output, error) = Run("report", "--quick", "--only", "kappa-series", "--out", Path.Combine(folder, "report"), "--junit", folder);
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Equal($"fimverify: Cannot write the --junit file '{folder}': it is a folder.", error.TrimEnd());
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void VerifyLemma1JsonReportsAPassingVerdict()
    {
        var (code, output, _) = Run("verify", "lemma1", "--d", "3", "--p", "30", "--samples", "50000", "--seed", "3", "--format", "json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("PASS", root.GetProperty("verdict").GetString());
        Assert.True(root.GetProperty("worstRatio").GetDouble() <= 1);
        Assert.True(root.GetProperty("power").GetProperty("detectableRelativeError").GetDouble() <= 1);
    }
}

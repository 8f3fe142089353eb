using System.Text.Json;
using FimVerify.Cli;
using FimVerify.Cli.CommandLine;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>The symbolic derivation commands (derive theorem2/moments/tian/jij-coefficient) and `check`.</summary>
public class DerivationCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static string Example(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "examples", "derivations"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("examples/derivations"), "examples", "derivations", name);
    }

    [Fact]
    public void Theorem2JsonGivesTheStatedCoefficients()
    {
        var (code, output, _) = Run("derive", "theorem2", "--d", "5", "--format", "json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        var final = root.GetProperty("final").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!, g => g.GetProperty("coefficient").GetString());
        Assert.Equal("(2*d + 1)/(4*pi)", final["v0^T v0"]);
        Assert.Equal("1/4", final["Σ_k W_k^T W_k"]);
        Assert.Equal("1/2 + 3/(2*pi)", root.GetProperty("mainTraceOverTraceJ").GetString());
        Assert.True(root.GetProperty("holds").GetBoolean());
    }

    [Fact]
    public void MomentsGiveOurChebyshevConstantAndSaySo()
    {
        var (code, output, _) = Run("derive", "moments", "--d", "3", "--format", "json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("2", root.GetProperty("chebyshevConstant").GetString());
        Assert.Equal("55", root.GetProperty("gramEntryCount").GetString());
        Assert.Contains("paper does not give", root.GetProperty("note").GetString());
    }

    [Fact]
    public void TianAndTheCoefficientProofHold()
    {
        Assert.Equal(0, Run("derive", "tian").Code);
        var (code, output, _) = Run("derive", "jij-coefficient", "--terms", "100");
        Assert.Equal(0, code);
        Assert.Contains("PROVED", output);
    }

    [Fact]
    public void CheckExitCodes()
    {
        Assert.Equal(0, Run("check", Example("lemma1-from-theorem1.txt")).Code);
        Assert.Equal(0, Run("check", Example("theorem2-coefficients.txt")).Code);
        var (code, output, _) = Run("check", Example("wrong-coefficient.txt"), "--format", "json");
        Assert.Equal(1, code);
        var verdicts = JsonDocument.Parse(output).RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("verdict").GetString()!).ToArray();
        Assert.Equal(new[] { "FALSE", "PROVED", "FALSE" }, verdicts);
    }

    [Fact]
    public void MalformedFileGivesLineAndColumnAndExitTwo()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fimverify-bad-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "symbol t: 0 < t < 1\nt + = 2\n");
        try
        {
            var (code, _, err) = Run("check", path);
            Assert.Equal(2, code);
            Assert.Contains(":2:5:", err);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("check")]
    [InlineData("check", "/no/such/file.txt")]
    [InlineData("check", "a.txt", "b.txt")]
    [InlineData("derive", "theorem2", "--d", "0")]
    [InlineData("derive", "moments", "--d", "x")]
    [InlineData("derive", "jij-coefficient", "--terms", "3")]
    [InlineData("derive", "tian", "--format", "latex")]
    public void BadInputExitsTwo(params string[] args) => Assert.Equal(2, Run(args).Code);
}

using System.Text.Json;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

public class NgdScalesCliTests
{
    [Fact]
    public void JsonHasRowsClaimsAndSourceChecks()
    {
        // Two small widths: the exact claims are decided; the trends are too noisy here to assert (MeanFieldTrends does).
        var (code, output, err) = CliRunner.Run("verify", "ngd-scales", "--depth", "3", "--width", "40,80", "--samples", "6", "--trials", "2", "--format", "json");
        Assert.True(code is 0 or 1, err);
        var root = JsonDocument.Parse(output).RootElement;
        var rows = root.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(8, rows.Length); // 2 widths × 4 metrics
        var kfac = rows.First(r => r.GetProperty("metric").GetString() == "K-FAC");
        Assert.Equal(6 * 2 + 1, kfac.GetProperty("alpha").GetDouble());
        Assert.Equal(6 * 3, kfac.GetProperty("sourceAlpha").GetDouble());
        Assert.True(kfac.GetProperty("maxDistance").GetDouble() < 1e-8);
        var claims = root.GetProperty("claims").EnumerateArray().ToArray();
        Assert.All(claims, c => Assert.True(c.TryGetProperty("power", out _), c.GetProperty("name").GetString()));
        Assert.All(claims.Where(c => c.GetProperty("statement").GetString()!.Contains("exactly")), c => Assert.Equal("PASS", c.GetProperty("verdict").GetString()));
        bool anyFail = claims.Any(c => c.GetProperty("verdict").GetString() == "FAIL");
        Assert.Equal(anyFail ? 1 : 0, code);
        Assert.Contains(root.GetProperty("sourceChecks").EnumerateArray(), c => c.GetProperty("statement").GetString()!.Contains("K-FAC α = N·L")
            && c.GetProperty("verdict").GetString() == "FAIL");
    }

    [Fact]
    public void OneWidthLeavesTheTrendsUnderpowered()
    {
        // A decay needs two widths (and two networks a width for its variance): with one it could not have failed.
        var (code, output, _) = CliRunner.Run("verify", "ngd-scales", "--depth", "2", "--width", "30", "--samples", "5", "--trials", "1");
        Assert.Equal(0, code);
        Assert.Contains("UNDERPOWERED", output);
        Assert.Contains("PASS          K-FAC: Θ̄ = αI with α = N(L−1) + 1 exactly", output);
        Assert.Equal(1, CliRunner.Run("verify", "ngd-scales", "--depth", "2", "--width", "30", "--samples", "5", "--trials", "1", "--strict").Code);
    }

    [Theory]
    [InlineData("--depth", "1", "--width", "50", "--samples", "5")]
    [InlineData("--depth", "3", "--width", "0", "--samples", "5")]
    [InlineData("--depth", "3", "--width", "50,abc", "--samples", "5")]
    [InlineData("--depth", "3", "--width", "8", "--samples", "10")]
    [InlineData("--depth", "3", "--width", "50", "--samples", "5", "--activation", "swish")]
    [InlineData("--depth", "3", "--width", "50", "--samples", "5", "--activation", "expr:x^3")]
    [InlineData("--depth", "3", "--width", "50", "--samples", "5", "--sigma-w2", "0")]
    [InlineData("--depth", "3", "--width", "50", "--samples", "5", "--sigma-b2", "-1")]
    [InlineData("--width", "50", "--samples", "5")]
    public void BadInputIsOneSentenceAndExitTwo(params string[] options)
    {
        var (code, output, err) = CliRunner.Run(["verify", "ngd-scales", .. options]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("fimverify: ", err);
    }
}

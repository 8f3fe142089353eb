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
        Assert.All(claims.Where(c => c.GetProperty("claim").GetString()!.Contains("exactly")), c => Assert.True(c.GetProperty("holds").GetBoolean()));
        bool anyFalse = claims.Any(c => c.GetProperty("holds").ValueKind == JsonValueKind.False);
        Assert.Equal(anyFalse ? 1 : 0, code);
        Assert.Equal(anyFalse ? "FAIL" : "PASS", root.GetProperty("verdict").GetString());
        Assert.Contains(root.GetProperty("sourceChecks").EnumerateArray(), c => c.GetProperty("claim").GetString()!.Contains("K-FAC α = N·L")
            && c.GetProperty("holds").ValueKind == JsonValueKind.False);
    }

    [Fact]
    public void OneWidthLeavesTheTrendsUndecided()
    {
        var (code, output, _) = CliRunner.Run("verify", "ngd-scales", "--depth", "2", "--width", "30", "--samples", "5", "--trials", "1");
        Assert.Equal(0, code);
        Assert.Contains("UNDECIDED", output);
        Assert.Contains("PASS       K-FAC: Θ̄ = αI with α = N(L−1) + 1 exactly", output);
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

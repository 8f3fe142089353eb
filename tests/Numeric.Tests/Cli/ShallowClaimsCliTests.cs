using System.Text.Json;
using FimVerify.Cli;
using FimVerify.Cli.CommandLine;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

public class ShallowClaimsCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Theory]
    [InlineData("verify", "theorem3", "--d", "3", "--p", "50", "--delta", "0", "--trials", "2")]
    [InlineData("verify", "theorem3", "--d", "3", "--p", "50", "--delta", "-0.1", "--trials", "2")]
    [InlineData("verify", "theorem3", "--d", "1", "--p", "50", "--delta", "0.5", "--trials", "2")]
    [InlineData("verify", "theorem3", "--d", "5", "--p", "4", "--delta", "0.5", "--trials", "2")]
    [InlineData("verify", "theorem3", "--d", "3", "--p", "50", "--delta", "0.5", "--trials", "0")]
    [InlineData("verify", "theorem3", "--d", "3", "--p", "50", "--delta", "NaN", "--trials", "2")]
    [InlineData("verify", "theorem3", "--d", "3", "--p", "50", "--delta", "Infinity", "--trials", "2")]
    [InlineData("verify", "theorem3", "--d", "3", "--p", "50", "--delta", "0.5", "--trials", "2", "--alpha", "0")]
    [InlineData("verify", "theorem3", "--d", "3", "--p", "50", "--delta", "0.5", "--trials", "2", "--shard", "3/3")]
    [InlineData("verify", "theorem3", "--d", "3", "--p", "50", "--delta", "0.5", "--trials", "2", "--xi-pair", "-1")]
    [InlineData("verify", "theorem2", "--d", "1", "--p", "50")]
    [InlineData("verify", "theorem2", "--d", "4", "--p", "3")]
    [InlineData("spectrum", "shallow", "--d", "3", "--p", "50", "--n", "0")]
    [InlineData("spectrum", "shallow", "--d", "3", "--p", "2")]
    [InlineData("spectrum", "shallow", "--d", "3", "--p", "50", "--top", "0")]
    [InlineData("spectrum", "shallow", "--d", "3", "--p", "5000")]                           // matrix-free needs --top
    [InlineData("spectrum", "shallow", "--d", "3", "--p", "5000", "--top", "10", "--n", "100")]
    [InlineData("spectrum", "shallow", "--d", "3", "--p", "30000", "--top", "10")]
    [InlineData("verify", "theorem3-sweep", "--d", "3", "--delta", "0.5", "--p-list", "50")]
    [InlineData("verify", "theorem3-sweep", "--d", "3", "--delta", "0.5", "--p-list", "2,50")]
    public void BadInputGivesOneSentenceAndExitCode2(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("fimverify: ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Theorem2JsonPassesEveryIdentity()
    {
        var (code, output, _) = Run("verify", "theorem2", "--d", "4", "--p", "120", "--seed", "3", "--format", "json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        var claims = root.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal(7, claims.Count);
        Assert.All(claims, c => Assert.Equal("PASS", c.GetProperty("verdict").GetString()));
        Assert.Equal(0.5 + 3 / (2 * Math.PI), root.GetProperty("traceRatio").GetDouble(), 12);
    }

    [Fact]
    public void Theorem3JsonHasTheClaimShapeAndAVacuousFlag()
    {
        var (code, output, _) = Run("verify", "theorem3", "--d", "3", "--p", "60", "--delta", "0.5", "--trials", "6", "--seed", "2", "--format", "json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.False(root.GetProperty("constantC").GetProperty("estimate").GetBoolean()); // C(d) is derived by the symbolic layer
        var claims = root.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal(17, claims.Count);   // 13 Lemma 2 / Theorem 3 claims and 4 eigenvalue claims (p ≤ 2000)
        foreach (var c in claims)
        {
            foreach (var key in new[] { "name", "bound", "vacuous", "failures", "trials", "ci", "verdict" })
                Assert.True(c.TryGetProperty(key, out _), $"missing {key}");
            Assert.Equal(2, c.GetProperty("ci").GetArrayLength());
            Assert.Equal(6, c.GetProperty("trials").GetInt64());
        }
        // p = 60 makes C·D/(δ²p) ≈ 7: vacuous, and said so.
        var norm = claims.First(c => c.GetProperty("name").GetString() == "lemma2.norm.W");
        Assert.True(norm.GetProperty("vacuous").GetBoolean());
        Assert.Equal("VACUOUS", norm.GetProperty("verdict").GetString());
    }

    [Fact]
    public void Theorem3ExitsWith1WhenAClaimFails()
    {
        // ξ forced to 0 makes the v^(α,β) norm claim false for almost every W (E‖v^(α,β)‖² = 3/5, so |‖v‖² − 1| ≈ 0.4 > δ),
        // and at p = 5000, δ = 0.3 the bound is C·D/(δ²p) ≈ 0.25, non-vacuous: the engine must say FAIL.
        var (code, output, _) = Run("verify", "theorem3", "--d", "3", "--p", "5000", "--delta", "0.3", "--trials", "30",
            "--xi-pair", "0", "--lemma2-only", "--format", "json");
        Assert.Equal(1, code);
        var claims = JsonDocument.Parse(output).RootElement.GetProperty("claims").EnumerateArray();
        Assert.Equal("FAIL", claims.First(c => c.GetProperty("name").GetString() == "lemma2.norm.pair").GetProperty("verdict").GetString());
    }

    [Fact]
    public void TheExactTraceTailIsPrintedAsAPowerOfTenWhereADoubleUnderflows()
    {
        // d·p = 3·10⁵: P(χ²_{dp} > 1.5·dp) ≈ 10^−6161.08 (mpmath), far below the smallest double.
        var (code, output, _) = Run("verify", "theorem3", "--d", "3", "--p", "100000", "--delta", "0.5", "--trials", "2", "--lemma2-only");
        Assert.Equal(0, code);
        Assert.Contains("= P(χ²_{dp} > dp(1+δ)) = 10^-6161.0834", output);
        var (_, json, _) = Run("verify", "theorem3", "--d", "3", "--p", "100000", "--delta", "0.5", "--trials", "2", "--lemma2-only", "--format", "json");
        Assert.Equal(-6161.083407571292, JsonDocument.Parse(json).RootElement.GetProperty("exactTraceFailureLog10Probability").GetDouble(), 9);
    }

    [Fact]
    public void AtPOneHundredThousandEveryClaimRunsByCertifiedIntervals()
    {
        // 3 trials: the fewest at bound 0.0044 with a refuting count (all 3 failing), so every verdict is a decision with power.
        var (code, output, _) = Run("verify", "theorem3", "--d", "3", "--p", "100000", "--delta", "0.5", "--trials", "3", "--seed", "4", "--format", "json", "--strict");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("certified-truncation", root.GetProperty("jMethod").GetString());
        Assert.Equal(6, root.GetProperty("truncationOrder").GetInt32());
        Assert.Equal(53, root.GetProperty("truncationRank").GetInt32());
        var claims = root.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal(17, claims.Count);
        Assert.All(claims, c => Assert.Equal("PASS", c.GetProperty("verdict").GetString()));
        Assert.All(claims, c => Assert.False(c.TryGetProperty("undecided", out _)));
        Assert.All(claims.Where(c => c.GetProperty("kind").GetString() == "at-most"), c => Assert.Equal(3, c.GetProperty("power").GetProperty("minFailuresToFail").GetInt32()));
    }

    [Fact]
    public void TooFewTrialsAreUnderpoweredNotPassAndStrictSaysSo()
    {
        // The example: 8 trials at p = 600 (bound 0.73) with ξ = 0: the norm of v^(γ) fails in all 8 trials, yet no count of 8
        // trials refutes a bound of 0.73 at α = 1e-6 (0.73^8 ≈ 0.08): UNDERPOWERED, exit 0, and 1 with --strict.
        string[] run = ["verify", "theorem3", "--d", "3", "--p", "600", "--delta", "0.5", "--trials", "8", "--xi-pair", "0", "--xi-diag", "0", "--lemma2-only"];
        var (code, output, _) = Run([.. run, "--format", "json"]);
        Assert.Equal(0, code);
        var diag = JsonDocument.Parse(output).RootElement.GetProperty("claims").EnumerateArray().First(c => c.GetProperty("name").GetString() == "lemma2.norm.diag");
        Assert.Equal(8, diag.GetProperty("failures").GetInt32());
        Assert.Equal("UNDERPOWERED", diag.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, diag.GetProperty("power").GetProperty("minFailuresToFail").ValueKind);
        Assert.Equal(45, diag.GetProperty("power").GetProperty("trialsToRefute").GetInt32());
        Assert.Equal(1, Run([.. run, "--strict"]).Code);
        Assert.Contains("none (45 trials)", Run(run).Out);
    }

    [Fact]
    public void CertifiedShardsMergeIntoTheUnshardedRun()
    {
        // The undecided flags travel as measurements, so a merge reproduces the unsharded verdicts of a certified run.
        string dir = Directory.CreateTempSubdirectory("fimverify-certified-").FullName;
        try
        {
            string[] run = ["verify", "theorem3", "--d", "3", "--p", "2100", "--delta", "0.1", "--trials", "4", "--seed", "3"];
            var parts = Enumerable.Range(0, 2).Select(i => Path.Combine(dir, $"part-{i}.json")).ToArray();
            for (int i = 0; i < 2; i++) Assert.True(Run([.. run, "--shard", $"{i}/2", "--partial", parts[i]]).Code is 0 or 1);
            var whole = Run([.. run, "--format", "json"]);
            var merged = Run(["merge", .. parts, "--format", "json"]);
            Assert.Equal(whole.Code, merged.Code);
            Assert.Equal(whole.Out, merged.Out);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void AboveTheDenseLimitTheSpectrumIsMatrixFree()
    {
        var (code, output, _) = Run("spectrum", "shallow", "--d", "3", "--p", "3500", "--top", "10", "--format", "json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.StartsWith("block Lanczos", root.GetProperty("eigenBackend").GetString());
        var e = root.GetProperty("eigenvalues").EnumerateArray().ToList();
        Assert.Equal(["mean", "linear", "linear", "linear", "quadratic", "quadratic", "quadratic", "quadratic", "quadratic", "remainder"],
            e.Select(x => x.GetProperty("group").GetString()));
    }

    [Theory]
    [InlineData("managed", "MathNet.Numerics managed")]
    [InlineData("/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3", "liblapack.so.3")]   // reference LAPACK, when installed
    public void TheLapackLibraryCanBeChosenAndTheOutputNamesIt(string library, string expected)
    {
        if (library.StartsWith('/') && !File.Exists(library)) return; // nothing to choose on this machine (a CI without it)
        // The library is fixed once per process, so this runs the command in a child process.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(Dispatcher).Assembly.Location, "spectrum", "shallow", "--d", "2", "--p", "40", "--top", "3", "--format", "json" },
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["FIMVERIFY_LAPACK"] = library;
        using var child = System.Diagnostics.Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        Assert.Equal(0, child.ExitCode);
        Assert.Contains(expected, JsonDocument.Parse(output).RootElement.GetProperty("eigenBackend").GetString());
    }

    [Fact]
    public void SpectrumJsonLabelsTheGroups()
    {
        var (code, output, _) = Run("spectrum", "shallow", "--d", "3", "--p", "400", "--top", "10", "--format", "json");
        Assert.Equal(0, code);
        var e = JsonDocument.Parse(output).RootElement.GetProperty("eigenvalues").EnumerateArray().ToList();
        Assert.Equal(10, e.Count);
        Assert.Equal(["mean", "linear", "linear", "linear", "quadratic", "quadratic", "quadratic", "quadratic", "quadratic", "remainder"],
            e.Select(x => x.GetProperty("group").GetString()));
        // Eigenvectors lie mostly in their group's span (p = 400: overlaps ≥ 0.9 are a loose, deterministic-seed check).
        Assert.True(e[0].GetProperty("overlap").GetProperty("mean").GetDouble() > 0.9);
        Assert.True(e[5].GetProperty("overlap").GetProperty("quadratic").GetDouble() > 0.9);
    }
}

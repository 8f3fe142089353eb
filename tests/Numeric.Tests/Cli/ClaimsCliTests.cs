using System.Text.Json;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// `verify claims`: the done-when checks of the claim engine (Theorem 3.1's λ_max for ReLU PASSes and FAILs when multiplied by
/// 1.1; Theorem 3's trace bound PASSes and a wrong bound on λ₁(J) FAILs), VACUOUS and UNDERPOWERED, sharding, and every way a
/// claim file can be wrong (one sentence naming the file, the line and the key; exit 2). Sizes are the smallest that decide:
/// the λ_max sweep detects a 6% error of the limit, so the true claim PASSes (false alarm 10⁻³) and ×1.1 is ≥ 4 standard
/// errors outside its interval, for any seed.
/// </summary>
public sealed class ClaimsCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fimverify-claims-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Theorem 3.1's λ_max for ReLU as in the example, at T = 100 and C = 2 (outliers well clear of the bulk).</summary>
    private static string ReluLambdaMax(string factor) => $"""
        [[claim]]
        name = "relu-lambda-max"
        statement = "Theorem 3.1: λ_max of a ReLU network's FIM"
        model = "mlp"
        activation = "relu"
        depth = 3
        samples = 100
        outputs = 2
        sigma_w2 = 2.0
        sigma_b2 = 0.1
        matrix = "fim"
        statistic = "mean-top:2"
        relation = "ratio-tends-to-1"
        predicted = "{factor}alpha*((T - 1)/T*kappa2 + kappa1/T)*M"
        sweep = {"{"} M = [200, 400, 800, 1600] {"}"}
        trials = 16
        """;

    private static string Shallow(string name, string statistic, string predicted, string probability, int p, int trials) => $"""
        [[claim]]
        name = "{name}"
        model = "shallow-relu"
        d = 3
        p = {p}
        matrix = "j"
        statistic = "{statistic}"
        relation = "<="
        predicted = "{predicted}"
        probability = "{probability}"
        trials = {trials}
        """;

    private static JsonElement Claim(string json, int index = 0) => JsonDocument.Parse(json).RootElement.GetProperty("claims")[index];

    [Fact]
    public void TheoremThreePointOnesLambdaMaxForReluPasses()
    {
        var (code, output, _) = CliRunner.Run("verify", "claims", File("relu.toml", ReluLambdaMax("")), "--format", "json");
        Assert.Equal(0, code);
        var claim = Claim(output);
        Assert.Equal("PASS", claim.GetProperty("verdict").GetString());
        var limit = claim.GetProperty("limit");
        Assert.True(limit.GetProperty("detectableRelativeError").GetDouble() <= 0.1);
        var ci = limit.GetProperty("ci");
        Assert.True(ci[0].GetDouble() <= 1 && 1 <= ci[1].GetDouble());
    }

    [Fact]
    public void TheSamePredictionTimesOnePointOneFails()
    {
        var (code, output, _) = CliRunner.Run("verify", "claims", File("relu-wrong.toml", ReluLambdaMax("1.1*")));
        Assert.Equal(1, code);
        Assert.Contains("relu-lambda-max: FAIL", output);
        Assert.Contains("the interval excludes the target 1", output);
    }

    [Fact]
    public void TheShallowTraceBoundPassesAndAWrongBoundOnTheTopEigenvalueFails()
    {
        string text = Shallow("trace", "trace", "(d/2)*(1 + 0.5)", "0.01", 1000, 10) + "\n\n" + Shallow("top", "eigenvalue:1", "0.5", "0.01", 1000, 5);
        var (code, output, _) = CliRunner.Run("verify", "claims", File("shallow.toml", text), "--format", "json");
        Assert.Equal(1, code);
        var trace = Claim(output, 0);
        Assert.Equal("PASS", trace.GetProperty("verdict").GetString());
        var size = trace.GetProperty("sizes")[0];
        Assert.Equal(1000, size.GetProperty("size").GetInt64());
        var decision = size.GetProperty("decision");
        Assert.Equal(0, decision.GetProperty("failures").GetInt64());
        Assert.Equal(5, decision.GetProperty("power").GetProperty("minFailuresToFail").GetInt64());   // P(X ≥ 5 | 10, 0.01) = 2.4·10⁻⁸ < 10⁻⁶ ≤ P(X ≥ 4)
        var top = Claim(output, 1);
        Assert.Equal("FAIL", top.GetProperty("verdict").GetString());
        Assert.Equal(5, top.GetProperty("sizes")[0].GetProperty("decision").GetProperty("failures").GetInt64());     // λ₁(J) ≈ 9/16 > 1/2 in every trial
    }

    [Fact]
    public void ABoundOfOneOrMoreIsVacuousAndTooFewTrialsAreUnderpowered()
    {
        string text = """
            [constants]
            delta = 0.5

            """ + Shallow("vacuous", "trace", "(d/2)*(1 + delta)", "C*D/(delta^2*p)", 200, 4) + "\n\n"
            + Shallow("few-trials", "trace", "(d/2)*(1 + delta)", "0.5", 200, 4);
        string path = File("weak.toml", text);
        var (code, output, _) = CliRunner.Run("verify", "claims", path);
        Assert.Equal(0, code);
        Assert.Contains("vacuous: VACUOUS", output);              // C·D/(δ²p) = 2·55/(0.25·200) = 2.2 ≥ 1
        Assert.Contains("few-trials: UNDERPOWERED", output);      // 0.5⁴ > 10⁻⁶: no count of 4 trials refutes it
        Assert.Equal(1, CliRunner.Run("verify", "claims", path, "--strict").Code);
    }

    [Fact]
    public void ShardsMergeIntoTheUnshardedOutput()
    {
        string path = File("mixed.toml", """
            seed = 3

            [[claim]]
            name = "ntk-mean"
            model = "mlp"
            activation = "tanh"
            depth = 3
            samples = 6
            outputs = 2
            sigma_w2 = 3.0
            sigma_b2 = 0.64
            matrix = "ntk"
            statistic = "mean"
            relation = "ratio-tends-to-1"
            predicted = "kappa1p"
            sweep = { M = [30, 60, 120] }
            trials = 5

            [[claim]]
            name = "softmax-top"
            model = "softmax-mlp"
            activation = "erf"
            depth = 2
            samples = 5
            outputs = 3
            sigma_w2 = 2.0
            sigma_b2 = 0.2
            matrix = "fim"
            statistic = "mean-top:C - 1"
            relation = "<="
            predicted = "2*alpha*((T - 1)/T*kappa2 + kappa1/T)*M*qbarTop"
            probability = "0.05"
            M = 40
            trials = 7

            [[claim]]
            name = "rayleigh"
            model = "shallow-relu"
            d = 2
            matrix = "j"
            statistic = "rayleigh:W"
            relation = ">="
            predicted = "0.1"
            probability = "0"
            sweep = { p = [50, 80] }
            trials = 4
            """);
        foreach (string format in new[] { "text", "json" })
        {
            var whole = CliRunner.Run("verify", "claims", path, "--format", format);
            var parts = Enumerable.Range(0, 3).Select(i => Path.Combine(_dir, $"part-{format}-{i}.json")).ToList();
            for (int i = 0; i < 3; i++)
                Assert.Equal(0, CliRunner.Run("verify", "claims", path, "--shard", $"{i}/3", "--partial", parts[i], "--format", format).Code);
            var merged = CliRunner.Run(["merge", .. parts, "--format", format]);
            Assert.Equal(whole.Code, merged.Code);
            Assert.Equal(whole.Out, merged.Out);
            var missing = CliRunner.Run("merge", parts[0], parts[2]);
            Assert.Equal(2, missing.Code);
            Assert.Contains("a shard is missing", missing.Err);
        }
        // --seed changes the numbers (the streams are addressed by it), the file's seed is the default.
        Assert.NotEqual(CliRunner.Run("verify", "claims", path, "--format", "json").Out, CliRunner.Run("verify", "claims", path, "--format", "json", "--seed", "4").Out);
        Assert.Equal(CliRunner.Run("verify", "claims", path, "--format", "json").Out, CliRunner.Run("verify", "claims", path, "--format", "json", "--seed", "3").Out);
    }

    [Fact]
    public void AReportTakesAClaimFileAsASectionWithOneJunitCasePerDecision()
    {
        string claims = File("mine.toml", "title = \"My claims\"\n\n" + Shallow("trace", "trace", "(d/2)*(1 + 0.5)", "0.01", 300, 6) + "\n\n"
            + Shallow("top", "eigenvalue:1", "0.5", "0.01", 300, 4));
        string dir = Path.Combine(_dir, "report"), junit = Path.Combine(dir, "junit.xml");
        var (code, output, _) = CliRunner.Run("report", "--only", "kappa-series", "--claims", claims, "--out", dir, "--junit", junit, "--quick", "--quiet");
        Assert.Equal(1, code);
        Assert.Contains("My claims", output);
        string xml = System.IO.File.ReadAllText(junit);
        Assert.Contains("name=\"claims: trace at p = 300\"", xml);
        Assert.Contains("name=\"claims: top at p = 300\"", xml);
        var section = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(dir, "results.json"))).RootElement.GetProperty("sections")
            .EnumerateArray().Single(s => s.GetProperty("id").GetString() == "claims");
        Assert.Equal("FAIL", section.GetProperty("verdict").GetString());
        var top = section.GetProperty("results").GetProperty("claims")[1];
        Assert.Equal(4, top.GetProperty("sizes")[0].GetProperty("decision").GetProperty("failures").GetInt64());

        // Sharded: the parts store the claim file as written, and the merge writes the unsharded section.
        var parts = new[] { 0, 1 }.Select(i =>
        {
            string part = Path.Combine(_dir, $"p{i}.json");
            var shard = CliRunner.Run("report", "--only", "kappa-series", "--claims", claims, "--quick", "--quiet", "--shard", $"{i}/2", "--partial", part);
            Assert.True(shard.Code == 0, shard.Err);
            return part;
        }).ToArray();
        System.IO.File.Delete(claims);                                   // the merge needs only the parts
        string merged = Path.Combine(_dir, "merged");
        var merge = CliRunner.Run(["merge", .. parts, "--out", merged, "--quiet"]);
        Assert.Equal(1, merge.Code);
        static string Results(string dir)
        {
            var root = System.Text.Json.Nodes.JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(dir, "results.json")))!;
            foreach (var s in root["sections"]!.AsArray()) s!.AsObject().Remove("seconds");
            return root.ToJsonString();
        }
        Assert.Equal(Results(dir), Results(merged));
    }

    [Theory]
    [InlineData("predicted = \"kappa3*M\"", 15, "key 'predicted'", "unknown symbol kappa3")]
    [InlineData("matrix = \"hessian\"", 12, "key 'matrix'", "has no matrix 'hessian'")]
    [InlineData("statistic = \"median\"", 13, "key 'statistic'", "unknown statistic 'median'")]
    [InlineData("relation = \"==\"", 14, "key 'relation'", "must be one of <=, >=")]
    [InlineData("model = \"cnn\"", 5, "key 'model'", "must be one of mlp, softmax-mlp, shallow-relu")]
    [InlineData("colour = \"red\"", 18, "unknown key 'colour'", "the keys here are")]
    [InlineData("sweep = { M = [400, 200, 400] }", 16, "key 'sweep'", "appears twice")]
    [InlineData("trials = 0", 17, "key 'trials'", "between 1 and")]
    [InlineData("activation = \"swish\"", 6, "key 'activation'", "unknown activation")]
    [InlineData("outputs = 200", 8, "key 'samples'", "C·T = 20000")]
    [InlineData("probability = \"0.1\"", 18, "key 'probability'", "states no failure probability")]
    [InlineData("name = \"two words\"", 3, "key 'name'", "letters, digits")]
    [InlineData("sweep = { M = [100000, 200000] }", 16, "key 'sweep'", "weights")]
    public void EveryMistakeInAClaimNamesTheFileTheLineAndTheKey(string replacement, int line, string key, string reason)
    {
        var lines = ReluLambdaMax("").Split('\n').ToList();
        lines.Insert(0, "# a claim with one mistake");
        string k = replacement.Split(' ')[0];
        int at = lines.FindIndex(l => l.StartsWith(k + " ", StringComparison.Ordinal));
        if (at >= 0) lines[at] = replacement; else lines.Add(replacement);
        var (code, output, err) = CliRunner.Run("verify", "claims", File("mistake.toml", string.Join('\n', lines)));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"fimverify: mistake.toml:{line}: ", err);
        Assert.Contains(key, err);
        Assert.Contains(reason, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Theory]
    [InlineData("[[claim]]\nname = \"a\"\nmodel = \"mlp\"\nsamples = [", "mistake.toml:4:")]                                // TOML syntax
    [InlineData("seed = 1\n", "states no claim")]
    [InlineData("[claim]\nname = \"a\"\n", "write [[claim]], with double brackets")]
    [InlineData("[constants]\nM = 3\n\n" + "[[claim]]\nname = \"x\"\nmodel = \"shallow-relu\"\nd = 3\np = 100\nmatrix = \"j\"\nstatistic = \"trace\"\nrelation = \"<=\"\npredicted = \"2\"\nprobability = \"0.1\"\ntrials = 3\n" + "[[claim]]\nname = \"y\"\nmodel = \"mlp\"\n", "mistake.toml:")]
    [InlineData("[constants]\np = 3\n\n[[claim]]\nname = \"x\"\nmodel = \"shallow-relu\"\nd = 3\np = 100\nmatrix = \"j\"\nstatistic = \"trace\"\nrelation = \"<=\"\npredicted = \"2\"\nprobability = \"0.1\"\ntrials = 3\n", "mistake.toml:2: the constant 'p' would hide")]
    [InlineData("[[claim]]\nname = \"x\"\nmodel = \"shallow-relu\"\nd = 3\np = 100\nmatrix = \"j\"\nstatistic = \"trace\"\nrelation = \"<=\"\npredicted = \"2\"\ntrials = 3\n", "the key 'probability' is required")]
    [InlineData("[[claim]]\nname = \"x\"\nmodel = \"shallow-relu\"\nd = 3\np = 100\nmatrix = \"j\"\nstatistic = \"trace\"\nrelation = \"<=\"\npredicted = \"2\"\nprobability = \"-0.5\"\ntrials = 3\n", "not a probability bound")]
    [InlineData("[[claim]]\nname = \"x\"\nmodel = \"shallow-relu\"\nd = 3\np = 100\nmatrix = \"j\"\nstatistic = \"trace\"\nrelation = \"<=\"\npredicted = \"2\"\nprobability = \"0\"\ntrials = 3\n"
        + "[[claim]]\nname = \"x\"\nmodel = \"shallow-relu\"\nd = 3\np = 100\nmatrix = \"j\"\nstatistic = \"trace\"\nrelation = \"<=\"\npredicted = \"2\"\nprobability = \"0\"\ntrials = 3\n", "mistake.toml:12: a claim named 'x' is already stated on line 1")]
    [InlineData("[[claim]]\nname = \"x\"\nmodel = \"shallow-relu\"\nd = 3\np = 3000\nmatrix = \"j\"\nstatistic = \"second-moment\"\nrelation = \"<=\"\npredicted = \"2\"\nprobability = \"0\"\ntrials = 3\n", "needs the dense J")]
    [InlineData("[[claim]]\nname = \"x\"\nmodel = \"shallow-relu\"\nd = 3\nsweep = { p = [1000, 3000] }\nmatrix = \"j\"\nstatistic = \"lambda-max\"\nrelation = \"ratio-tends-to-1\"\npredicted = \"9/16\"\ntrials = 3\n", "a limit needs its exact value")]
    [InlineData("[[claim]]\nname = \"x\"\nmodel = \"shallow-relu\"\nd = 3\np = 1000\nmatrix = \"j\"\nstatistic = \"lambda-max\"\nrelation = \"<=\"\npredicted = \"1\"\nprobability = \"0\"\ntrials = 100000000\n", "operations, about")]
    public void MalformedOrTooBigClaimFilesAreRefusedBeforeAnyTrialRuns(string text, string expected)
    {
        var (code, output, err) = CliRunner.Run("verify", "claims", File("mistake.toml", text));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Theory]
    [InlineData("nothing.toml", "does not exist")]
    [InlineData("claims.json", "must be TOML")]
    public void TheClaimFileMustBeAReadableTomlFile(string name, string expected)
    {
        string path = Path.Combine(_dir, name);
        if (name.EndsWith(".json")) System.IO.File.WriteAllText(path, "{}");
        var (code, _, err) = CliRunner.Run("verify", "claims", path);
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.Equal(2, CliRunner.Run("verify", "claims").Code);
    }
}

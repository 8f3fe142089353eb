using System.Text.Json;
using FimVerify.Cli;
using FimVerify.Cli.CommandLine;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>The symbolic derivation commands (derive theorem2/moments/tian/jij-coefficient) and `check`.</summary>
public class DerivationCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    internal static string Example(string name)
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

    /// <summary>Every derive subcommand speaks text, LaTeX and JSON (issue 3: --format text|latex|json everywhere).</summary>
    [Theory]
    [InlineData("jij", "--terms", "8")]
    [InlineData("jij-coefficient", "--terms", "40")]
    [InlineData("tian")]
    [InlineData("theorem2", "--d", "3")]
    [InlineData("moments", "--d", "3")]
    [InlineData("order-params", "--activation", "erf", "--depth", "3", "--sigma-w2", "1.5", "--sigma-b2", "0.1")]
    [InlineData("order-params", "--activation", "tanh", "--depth", "2", "--sigma-w2", "1.5", "--sigma-b2", "0.1")]
    public void EveryDeriveSubcommandSpeaksTextLatexAndJson(params string[] rest)
    {
        string[] Args(string format) => ["derive", .. rest, "--format", format];
        var (textCode, text, _) = Run(Args("text"));
        Assert.Equal(0, textCode);
        Assert.False(string.IsNullOrWhiteSpace(text));
        var (latexCode, latex, _) = Run(Args("latex"));
        Assert.Equal(0, latexCode);
        Assert.Contains("\\frac", latex);
        Assert.Equal(latex.Count(ch => ch == '{'), latex.Count(ch => ch == '}'));
        var (jsonCode, json, _) = Run(Args("json"));
        Assert.Equal(0, jsonCode);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(json).RootElement.ValueKind);
    }

    [Fact]
    public void OrderParamsPrintTheDerivedClosedFormsAndStatistics()
    {
        var (code, output, _) = Run("derive", "order-params", "--activation", "erf", "--depth", "3", "--sigma-w2", "1.5", "--sigma-b2", "0.1", "--format", "json", "--steps");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("2*arcsin(2*b/(1 + 2*a))/pi", root.GetProperty("closedForms").GetProperty("correlation").GetProperty("infix").GetString());
        var stats = root.GetProperty("statistics");
        Assert.Equal("C*kappa1/M", stats.GetProperty("mean").GetProperty("infix").GetString());
        Assert.Equal("alpha_0*alpha_1 + alpha_1*alpha_2", stats.GetProperty("alpha").GetProperty("infix").GetString());
        Assert.Contains("\\hat{q}^{0}_{1}", stats.GetProperty("kappa1").GetProperty("latex").GetString());
        Assert.True(root.GetProperty("derivationHolds").GetBoolean());
        Assert.All(root.GetProperty("steps").EnumerateArray(), s => Assert.True(s.GetProperty("holds").GetBoolean(), s.GetProperty("statement").GetString()));
        // Quadrature activations have no closed forms, but the statistics are still derived.
        var (_, tanh, _) = Run("derive", "order-params", "--activation", "tanh", "--depth", "2", "--sigma-w2", "1.5", "--sigma-b2", "0.1", "--format", "json");
        var t = JsonDocument.Parse(tanh).RootElement;
        Assert.Equal(JsonValueKind.Null, t.GetProperty("closedForms").ValueKind);
        Assert.Equal("(alpha_0*qhat1_0*qtilde1_1 + alpha_1*qhat1_1*qtilde1_2)/alpha", t.GetProperty("statistics").GetProperty("kappa1").GetProperty("infix").GetString());
    }

    [Fact]
    public void OrderParamsPrintTheDerivedVariantStatistics()
    {
        var (code, output, _) = Run("derive", "order-params", "--activation", "erf", "--depth", "3", "--sigma-w2", "1.5", "--sigma-b2", "0.1", "--format", "json", "--steps");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        var v = root.GetProperty("variantStatistics");
        string Infix(string key) => v.GetProperty(key).GetProperty("infix").GetString()!;
        Assert.Equal("(M*alpha*kappa1 - M*alpha*kappa2)/T", Infix("regressionBulk"));
        Assert.Equal("(M*alpha*kappa1 - M*alpha*kappa2)/T", Infix("meanSubtractedLambdaMax"));
        Assert.Equal("C*qhat1_0*qtilde1_1/(M*alpha_1)", Infix("block1Mean"));
        Assert.Equal("qhat1_2*qtilde1_3", Infix("block3Mean")); // the output block: P_L = C M_(L−1)
        Assert.Equal("C*qtilde1_1*sigma_w2/(M*alpha_0)", Infix("inputMetricMean"));
        Assert.Equal("kappa1*meanTrQ/M", Infix("softmaxMean"));
        Assert.Contains("\\overline{\\operatorname{tr} Q^2}", v.GetProperty("softmaxSecondMoment").GetProperty("latex").GetString());
        var statements = root.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("statement").GetString()!).ToList();
        Assert.Contains(statements, s => s.StartsWith("F̄* = (I_C ⊗ Π) F* (I_C ⊗ Π)"));
        Assert.Contains(statements, s => s.StartsWith("Frobenius Gram table of D"));
        var (_, text, _) = Run("derive", "order-params", "--activation", "erf", "--depth", "3", "--sigma-w2", "1.5", "--sigma-b2", "0.1");
        Assert.Contains("block3LambdaMax", text);
        Assert.Contains("every check passed", text);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("check", "/no/such/file.txt")]
    [InlineData("check", "a.txt", "b.txt")]
    [InlineData("check", "/")]
    [InlineData("derive", "theorem2", "--d", "0")]
    [InlineData("derive", "moments", "--d", "x")]
    [InlineData("derive", "jij-coefficient", "--terms", "3")]
    [InlineData("derive", "tian", "--format", "xml")]
    [InlineData("derive", "order-params", "--activation", "relu", "--depth", "2", "--sigma-w2", "2", "--sigma-b2", "0", "--format", "markdown")]
    public void BadInputExitsTwo(params string[] args) => Assert.Equal(2, Run(args).Code);
}

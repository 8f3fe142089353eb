using System.Text.Json;
using FimVerify.Cli;
using FimVerify.Cli.CommandLine;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Resources;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

public class MeanFieldCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void OrderParamsJsonHasTheDocumentedShapeAndReluValues()
    {
        var (code, output, _) = Run("derive", "order-params", "--activation", "relu", "--depth", "3", "--sigma-w2", "2", "--sigma-b2", "0", "--format", "json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        var layers = root.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(4, layers.Length);
        foreach (var key in new[] { "l", "q1", "q2", "qhat1", "qhat2", "qtilde1", "qtilde2" }) Assert.True(layers[1].TryGetProperty(key, out _), key);
        // ReLU at σ_w² = 2, σ_b² = 0 is the edge of chaos: q^l = 2 at every layer, q̃ = 1, χ = 1.
        Assert.Equal(2.0, layers[2].GetProperty("q1").GetDouble(), 12);
        Assert.Equal(1.0, layers[1].GetProperty("qtilde1").GetDouble(), 12);
        Assert.Equal(1.0, root.GetProperty("chi").GetDouble(), 12);
        Assert.Equal("edge", root.GetProperty("phase").GetString());
        Assert.Equal(2.0, root.GetProperty("alpha").GetDouble());
        // κ₁ = Σ_l (α_{l−1}/α) q̂^{l−1}₁ q̃^l₁ = (1 + 1 + 1)/2.
        Assert.Equal(1.5, root.GetProperty("kappa1").GetDouble(), 12);
    }

    [Theory]
    [InlineData("derive", "order-params", "--activation", "swish", "--depth", "3", "--sigma-w2", "1", "--sigma-b2", "0")]
    [InlineData("derive", "order-params", "--activation", "tanh", "--depth", "0", "--sigma-w2", "1", "--sigma-b2", "0")]
    [InlineData("derive", "order-params", "--activation", "tanh", "--depth", "2", "--sigma-w2", "0", "--sigma-b2", "0")]
    [InlineData("derive", "order-params", "--activation", "tanh", "--depth", "2", "--sigma-w2", "1", "--sigma-b2", "-0.1")]
    [InlineData("derive", "order-params", "--activation", "tanh", "--depth", "2", "--sigma-w2", "1", "--sigma-b2", "0", "--widths", "1,0")]
    [InlineData("derive", "order-params", "--activation", "tanh", "--depth", "2", "--sigma-w2", "1", "--sigma-b2", "0", "--widths", "1")]
    [InlineData("derive", "order-params", "--activation", "linear", "--depth", "400", "--sigma-w2", "100", "--sigma-b2", "0")]
    [InlineData("fim-stats", "--activation", "tanh", "--depth", "1", "--width", "10", "--samples", "3", "--outputs", "2", "--sigma-w2", "1", "--sigma-b2", "0.1")]
    [InlineData("fim-stats", "--activation", "tanh", "--depth", "2", "--width", "0", "--samples", "3", "--outputs", "2", "--sigma-w2", "1", "--sigma-b2", "0.1")]
    [InlineData("fim-stats", "--activation", "tanh", "--depth", "2", "--width", "10", "--samples", "3", "--outputs", "2", "--sigma-w2", "1", "--sigma-b2", "0.1", "--variant", "hessian")]
    [InlineData("fim-stats", "--activation", "linear", "--depth", "300", "--width", "10", "--samples", "3", "--outputs", "2", "--sigma-w2", "50", "--sigma-b2", "0.1")]
    [InlineData("fim-stats", "--activation", "tanh", "--depth", "2", "--width", "16001", "--samples", "3", "--outputs", "2", "--sigma-w2", "1", "--sigma-b2", "0.1")]
    [InlineData("fim-stats", "--activation", "tanh", "--depth", "2", "--width", "10", "--samples", "5001", "--outputs", "2", "--sigma-w2", "1", "--sigma-b2", "0.1")]
    public void BadInputIsOneSentenceAndExitTwo(params string[] args)
    {
        var (code, output, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("fimverify: ", err);
    }

    [Theory]
    // 99 hidden layers of 16000 × 16000 weights: about 190 GiB, far beyond this machine's 24 GiB.
    [InlineData("memory", "--depth", "100", "--width", "16000", "--samples", "100", "--outputs", "10")]
    // An input layer of 100 × 16000 = 1.6 million units: a first weight matrix of 2.6·10¹⁰ entries, more than an array holds.
    [InlineData("array", "--depth", "2", "--width", "16000", "--samples", "10", "--outputs", "2", "--widths", "100,1")]
    public void TooLargeForThisMachineIsRefusedBeforeAllocating(string reason, params string[] size)
    {
        var (code, output, err) = Run(["fim-stats", "--activation", "tanh", "--sigma-w2", "1", "--sigma-b2", "0.1", .. size]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(reason == "memory" ? "of memory, more than" : "one array can hold", err);
    }

    [Fact]
    public void MemoryEstimateCoversTheLargestArraysOfATrial()
    {
        // Lower bound from the arrays a trial certainly holds at once: the weights, the backward signals and two C·T × C·T duals.
        double bytes = ExperimentCosts.FimStats(new NetworkShape(3, 1, 0.1), 1000, 100, 10, 1).Bytes;
        double weights = 1000.0 * 1000 * 2 + 10 * 1000, deltas = 1000.0 * 1000 * 2, duals = 2.0 * 1000 * 1000;
        Assert.True(bytes >= 8 * (weights + deltas + duals), $"{bytes:G4} bytes");
        Assert.True(bytes <= 3 * 8 * (weights + deltas + duals), $"{bytes:G4} bytes: the estimate should not refuse what fits");
    }

    [Fact]
    public void FimStatsJsonReportsPredictedMeasuredAndRatios()
    {
        var (code, output, err) = Run("fim-stats", "--activation", "tanh", "--depth", "3", "--width", "120", "--samples", "8", "--outputs", "2",
            "--sigma-w2", "3", "--sigma-b2", "0.64", "--variant", "softmax", "--trials", "2", "--format", "json");
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(output).RootElement;
        var metric = root.GetProperty("metrics")[0];
        var lambda = metric.GetProperty("lambdaMax");
        Assert.Equal(lambda.GetProperty("measured").GetDouble() / lambda.GetProperty("predicted").GetDouble(), lambda.GetProperty("ratio").GetDouble(), 12);
        Assert.All(root.GetProperty("claims").EnumerateArray(), c => Assert.True(c.GetProperty("holds").GetBoolean()));
        Assert.Equal("PASS", root.GetProperty("verdict").GetString());
    }
}

using System.Text.Json;
using FimVerify.Cli;
using FimVerify.Cli.CommandLine;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

public class DensityCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void SyntheticSlqAgainstExactPassesItsMomentClaimAndReportsDistances()
    {
        var (code, output, error) = Run("density", "--samples", "60", "--hidden", "8", "--fisher", "mc", "--blocks", "all",
            "--probes", "12", "--steps", "30", "--sigma", "0.05", "--grid", "400", "--seed", "5", "--format", "json");
        Assert.True(code == 0, error + output);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("PASS", root.GetProperty("verdict").GetString());
        Assert.Equal(16 * 8 + 8 + 8 * 4 + 4, root.GetProperty("parameters").GetInt32());
        var panels = root.GetProperty("panels").EnumerateArray().ToArray();
        Assert.Equal(["full", "layerwise"], panels.Select(p => p.GetProperty("blocks").GetString()));
        foreach (var p in panels)
        {
            Assert.Equal(0.05, p.GetProperty("sigma").GetDouble());
            Assert.Equal(400, p.GetProperty("density").GetArrayLength());
            Assert.True(p.GetProperty("wasserstein1").GetDouble() > 0);
            Assert.Equal(5, p.GetProperty("momentChecks").GetArrayLength());
        }
        // Block-diagonal truncation keeps the trace and narrows the spectrum.
        Assert.Equal(panels[0].GetProperty("exactTrace").GetDouble(), panels[1].GetProperty("exactTrace").GetDouble(), 9);
        Assert.True(panels[1].GetProperty("largestEigenvalue").GetDouble() < panels[0].GetProperty("largestEigenvalue").GetDouble());
    }

    [Fact]
    public void SixPanelFigureIsWrittenAsPngAndSvg()
    {
        string dir = Directory.CreateTempSubdirectory("fimverify-density").FullName;
        foreach (string ext in new[] { "png", "svg" })
        {
            string path = Path.Combine(dir, "six." + ext);
            var (code, output, error) = Run("density", "--samples", "40", "--hidden", "6", "--fisher", "all", "--blocks", "all",
                "--probes", "4", "--steps", "20", "--grid", "200", "--plot", path);
            Assert.True(code == 0, error + output);
            Assert.Contains("fisher_emp / layerwise", output);
            var bytes = File.ReadAllBytes(path);
            if (ext == "png") Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            else
            {
                string svg = File.ReadAllText(path);
                Assert.StartsWith("<svg", svg);
                Assert.Equal(7, svg.Split("<svg").Length - 1); // the figure and its six panels
            }
        }
    }

    [Theory]
    [InlineData("density", "--fisher", "fim")]
    [InlineData("density", "--blocks", "diagonal")]
    [InlineData("density", "--hidden", "16,x")]
    [InlineData("density", "--hidden", "0")]
    [InlineData("density", "--probes", "0")]
    [InlineData("density", "--sigma", "-1")]
    [InlineData("density", "--sigma", "nan")]
    [InlineData("density", "--plot", "figure.pdf")]
    [InlineData("density", "--method", "exact", "--hidden", "64,64", "--exact-limit", "100")]
    [InlineData("density", "--data", "cifar")]
    [InlineData("density", "--data", "fashion-mnist", "--data-dir", "/nonexistent/fimverify")]
    [InlineData("density", "--data-dir", "/tmp")]
    [InlineData("density", "--fisher", "kfac", "--blocks", "full")]
    [InlineData("density", "--fisher", "exact,exact")]
    [InlineData("density", "--fisher", "exact,fim")]
    [InlineData("density", "--fisher", "all,mc")]
    [InlineData("density", "--top", "-1")]
    [InlineData("density", "--plot", "/nonexistent/fimverify/six.png")]
    [InlineData("density", "--samples", "30", "--hidden", "4", "--sigma", "1e-9")]
    [InlineData("density", "--samples", "0")]
    [InlineData("density", "--steps", "0")]
    [InlineData("density", "--steps", "2")] // Gauss quadrature of 2 steps is exact to degree 3 only: the moment claims need 3
    [InlineData("density", "--grid", "1")]
    [InlineData("density", "--mc-labels", "0")]
    [InlineData("density", "--epochs", "-1")]
    [InlineData("density", "--batch", "0")]
    [InlineData("density", "--learning-rate", "0")]
    [InlineData("density", "--exact-limit", "-1")]
    [InlineData("density", "--seed", "x")]
    [InlineData("density", "--activation", "gelu")]
    [InlineData("density", "--probe-distribution", "uniform")]
    [InlineData("density", "--method", "dense")]
    [InlineData("density", "--format", "xml")]
    [InlineData("density", "--probes")]
    [InlineData("density", "--bogus", "1")]
    public void BadInputGivesOneSentenceAndExitCode2(params string[] args)
    {
        // --quiet: a σ below the grid step is found after SLQ ran, and the progress lines would precede the sentence.
        var (code, output, error) = Run([.. args, "--quiet"]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("fimverify: ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void KfacPanelIsLayerWiseAndComparedWithTheExactFisher()
    {
        var (code, output, error) = Run("density", "--samples", "50", "--hidden", "6", "--fisher", "exact, kfac", "--blocks", "all",
            "--probes", "10", "--steps", "20", "--grid", "300", "--format", "json");
        Assert.True(code == 0, error + output);
        var root = JsonDocument.Parse(output).RootElement;
        var panels = root.GetProperty("panels").EnumerateArray().ToArray();
        Assert.Equal(["exact/full", "exact/layerwise", "kfac/layerwise"], panels.Select(p => $"{p.GetProperty("fisher").GetString()}/{p.GetProperty("blocks").GetString()}"));
        var kfac = panels[2];
        Assert.Equal(5, kfac.GetProperty("momentChecks").GetArrayLength());
        Assert.InRange(kfac.GetProperty("overlapWithExactFisher").GetDouble(), 0.0, 1.0);
        Assert.True(kfac.GetProperty("wasserstein1ToExactFisher").GetDouble() > 0);
        Assert.Equal("PASS", root.GetProperty("verdict").GetString());
        // --top: matrix-free top eigenvalues against the dense ones (the claim: within 1e-8·λ_max).
        var (topCode, topOutput, topError) = Run("density", "--samples", "50", "--hidden", "6", "--fisher", "mc", "--probes", "4", "--steps", "10",
            "--top", "4", "--grid", "300", "--format", "json");
        Assert.True(topCode == 0, topError + topOutput);
        var topPanel = JsonDocument.Parse(topOutput).RootElement.GetProperty("panels")[0];
        Assert.Equal(4, topPanel.GetProperty("topEigenvalues").GetArrayLength());
        Assert.Equal(topPanel.GetProperty("largestEigenvalue").GetDouble(), topPanel.GetProperty("topEigenvalues")[0].GetDouble(), 9);
        Assert.True(topPanel.GetProperty("topEigenvalueRelativeError").GetDouble() <= 1e-8);
        // --fisher kfac alone defaults to layer-wise blocks.
        var (alone, text, _) = Run("density", "--samples", "30", "--hidden", "4", "--fisher", "kfac", "--probes", "4", "--steps", "10");
        Assert.Equal(0, alone);
        Assert.Contains("fisher_kfac / layerwise", text);
    }

    [Fact]
    public void MissingFashionMnistSaysHowToInstallIt()
    {
        var (code, _, error) = Run("density", "--data", "fashion-mnist", "--data-dir", "/nonexistent/fimverify");
        Assert.Equal(2, code);
        Assert.Contains("apt-get install dataset-fashion-mnist", error);
    }

    [Fact]
    public void HelpHasAnExample()
    {
        var (code, output, _) = Run("density", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Example: fimverify density", output);
    }
}

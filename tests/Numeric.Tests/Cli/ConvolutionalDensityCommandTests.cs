using System.Text.Json;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>`density --model cnn`: seed 003's figure for a convolutional classifier, and its options' validation.</summary>
public class ConvolutionalDensityCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    // On the 12×12 synthetic images: conv → 12×12×2 (20 parameters), max-pool → 6×6×2, conv → 4×4×3 (57), average-pool →
    // 2×2×3, dense 6 (78), the output layer to 4 classes (28): P = 183, counted by hand.
    private const string Small = "conv2k3p1,relu,maxpool2,conv3k3,relu,avgpool2,dense6,relu";

    [Fact]
    public void SixPanelsOfACnnPassTheDenseChecksAndInterlace()
    {
        string dir = Directory.CreateTempSubdirectory("fimverify-cnn-density").FullName;
        string plot = Path.Combine(dir, "cnn.png");
        var (code, output, error) = Run("density", "--model", "cnn", "--arch", Small, "--samples", "40", "--fisher", "all,kfac", "--blocks", "all",
            "--probes", "8", "--steps", "25", "--epochs", "1", "--top", "3", "--plot", plot, "--format", "json");
        Assert.True(code == 0, error + output);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("cnn", root.GetProperty("model").GetString());
        Assert.Equal(Small, root.GetProperty("architecture").GetString());
        Assert.Equal([12, 12, 1], root.GetProperty("inputShape").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(183, root.GetProperty("parameters").GetInt32());
        Assert.Equal([20, 57, 78, 28], root.GetProperty("layerParameters").EnumerateArray().Select(x => x.GetInt32()));
        var panels = root.GetProperty("panels").EnumerateArray().ToArray();
        Assert.Equal(7, panels.Length); // exact, mc, emp × full, layer-wise, and K-FAC layer-wise
        foreach (var p in panels)
        {
            Assert.Equal(5, p.GetProperty("momentChecks").GetArrayLength());
            Assert.True(p.GetProperty("topEigenvalueRelativeError").GetDouble() <= 1e-8);
        }
        Assert.Equal(3, root.GetProperty("interlacing").GetArrayLength());
        Assert.All(root.GetProperty("interlacing").EnumerateArray(), x => Assert.True(x.GetProperty("holds").GetBoolean()));
        Assert.Equal("PASS", root.GetProperty("verdict").GetString());
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(plot)[..4]);
    }

    [Fact]
    public void TheTextOutputNamesTheNetwork()
    {
        var (code, output, error) = Run("density", "--model", "cnn", "--arch", "conv2k3,relu,maxpool2", "--samples", "20", "--probes", "4", "--steps", "10");
        Assert.True(code == 0, error + output);
        Assert.Contains("CNN 12×12×1 → conv2k3,relu,maxpool2 → dense4, P = 224", output);
    }

    [Theory]
    [InlineData("--model", "cnn", "--hidden", "8")]
    [InlineData("--model", "cnn", "--activation", "tanh")]
    [InlineData("--model", "resnet")]
    [InlineData("--arch", "conv2k3")]
    [InlineData("--model", "cnn", "--arch", "")]
    [InlineData("--model", "cnn", "--arch", "conv8")]
    [InlineData("--model", "cnn", "--arch", "conv8k3p3")]
    [InlineData("--model", "cnn", "--arch", "conv0k3")]
    [InlineData("--model", "cnn", "--arch", "conv100001k3")]
    [InlineData("--model", "cnn", "--arch", "conv99999999999999999999k3")]
    [InlineData("--model", "cnn", "--arch", "relu,,relu")]
    [InlineData("--model", "cnn", "--arch", "maxpool2s0")]
    [InlineData("--model", "cnn", "--arch", "dense0")]
    [InlineData("--model", "cnn", "--arch", "softmax")]
    [InlineData("--model", "cnn", "--arch", "conv2k13")]
    [InlineData("--model", "cnn", "--arch", "maxpool13")]
    [InlineData("--model", "cnn", "--arch", "conv4k3,maxpool4,conv4k4")]
    [InlineData("--model", "cnn", "--arch", "dense100000,dense100000")]
    [InlineData("--model", "cnn", "--arch", "conv64k3p1,relu", "--samples", "1000000")]
    [InlineData("--model", "cnn", "--arch", "conv2k3,relu,maxpool2", "--samples", "5000", "--probes", "100000", "--steps", "10")]
    [InlineData("--model", "cnn", "--arch", "conv20000k1,relu", "--samples", "1000")]
    public void BadNetworksGiveOneSentenceAndExitCode2(params string[] args) => CliRunner.AssertUsageError(["density", .. args]);

    [Fact]
    public void TheRefusalsSayWhatIsWrong()
    {
        Assert.Contains("does not fit the 12×12×1 images: layer 3 (conv4k4): its 4×4 kernel does not fit the 2×2×4 input",
            Run("density", "--model", "cnn", "--arch", "conv4k3,maxpool4,conv4k4").Err);
        Assert.Contains("layer 1 ('conv8') is none of", Run("density", "--model", "cnn", "--arch", "conv8").Err);
        // 100000 probes in one lockstep group: a block product's tensors for 4096 images would take ≈ 0.5 TB.
        string err = Run("density", "--model", "cnn", "--arch", "conv2k3,relu,maxpool2", "--samples", "5000", "--probes", "100000", "--steps", "10").Err;
        Assert.Contains("(P = 224) on 5000 images with a dense P×P reference needs about", err);
        Assert.Matches(@"needs about [0-9.]+ TB|needs about [1-9][0-9]{2}\.[0-9] GB", err);
        // 12·12·20000 = 2.9 million outputs per image: 1000 images would need an array of 2.9 billion doubles.
        Assert.Contains("holds at most 745 images in one pass", Run("density", "--model", "cnn", "--arch", "conv20000k1,relu", "--samples", "1000").Err);
        Assert.Contains("apply to --model mlp", Run("density", "--model", "cnn", "--hidden", "8").Err);
        Assert.Contains("The option --arch applies to --model cnn.", Run("density", "--arch", "conv2k3").Err);
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using FimVerify.Numeric.Data;

namespace FimVerify.Numeric.Classifiers.Convolutional;

public enum PoolingKind { Max, Average }

/// <summary>One layer of an architecture as the user writes it (see <see cref="ConvolutionalArchitecture.Parse"/>).</summary>
public abstract record ArchitectureLayer;

/// <summary>Channels output channels, Kernel × Kernel window, Stride, zero Padding on every side.</summary>
public sealed record ConvolutionLayer(int Channels, int Kernel, int Stride = 1, int Padding = 0) : ArchitectureLayer
{
    public override string ToString() => $"conv{Channels}k{Kernel}" + (Stride != 1 ? $"s{Stride}" : "") + (Padding != 0 ? $"p{Padding}" : "");
}

/// <summary>Size × Size windows moved by Stride (no padding), per channel.</summary>
public sealed record PoolingLayer(PoolingKind Kind, int Size, int Stride) : ArchitectureLayer
{
    public override string ToString() => (Kind == PoolingKind.Max ? "maxpool" : "avgpool") + Size + (Stride != Size ? $"s{Stride}" : "");
}

public sealed record ActivationLayer(HiddenActivation Activation) : ArchitectureLayer
{
    public override string ToString() => Activation == HiddenActivation.Relu ? "relu" : "tanh";
}

/// <summary>Fully connected to Width units; it flattens its input (height × width × channels, channel-last).</summary>
public sealed record DenseLayer(int Width) : ArchitectureLayer
{
    public override string ToString() => $"dense{Width}";
}

/// <summary>
/// A convolutional classifier's layers, input to output, without the output layer (a dense layer to the class count, which
/// <see cref="Resolve"/> adds). The grammar, comma-separated:
/// <code>
///   conv&lt;C&gt;k&lt;K&gt;[s&lt;S&gt;][p&lt;P&gt;]   convolution to C channels, K×K kernel, stride S (1), zero padding P (0, P &lt; K)
///   maxpool&lt;K&gt;[s&lt;S&gt;]            max-pooling over K×K windows, stride S (default K)
///   avgpool&lt;K&gt;[s&lt;S&gt;]            average-pooling, likewise
///   relu | tanh                    elementwise activation
///   dense&lt;W&gt;                      fully connected to W units (flattens its input)
/// </code>
/// Every number is an integer from 1 (0 for padding) to <see cref="MaxSize"/>.
/// </summary>
public sealed partial record ConvolutionalArchitecture(IReadOnlyList<ArchitectureLayer> Layers)
{
    public const int MaxSize = 100_000;

    /// <summary>
    /// Modelled on seed 003's Figure 1 (two Conv → ReLU → MaxPool stages, then MatMul and Gemm, i.e. two dense layers) and
    /// sized for Fashion-MNIST's 28×28 images: 4 and 8 channels of 3×3 kernels, 2×2 max-pooling, 512 hidden units, then the
    /// output layer; P = 108,378 with 10 classes. The small channel counts keep a Fisher-vector product on 1000 images at
    /// 1.24 GFLOP, two thirds of it in the dense layer (docs/density.md, Performance).
    /// </summary>
    public const string DefaultText = "conv4k3,relu,maxpool2,conv8k3,relu,maxpool2,dense512,relu";

    public static ConvolutionalArchitecture Default { get; } = Parse(DefaultText);

    public override string ToString() => string.Join(',', Layers);

    /// <summary>Parses the grammar above; a FormatException's message names the offending layer and what was expected.</summary>
    public static ConvolutionalArchitecture Parse(string text)
    {
        var tokens = text.Split(',', StringSplitOptions.TrimEntries);
        if (tokens.Length == 0 || tokens.All(t => t.Length == 0)) throw new FormatException("the architecture has no layers");
        var layers = new List<ArchitectureLayer>();
        for (int i = 0; i < tokens.Length; i++) layers.Add(ParseLayer(tokens[i], i + 1));
        return new ConvolutionalArchitecture(layers);
    }

    private static ArchitectureLayer ParseLayer(string token, int position)
    {
        string where = $"layer {position} ('{token}')";
        if (token == "relu") return new ActivationLayer(HiddenActivation.Relu);
        if (token == "tanh") return new ActivationLayer(HiddenActivation.Tanh);
        var conv = ConvolutionPattern().Match(token);
        if (conv.Success)
        {
            int kernel = Number(conv.Groups["k"].Value, where, 1);
            int padding = conv.Groups["p"].Success ? Number(conv.Groups["p"].Value, where, 0) : 0;
            if (padding >= kernel) throw new FormatException($"{where} pads by {padding}, which must be less than the kernel size {kernel}");
            return new ConvolutionLayer(Number(conv.Groups["c"].Value, where, 1), kernel,
                conv.Groups["s"].Success ? Number(conv.Groups["s"].Value, where, 1) : 1, padding);
        }
        var pool = PoolingPattern().Match(token);
        if (pool.Success)
        {
            int size = Number(pool.Groups["k"].Value, where, 1);
            return new PoolingLayer(pool.Groups["kind"].Value == "max" ? PoolingKind.Max : PoolingKind.Average, size,
                pool.Groups["s"].Success ? Number(pool.Groups["s"].Value, where, 1) : size);
        }
        var dense = DensePattern().Match(token);
        if (dense.Success) return new DenseLayer(Number(dense.Groups["w"].Value, where, 1));
        throw new FormatException($"{where} is none of conv<C>k<K>[s<S>][p<P>], maxpool<K>[s<S>], avgpool<K>[s<S>], relu, tanh, dense<W>");
    }

    private static int Number(string digits, string where, int least)
    {
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < least || value > MaxSize)
            throw new FormatException($"{where} has the number {digits}, outside {least}…{MaxSize}");
        return value;
    }

    [GeneratedRegex(@"^conv(?<c>\d+)k(?<k>\d+)(s(?<s>\d+))?(p(?<p>\d+))?$")]
    private static partial Regex ConvolutionPattern();

    [GeneratedRegex(@"^(?<kind>max|avg)pool(?<k>\d+)(s(?<s>\d+))?$")]
    private static partial Regex PoolingPattern();

    [GeneratedRegex(@"^dense(?<w>\d+)$")]
    private static partial Regex DensePattern();

    /// <summary>
    /// The stages on inputs of the given shape, with the output layer (dense to <paramref name="classes"/>) appended.
    /// A layer that does not fit its input (a kernel or window larger than the padded input) is an ArgumentException naming it.
    /// </summary>
    public ConvolutionalNetworkShape Resolve(ImageShape input, int classes) => ConvolutionalNetworkShape.Build(this, input, classes);
}

using FimVerify.Numeric.Data;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Classifiers.Convolutional;

namespace FimVerify.Numeric.Tests.Classifiers.Convolutional;

/// <summary>
/// A naive convolutional network for one image at a time, written from the documented layout only (channel-last tensors;
/// each linear layer's W with rows in (ky, kx, input channel) order and one column per output channel, then b; the output
/// layer dense to the classes): direct loops over output positions and kernel offsets, no im2col, no GEMM, no chunks, its
/// own shape arithmetic. Its backward pass is reverse mode by the same loops. The fast model is checked against it.
/// </summary>
internal sealed class ReferenceConvolutionalNetwork
{
    /// <summary>An image tensor H × W × C.</summary>
    public sealed class Tensor(int h, int w, int c)
    {
        public int H { get; } = h;
        public int W { get; } = w;
        public int C { get; } = c;
        public double[] V { get; } = new double[h * w * c];
        public ref double this[int y, int x, int k] => ref V[(y * W + x) * C + k];
        public Tensor Like() => new(H, W, C);
    }

    private readonly ArchitectureLayer[] _layers;
    private readonly int[] _offsets; // θ offset of each linear layer (−1 for the others)
    private readonly ImageShape _input;
    public double[] Theta { get; }

    public ReferenceConvolutionalNetwork(ConvolutionalArchitecture architecture, ImageShape input, int classes, double[] theta)
    {
        _layers = architecture.Layers.Append(new DenseLayer(classes)).ToArray();
        _input = input;
        Theta = theta;
        _offsets = new int[_layers.Length];
        int offset = 0, h = input.Height, w = input.Width, c = input.Channels;
        for (int i = 0; i < _layers.Length; i++)
        {
            _offsets[i] = -1;
            switch (_layers[i])
            {
                case ConvolutionLayer conv:
                    _offsets[i] = offset;
                    offset += (conv.Kernel * conv.Kernel * c + 1) * conv.Channels;
                    h = (h + 2 * conv.Padding - conv.Kernel) / conv.Stride + 1; w = (w + 2 * conv.Padding - conv.Kernel) / conv.Stride + 1; c = conv.Channels;
                    break;
                case DenseLayer dense:
                    _offsets[i] = offset;
                    offset += (h * w * c + 1) * dense.Width;
                    h = 1; w = 1; c = dense.Width;
                    break;
                case PoolingLayer pool:
                    h = (h - pool.Size) / pool.Stride + 1; w = (w - pool.Size) / pool.Stride + 1;
                    break;
            }
        }
        if (offset != theta.Length) throw new ArgumentException($"the reference counts {offset} parameters, θ has {theta.Length}");
    }

    /// <summary>Every stage's value: [0] the input, [i + 1] layer i's output (the last the logits, 1 × 1 × classes).</summary>
    public Tensor[] Forward(ReadOnlySpan<double> image)
    {
        var x = new Tensor(_input.Height, _input.Width, _input.Channels);
        image.CopyTo(x.V);
        var values = new Tensor[_layers.Length + 1];
        values[0] = x;
        for (int i = 0; i < _layers.Length; i++) values[i + 1] = Layer(i, values[i]);
        return values;
    }

    public double[] Logits(ReadOnlySpan<double> image) => Forward(image)[^1].V;

    private Tensor Layer(int i, Tensor x)
    {
        switch (_layers[i])
        {
            case ConvolutionLayer conv:
                {
                    int k = conv.Kernel, s = conv.Stride, p = conv.Padding, o = conv.Channels;
                    var y = new Tensor((x.H + 2 * p - k) / s + 1, (x.W + 2 * p - k) / s + 1, o);
                    for (int oy = 0; oy < y.H; oy++)
                        for (int ox = 0; ox < y.W; ox++)
                            for (int j = 0; j < o; j++)
                            {
                                double sum = Bias(i, k * k * x.C, o, j);
                                for (int ky = 0; ky < k; ky++)
                                    for (int kx = 0; kx < k; kx++)
                                    {
                                        int iy = oy * s - p + ky, ix = ox * s - p + kx;
                                        if (iy < 0 || iy >= x.H || ix < 0 || ix >= x.W) continue;
                                        for (int c = 0; c < x.C; c++) sum += x[iy, ix, c] * Weight(i, (ky * k + kx) * x.C + c, o, j);
                                    }
                                y[oy, ox, j] = sum;
                            }
                    return y;
                }
            case DenseLayer dense:
                {
                    var y = new Tensor(1, 1, dense.Width);
                    for (int j = 0; j < dense.Width; j++)
                    {
                        double sum = Bias(i, x.V.Length, dense.Width, j);
                        for (int r = 0; r < x.V.Length; r++) sum += x.V[r] * Weight(i, r, dense.Width, j);
                        y.V[j] = sum;
                    }
                    return y;
                }
            case PoolingLayer pool:
                {
                    var y = new Tensor((x.H - pool.Size) / pool.Stride + 1, (x.W - pool.Size) / pool.Stride + 1, x.C);
                    for (int oy = 0; oy < y.H; oy++)
                        for (int ox = 0; ox < y.W; ox++)
                            for (int c = 0; c < x.C; c++)
                            {
                                var (best, _, _) = Maximum(pool, x, oy, ox, c);
                                double sum = 0;
                                for (int dy = 0; dy < pool.Size; dy++)
                                    for (int dx = 0; dx < pool.Size; dx++) sum += x[oy * pool.Stride + dy, ox * pool.Stride + dx, c];
                                y[oy, ox, c] = pool.Kind == PoolingKind.Max ? best : sum / (pool.Size * pool.Size);
                            }
                    return y;
                }
            case ActivationLayer a:
                {
                    var y = x.Like();
                    for (int r = 0; r < y.V.Length; r++) y.V[r] = a.Activation == HiddenActivation.Relu ? Math.Max(0, x.V[r]) : Math.Tanh(x.V[r]);
                    return y;
                }
            default: throw new InvalidOperationException();
        }
    }

    /// <summary>A window's maximum and where it is (the first one in row order on a tie).</summary>
    private static (double Value, int Y, int X) Maximum(PoolingLayer pool, Tensor x, int oy, int ox, int c)
    {
        var best = (Value: double.NegativeInfinity, Y: 0, X: 0);
        for (int dy = 0; dy < pool.Size; dy++)
            for (int dx = 0; dx < pool.Size; dx++)
            {
                int iy = oy * pool.Stride + dy, ix = ox * pool.Stride + dx;
                if (x[iy, ix, c] > best.Value) best = (x[iy, ix, c], iy, ix);
            }
        return best;
    }

    private double Weight(int layer, int row, int outputs, int column) => Theta[_offsets[layer] + row * outputs + column];
    private double Bias(int layer, int rows, int outputs, int column) => Theta[_offsets[layer] + rows * outputs + column];

    /// <summary>
    /// Reverse mode for one image: the cotangent of every stage value ([i + 1] of layer i's output, [0] of the input) and the
    /// gradient of (cotangent · logits) with respect to θ.
    /// </summary>
    public (Tensor[] Cotangents, double[] Gradient) Backward(Tensor[] values, ReadOnlySpan<double> logitCotangent)
    {
        var gradient = new double[Theta.Length];
        var cot = new Tensor[values.Length];
        cot[^1] = values[^1].Like();
        logitCotangent.CopyTo(cot[^1].V);
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            var x = values[i];
            var g = cot[i + 1];
            var below = x.Like();
            switch (_layers[i])
            {
                case ConvolutionLayer conv:
                    {
                        int k = conv.Kernel, s = conv.Stride, p = conv.Padding, o = conv.Channels, rows = k * k * x.C;
                        for (int oy = 0; oy < g.H; oy++)
                            for (int ox = 0; ox < g.W; ox++)
                                for (int j = 0; j < o; j++)
                                {
                                    gradient[_offsets[i] + rows * o + j] += g[oy, ox, j];
                                    for (int ky = 0; ky < k; ky++)
                                        for (int kx = 0; kx < k; kx++)
                                        {
                                            int iy = oy * s - p + ky, ix = ox * s - p + kx;
                                            if (iy < 0 || iy >= x.H || ix < 0 || ix >= x.W) continue;
                                            for (int c = 0; c < x.C; c++)
                                            {
                                                int row = (ky * k + kx) * x.C + c;
                                                gradient[_offsets[i] + row * o + j] += g[oy, ox, j] * x[iy, ix, c];
                                                below[iy, ix, c] += g[oy, ox, j] * Weight(i, row, o, j);
                                            }
                                        }
                                }
                        break;
                    }
                case DenseLayer dense:
                    for (int j = 0; j < dense.Width; j++)
                    {
                        gradient[_offsets[i] + x.V.Length * dense.Width + j] += g.V[j];
                        for (int r = 0; r < x.V.Length; r++)
                        {
                            gradient[_offsets[i] + r * dense.Width + j] += g.V[j] * x.V[r];
                            below.V[r] += g.V[j] * Weight(i, r, dense.Width, j);
                        }
                    }
                    break;
                case PoolingLayer pool:
                    for (int oy = 0; oy < g.H; oy++)
                        for (int ox = 0; ox < g.W; ox++)
                            for (int c = 0; c < g.C; c++)
                            {
                                if (pool.Kind == PoolingKind.Max)
                                {
                                    var (_, my, mx) = Maximum(pool, x, oy, ox, c);
                                    below[my, mx, c] += g[oy, ox, c];
                                    continue;
                                }
                                for (int dy = 0; dy < pool.Size; dy++)
                                    for (int dx = 0; dx < pool.Size; dx++)
                                        below[oy * pool.Stride + dy, ox * pool.Stride + dx, c] += g[oy, ox, c] / (pool.Size * pool.Size);
                            }
                    break;
                case ActivationLayer a:
                    for (int r = 0; r < below.V.Length; r++)
                    {
                        double z = x.V[r];
                        below.V[r] = g.V[r] * (a.Activation == HiddenActivation.Relu ? (z > 0 ? 1 : 0) : 1 - Math.Tanh(z) * Math.Tanh(z));
                    }
                    break;
            }
            cot[i] = below;
        }
        return (cot, gradient);
    }

    /// <summary>Layer indices (in the architecture plus the output layer) of the layers with parameters, in order.</summary>
    public int[] LinearLayers => Enumerable.Range(0, _layers.Length).Where(i => _offsets[i] >= 0).ToArray();

    /// <summary>The patch of layer i's input at output location (oy, ox) with a trailing 1, in (ky, kx, channel) order.</summary>
    public double[] AugmentedPatch(int i, Tensor x, int oy, int ox)
    {
        if (_layers[i] is DenseLayer) return [.. x.V, 1];
        var conv = (ConvolutionLayer)_layers[i];
        int k = conv.Kernel;
        var patch = new double[k * k * x.C + 1];
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
            {
                int iy = oy * conv.Stride - conv.Padding + ky, ix = ox * conv.Stride - conv.Padding + kx;
                if (iy < 0 || iy >= x.H || ix < 0 || ix >= x.W) continue;
                for (int c = 0; c < x.C; c++) patch[(ky * k + kx) * x.C + c] = x[iy, ix, c];
            }
        patch[^1] = 1;
        return patch;
    }
}

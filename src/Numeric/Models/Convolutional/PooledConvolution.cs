using System.Runtime.CompilerServices;
using FimVerify.Numeric.Kernels;

namespace FimVerify.Numeric.Models.Convolutional;

/// <summary>A convolution whose output reaches a max-pooling directly or through one activation (seed 003's Conv → ReLU → MaxPool).</summary>
internal sealed record PooledGroup(LinearStage Linear, int LinearIndex, int ActivationIndex, PoolingStage Pool, int PoolIndex)
{
    /// <summary>
    /// The kernel taps inside the input for each output location a of the convolution: entries TapStart[a] … TapStart[a + 1] − 1
    /// of Taps are pairs (first patch index of the tap, input location of its pixel); taps in the zero padding are left out.
    /// </summary>
    public int[] TapStart => _table.Start;
    public int[] Taps => _table.Taps;
    private readonly (int[] Start, int[] Taps) _table = Table(Linear);

    private static (int[] Start, int[] Taps) Table(LinearStage ls)
    {
        var start = new int[ls.Locations + 1];
        var taps = new List<int>();
        for (int a = 0; a < ls.Locations; a++)
        {
            int y0 = a / ls.Output.Width * ls.Stride - ls.Padding, x0 = a % ls.Output.Width * ls.Stride - ls.Padding;
            for (int ky = 0; ky < ls.KernelHeight; ky++)
                for (int kx = 0; kx < ls.KernelWidth; kx++)
                {
                    int iy = y0 + ky, ix = x0 + kx;
                    if (iy < 0 || iy >= ls.Input.Height || ix < 0 || ix >= ls.Input.Width) continue;
                    taps.Add((ky * ls.KernelWidth + kx) * ls.Input.Channels);
                    taps.Add(iy * ls.Input.Width + ix);
                }
            start[a + 1] = taps.Count / 2;
        }
        return (start, taps.ToArray());
    }

    /// <summary>The groups of a network, indexed by the stage index of their convolution and of their pooling.</summary>
    public static (PooledGroup?[] ByLinear, PooledGroup?[] ByPool) Find(ConvolutionalNetworkShape shape)
    {
        var stages = shape.Stages;
        var byLinear = new PooledGroup?[stages.Count];
        var byPool = new PooledGroup?[stages.Count];
        for (int s = 0; s < stages.Count; s++)
        {
            if (stages[s] is not LinearStage { IsDense: false } ls) continue;
            int next = s + 1, activation = -1;
            if (next < stages.Count && stages[next] is ActivationStage) activation = next++;
            if (next < stages.Count && stages[next] is PoolingStage { Kind: PoolingKind.Max } pool)
                byLinear[s] = byPool[next] = new PooledGroup(ls, s, activation, pool, next);
        }
        return (byLinear, byPool);
    }
}

/// <summary>
/// Jacobian products through a <see cref="PooledGroup"/> without its full-resolution tensors. Max-pooling passes on, per window
/// and channel, the value at one location a (recorded by the forward pass), so the tangent after the pooling is
/// σ'(z_a)·(the convolution's tangent at a): only the pooled locations are evaluated, one patch per (window, channel). In
/// reverse, the convolution's output cotangent is zero except at those locations, so the weight gradient of channel c is
/// U_cᵀ·G_c over the selected patches U_c and cotangents G_c (one GEMM per channel), and the input's cotangent is scattered
/// from them. For D directions this avoids the D full-resolution tensors that dominate a CNN's Fisher-vector product,
/// which are memory-bound. Each image runs on its own in a fixed order, so results do not depend on the thread count, and
/// every direction's entries are computed by the same operations whatever D is.
/// </summary>
internal static class PooledConvolution
{
    /// <summary>
    /// The stride of the direction index in this class's buffers: from one SIMD register's width on, D rounded up to whole
    /// registers (the padding holds zeros), so the sums over the directions are vector operations only; every entry is one
    /// fused multiply-add per term either way, in the same order, so neither the padding nor D changes any value.
    /// </summary>
    public static int Padded(int directions)
    {
        int w = Width;
        return directions < w ? directions : (directions + w - 1) / w * w;
    }

    private static int Width => Lanes512.IsSupported ? Lanes512.Count : Lanes256.IsSupported ? Lanes256.Count : 1;

    /// <summary>
    /// The pooled tangent (image, window, direction, channel) of images [start, start + images):
    /// the convolution's own directions when given (sides: per channel c a (K + 1) × D̃ block, [(c·(K + 1) + k)·D̃ + d] =
    /// dW_d[k, c] and row K the biases db_d[c]; D̃ = <see cref="Padded"/>(D)), plus the incoming tangent (image, location,
    /// direction, input channel) through W. Each output's sums stay in registers over all its terms.
    /// </summary>
    public static void Tangent(PooledGroup g, ConvolutionalPass pass, double[] parameters, int start, int images, int directions,
        double[]? sides, double[]? inputTangent, double[] output)
    {
        var (ls, pool) = (g.Linear, g.Pool);
        int d = directions, c = ls.Channels, k = ls.PatchSize, windows = pool.Output.Locations, cin = ls.Input.Channels;
        int dp = Padded(d), inputSize = (int)ls.Input.Size, tangentSize = inputSize * d, outputSize = windows * d * c;
        double[] input = pass.StageInput(g.LinearIndex);
        int[] argMax = pass.ArgMax[g.PoolIndex]!;
        double[]? slopes = g.ActivationIndex >= 0 ? pass.Slopes[g.ActivationIndex] : null;
        int terms = ls.KernelHeight * ls.KernelWidth * cin + 1;
        Parallel.For(0, images, () => new TangentScratch(dp, inputTangent is null ? 0 : inputSize * dp, terms), (b, _, local) =>
        {
            // The incoming tangent with directions innermost, (location, input channel, direction), so each term is a row of D̃.
            if (inputTangent is not null) Transpose(inputTangent.AsSpan(b * tangentSize, tangentSize), local.Transposed, ls.Input.Locations, d, cin, dp);
            unsafe
            {
                fixed (double* acc = local.Acc, transposed = local.Transposed, image = &input[(start + b) * inputSize], w = &parameters[ls.Offset], side = sides)
                fixed (double* ownAlpha = local.OwnAlpha, inAlpha = local.InAlpha)
                fixed (int* taps = g.Taps, ownRow = local.OwnRow, inRow = local.InRow)
                {
                    for (int o = 0; o < windows; o++)
                        for (int j = 0; j < c; j++)
                        {
                            int a = argMax[((start + b) * windows + o) * c + j];
                            int first = g.TapStart[a], end = g.TapStart[a + 1], own = 0, incoming = 0;
                            if (side is not null)
                            {
                                for (int t = first; t < end; t++)
                                    for (int q = 0; q < cin; q++) { ownAlpha[own] = image[taps[2 * t + 1] * cin + q]; ownRow[own++] = (taps[2 * t] + q) * dp; }
                                ownAlpha[own] = 1; ownRow[own++] = k * dp; // the bias row
                            }
                            if (inputTangent is not null)
                                for (int t = first; t < end; t++)
                                    for (int q = 0; q < cin; q++) { inAlpha[incoming] = w[(taps[2 * t] + q) * c + j]; inRow[incoming++] = (taps[2 * t + 1] * cin + q) * dp; }
                            SumTerms(acc, dp, ownAlpha, ownRow, own, side is null ? null : side + (long)j * (k + 1) * dp, inAlpha, inRow, incoming, transposed);
                            double slope = slopes is null ? 1 : slopes[(start + b) * (int)ls.Output.Size + a * c + j];
                            var row = output.AsSpan(b * outputSize + o * d * c, d * c);
                            for (int r = 0; r < d; r++) row[r * c + j] = slope * acc[r];
                        }
                }
            }
            return local;
        }, _ => { });
    }

    /// <summary>One worker's buffers for <see cref="Tangent"/>: the sums, the transposed incoming tangent, and the term lists of one output.</summary>
    private sealed class TangentScratch(int padded, int transposed, int terms)
    {
        public double[] Acc { get; } = new double[padded];
        public double[] Transposed { get; } = new double[transposed];
        public double[] OwnAlpha { get; } = new double[terms];
        public int[] OwnRow { get; } = new int[terms];
        public double[] InAlpha { get; } = new double[terms];
        public int[] InRow { get; } = new int[terms];
    }

    /// <summary>
    /// acc[0..D̃) ← Σ_i α_i·a[aRow_i + ·] + Σ_i β_i·b[bRow_i + ·] (rows of D̃ doubles), the terms in that order, each entry one
    /// chain of fused multiply-adds from zero; up to four registers of sums are held across all terms.
    /// </summary>
    private static unsafe void SumTerms(double* acc, int dp, double* alpha, int* aRow, int aCount, double* a, double* beta, int* bRow, int bCount, double* b)
    {
        if (Lanes512.IsSupported && dp >= Lanes512.Count) SumTerms<Lanes512>(acc, dp, alpha, aRow, aCount, a, beta, bRow, bCount, b);
        else if (Lanes256.IsSupported && dp >= Lanes256.Count) SumTerms<Lanes256>(acc, dp, alpha, aRow, aCount, a, beta, bRow, bCount, b);
        else
            for (int r = 0; r < dp; r++)
            {
                double s = 0;
                for (int i = 0; i < aCount; i++) s = Math.FusedMultiplyAdd(alpha[i], a[aRow[i] + r], s);
                for (int i = 0; i < bCount; i++) s = Math.FusedMultiplyAdd(beta[i], b[bRow[i] + r], s);
                acc[r] = s;
            }
    }

    private static unsafe void SumTerms<TV>(double* acc, int dp, double* alpha, int* aRow, int aCount, double* a, double* beta, int* bRow, int bCount, double* b)
        where TV : struct, ILanes<TV>
    {
        int w = TV.Count;
        for (int r = 0; r < dp; r += 2 * w)
        {
            if (r + w == dp)
            {
                var s = TV.Broadcast(0);
                for (int i = 0; i < aCount; i++) s = TV.MultiplyAdd(TV.Broadcast(alpha[i]), TV.Load(a + aRow[i] + r), s);
                for (int i = 0; i < bCount; i++) s = TV.MultiplyAdd(TV.Broadcast(beta[i]), TV.Load(b + bRow[i] + r), s);
                TV.Store(s, acc + r);
                break;
            }
            var s0 = TV.Broadcast(0);
            var s1 = s0;
            for (int i = 0; i < aCount; i++)
            {
                var x = TV.Broadcast(alpha[i]);
                double* row = a + aRow[i] + r;
                s0 = TV.MultiplyAdd(x, TV.Load(row), s0);
                s1 = TV.MultiplyAdd(x, TV.Load(row + w), s1);
            }
            for (int i = 0; i < bCount; i++)
            {
                var x = TV.Broadcast(beta[i]);
                double* row = b + bRow[i] + r;
                s0 = TV.MultiplyAdd(x, TV.Load(row), s0);
                s1 = TV.MultiplyAdd(x, TV.Load(row + w), s1);
            }
            TV.Store(s0, acc + r);
            TV.Store(s1, acc + r + w);
        }
    }

    /// <summary>
    /// From the pooled cotangent (image, window, direction, channel) of a chunk: per channel c the selected patches U_c
    /// (window rows × K, [c·rows·K + row·K + k]) and the cotangents at them G_c (window rows × D̃, σ' applied, zero padding).
    /// </summary>
    public static void Select(PooledGroup g, ConvolutionalPass pass, int start, int images, int directions, double[] pooledCotangent,
        double[] patches, double[] cotangents)
    {
        var (ls, pool) = (g.Linear, g.Pool);
        int d = directions, dp = Padded(d), c = ls.Channels, k = ls.PatchSize, windows = pool.Output.Locations, rows = images * windows, cin = ls.Input.Channels;
        int inputSize = (int)ls.Input.Size;
        double[] input = pass.StageInput(g.LinearIndex);
        int[] argMax = pass.ArgMax[g.PoolIndex]!;
        double[]? slopes = g.ActivationIndex >= 0 ? pass.Slopes[g.ActivationIndex] : null;
        Parallel.For(0, images, b =>
        {
            var image = input.AsSpan((start + b) * inputSize, inputSize);
            for (int o = 0; o < windows; o++)
                for (int j = 0; j < c; j++)
                {
                    int row = b * windows + o, a = argMax[((start + b) * windows + o) * c + j];
                    var patch = patches.AsSpan((j * rows + row) * k, k);
                    patch.Clear();
                    for (int t = g.TapStart[a]; t < g.TapStart[a + 1]; t++)
                        for (int q = 0; q < cin; q++) patch[g.Taps[2 * t] + q] = image[g.Taps[2 * t + 1] * cin + q];
                    double slope = slopes is null ? 1 : slopes[(start + b) * (int)ls.Output.Size + a * c + j];
                    var to = cotangents.AsSpan((j * rows + row) * dp, dp);
                    for (int r = 0; r < d; r++) to[r] = slope * pooledCotangent[(row * d + r) * c + j];
                    to[d..].Clear();
                }
        });
    }

    /// <summary>The cotangent of the convolution's input (image, location, direction, input channel) from the selected cotangents.</summary>
    public static void Below(PooledGroup g, ConvolutionalPass pass, double[] parameters, int start, int images, int directions, double[] cotangents, double[] below)
    {
        var (ls, pool) = (g.Linear, g.Pool);
        int d = directions, c = ls.Channels, windows = pool.Output.Locations, rows = images * windows, cin = ls.Input.Channels;
        int dp = Padded(d), belowSize = (int)ls.Input.Size * d;
        int[] argMax = pass.ArgMax[g.PoolIndex]!;
        Parallel.For(0, images, () => new double[(int)ls.Input.Size * dp], (b, _, transposedBelow) =>
        {
            // Accumulated with directions innermost, (location, input channel, direction), then laid out as the tensor.
            Array.Clear(transposedBelow);
            unsafe
            {
                fixed (double* transposed = transposedBelow, w = &parameters[ls.Offset], selected = cotangents)
                fixed (int* taps = g.Taps)
                    for (int o = 0; o < windows; o++)
                        for (int j = 0; j < c; j++)
                        {
                            int row = b * windows + o, a = argMax[((start + b) * windows + o) * c + j];
                            double* gc = selected + ((long)j * rows + row) * dp;
                            for (int t = g.TapStart[a]; t < g.TapStart[a + 1]; t++)
                                for (int q = 0; q < cin; q++) Axpy(w[(taps[2 * t] + q) * c + j], gc, transposed + (taps[2 * t + 1] * cin + q) * dp, dp);
                        }
            }
            Untranspose(transposedBelow, below.AsSpan(b * belowSize, belowSize), ls.Input.Locations, cin, d, dp);
            return transposedBelow;
        }, _ => { });
    }

    /// <summary>target[(l, c, r)] = source[(l, r, c)] for each of the blocks l: (direction, channel) → (channel, direction), the
    /// directions padded to a stride of <paramref name="padded"/> with zeros.</summary>
    private static void Transpose(ReadOnlySpan<double> source, Span<double> target, int blocks, int directions, int channels, int padded)
    {
        for (int l = 0; l < blocks; l++)
        {
            var from = source.Slice(l * directions * channels, directions * channels);
            var to = target.Slice(l * channels * padded, channels * padded);
            for (int c = 0; c < channels; c++)
            {
                for (int r = 0; r < directions; r++) to[c * padded + r] = from[r * channels + c];
                to.Slice(c * padded + directions, padded - directions).Clear();
            }
        }
    }

    /// <summary>The inverse of <see cref="Transpose"/>: (channel, padded direction) → (direction, channel) per block.</summary>
    private static void Untranspose(ReadOnlySpan<double> source, Span<double> target, int blocks, int channels, int directions, int padded)
    {
        for (int l = 0; l < blocks; l++)
        {
            var from = source.Slice(l * channels * padded, channels * padded);
            var to = target.Slice(l * directions * channels, directions * channels);
            for (int r = 0; r < directions; r++)
                for (int c = 0; c < channels; c++) to[r * channels + c] = from[c * padded + r];
        }
    }

    /// <summary>
    /// y ← α·x + y over n doubles, every entry by one fused multiply-add whether it falls in a vector or in the tail, so an
    /// entry's value does not depend on n (a direction computes the same alone or among others).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Axpy(double alpha, double* x, double* y, int n)
    {
        int i = 0;
        if (Lanes512.IsSupported) i = Axpy<Lanes512>(alpha, x, y, n);
        else if (Lanes256.IsSupported) i = Axpy<Lanes256>(alpha, x, y, n);
        for (; i < n; i++) y[i] = Math.FusedMultiplyAdd(alpha, x[i], y[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int Axpy<TV>(double alpha, double* x, double* y, int n) where TV : struct, ILanes<TV>
    {
        int i = 0, w = TV.Count;
        var a = TV.Broadcast(alpha);
        for (; i + w <= n; i += w) TV.Store(TV.MultiplyAdd(a, TV.Load(x + i), TV.Load(y + i)), y + i);
        return i;
    }
}

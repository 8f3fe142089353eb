using System.Runtime.CompilerServices;
using FimVerify.Numeric.Kernels;

namespace FimVerify.Numeric.Classifiers.Convolutional;

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
/// which are memory-bound. Images run in parallel, each in a fixed order, so results do not depend on the thread count; the
/// directions are the innermost index of every sum (padded to whole SIMD registers, <see cref="Padded"/>), and every
/// entry is the same chain of fused multiply-adds whatever D is. The per-image kernels are compiled fully optimised at
/// once (short runs such as the report's would otherwise spend their time in unoptimised first-tier code).
/// </summary>
internal static unsafe class PooledConvolution
{
    /// <summary>
    /// The stride of the direction index in this class's buffers: from one SIMD register's width on, D rounded up to whole
    /// registers (the padding holds zeros), so the sums over the directions are vector operations only; every entry is one
    /// fused multiply-add per term either way, in the same order, so neither the padding nor D changes any value.
    /// </summary>
    public static int Padded(int directions)
    {
        int w = Lanes512.IsSupported ? Lanes512.Count : Lanes256.IsSupported ? Lanes256.Count : 1;
        return directions < w ? directions : (directions + w - 1) / w * w;
    }

    /// <summary>What the per-image kernels of one call share.</summary>
    private sealed record Call(PooledGroup Group, ConvolutionalPass Pass, double[] Parameters, int Start, int Directions)
    {
        public LinearStage Linear { get; } = Group.Linear;
        public int Padded { get; } = PooledConvolution.Padded(Directions);
        public int Windows { get; } = Group.Pool.Output.Locations;
        private readonly int[] _argMax = Pass.ArgMax[Group.PoolIndex]!;
        private readonly double[]? _slopes = Group.ActivationIndex >= 0 ? Pass.Slopes[Group.ActivationIndex] : null;
        private readonly int _channels = Group.Linear.Channels, _outputSize = (int)Group.Linear.Output.Size;

        /// <summary>The location the pooling picked for window o of image b (chunk index) and channel j.</summary>
        public int Picked(int b, int o, int j) => _argMax[((Start + b) * Windows + o) * _channels + j];

        /// <summary>σ'(z) at that location, or 1 without an activation.</summary>
        public double Slope(int b, int a, int j) => _slopes is { } s ? s[(Start + b) * _outputSize + a * _channels + j] : 1;
    }

    /// <summary>
    /// The pooled tangent (image, window, direction, channel) of images [start, start + images): the convolution's own
    /// directions when given (sides: per channel c a (K + 1) × D̃ block, [(c·(K + 1) + k)·D̃ + d] = dW_d[k, c] and row K the
    /// biases db_d[c]), plus the incoming tangent (image, location, direction, input channel) through W.
    /// </summary>
    public static void Tangent(PooledGroup g, ConvolutionalPass pass, double[] parameters, int start, int images, int directions,
        double[]? sides, double[]? inputTangent, double[] output)
    {
        var call = new Call(g, pass, parameters, start, directions);
        var ls = g.Linear;
        int terms = ls.KernelHeight * ls.KernelWidth * ls.Input.Channels + 1;
        Parallel.For(0, images, () => new TangentScratch(call.Padded, inputTangent is null ? 0 : (int)ls.Input.Size * call.Padded, terms),
            (b, _, local) => { TangentImage(call, b, sides, inputTangent, output, local); return local; }, _ => { });
    }

    /// <summary>One worker's buffers for <see cref="Tangent"/>: the sums, the transposed incoming tangent, and the term lists of one output.</summary>
    private sealed class TangentScratch(int padded, int transposed, int terms)
    {
        public double[] Sums { get; } = new double[padded];
        public double[] Transposed { get; } = new double[transposed];
        public double[] OwnAlpha { get; } = new double[terms];
        public int[] OwnRow { get; } = new int[terms];
        public double[] InAlpha { get; } = new double[terms];
        public int[] InRow { get; } = new int[terms];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TangentImage(Call call, int b, double[]? sides, double[]? inputTangent, double[] output, TangentScratch local)
    {
        var (g, ls) = (call.Group, call.Linear);
        int d = call.Directions, dp = call.Padded, c = ls.Channels, k = ls.PatchSize, cin = ls.Input.Channels, windows = call.Windows;
        int inputSize = (int)ls.Input.Size, outputSize = windows * d * c;
        // The incoming tangent with directions innermost, (location, input channel, direction): each term is a row of D̃.
        if (inputTangent is not null) Transpose(inputTangent.AsSpan(b * inputSize * d, inputSize * d), local.Transposed, ls.Input.Locations, d, cin, dp);
        var input = call.Pass.StageInput(call.Group.LinearIndex);
        fixed (double* sums = local.Sums, transposed = local.Transposed, image = &input[(call.Start + b) * inputSize], w = &call.Parameters[ls.Offset], side = sides)
        fixed (double* ownAlpha = local.OwnAlpha, inAlpha = local.InAlpha, target = &output[b * outputSize])
        fixed (int* taps = g.Taps, tapStart = g.TapStart, ownRow = local.OwnRow, inRow = local.InRow)
            for (int o = 0; o < windows; o++)
                for (int j = 0; j < c; j++)
                {
                    int a = call.Picked(b, o, j), own = 0, incoming = 0;
                    if (side is not null)
                    {
                        for (int t = tapStart[a]; t < tapStart[a + 1]; t++)
                            for (int q = 0; q < cin; q++) { ownAlpha[own] = image[taps[2 * t + 1] * cin + q]; ownRow[own++] = (taps[2 * t] + q) * dp; }
                        ownAlpha[own] = 1; ownRow[own++] = k * dp; // the bias row
                    }
                    if (inputTangent is not null)
                        for (int t = tapStart[a]; t < tapStart[a + 1]; t++)
                            for (int q = 0; q < cin; q++) { inAlpha[incoming] = w[(taps[2 * t] + q) * c + j]; inRow[incoming++] = (taps[2 * t + 1] * cin + q) * dp; }
                    SumTerms(sums, dp, ownAlpha, ownRow, own, side is null ? null : side + (long)j * (k + 1) * dp, inAlpha, inRow, incoming, transposed);
                    double slope = call.Slope(b, a, j);
                    double* row = target + o * d * c + j;
                    for (int r = 0; r < d; r++) row[r * c] = slope * sums[r];
                }
    }

    /// <summary>
    /// sums[0..D̃) ← Σ_i α_i·a[aRow_i + ·] + Σ_i β_i·b[bRow_i + ·] (rows of D̃ doubles), the terms in that order, each entry one
    /// chain of fused multiply-adds from zero; two registers of sums are held across all terms.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumTerms(double* sums, int dp, double* alpha, int* aRow, int aCount, double* a, double* beta, int* bRow, int bCount, double* b)
    {
        // Whole registers only: below one 512-bit register's width D̃ = D is not padded, and a D of 5 to 7 must not run on 256-bit ones.
        if (Lanes512.IsSupported && dp % Lanes512.Count == 0) SumTerms<Lanes512>(sums, dp, alpha, aRow, aCount, a, beta, bRow, bCount, b);
        else if (Lanes256.IsSupported && dp % Lanes256.Count == 0) SumTerms<Lanes256>(sums, dp, alpha, aRow, aCount, a, beta, bRow, bCount, b);
        else
            for (int r = 0; r < dp; r++)
            {
                double s = 0;
                for (int i = 0; i < aCount; i++) s = Math.FusedMultiplyAdd(alpha[i], a[aRow[i] + r], s);
                for (int i = 0; i < bCount; i++) s = Math.FusedMultiplyAdd(beta[i], b[bRow[i] + r], s);
                sums[r] = s;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumTerms<TV>(double* sums, int dp, double* alpha, int* aRow, int aCount, double* a, double* beta, int* bRow, int bCount, double* b)
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
                TV.Store(s, sums + r);
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
            TV.Store(s0, sums + r);
            TV.Store(s1, sums + r + w);
        }
    }

    /// <summary>
    /// From the pooled cotangent (image, window, direction, channel) of a chunk: per channel c the selected patches U_c
    /// (window rows × K, [c·rows·K + row·K + k]) and the cotangents at them G_c (window rows × D̃, σ' applied, zero padding).
    /// </summary>
    public static void Select(PooledGroup g, ConvolutionalPass pass, int start, int images, int directions, double[] pooledCotangent,
        double[] patches, double[] cotangents)
    {
        var call = new Call(g, pass, pass.Model.Parameters, start, directions);
        Parallel.For(0, images, b => SelectImage(call, b, images, pooledCotangent, patches, cotangents));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SelectImage(Call call, int b, int images, double[] pooledCotangent, double[] patches, double[] cotangents)
    {
        var (g, ls) = (call.Group, call.Linear);
        int d = call.Directions, dp = call.Padded, c = ls.Channels, k = ls.PatchSize, cin = ls.Input.Channels, windows = call.Windows, rows = images * windows;
        int inputSize = (int)ls.Input.Size;
        var input = call.Pass.StageInput(g.LinearIndex);
        fixed (double* image = &input[(call.Start + b) * inputSize], from = &pooledCotangent[b * windows * d * c], selected = patches, to = cotangents)
        fixed (int* taps = g.Taps, tapStart = g.TapStart)
            for (int o = 0; o < windows; o++)
                for (int j = 0; j < c; j++)
                {
                    int row = b * windows + o, a = call.Picked(b, o, j);
                    double* patch = selected + ((long)j * rows + row) * k;
                    new Span<double>(patch, k).Clear();
                    for (int t = tapStart[a]; t < tapStart[a + 1]; t++)
                        for (int q = 0; q < cin; q++) patch[taps[2 * t] + q] = image[taps[2 * t + 1] * cin + q];
                    double slope = call.Slope(b, a, j);
                    double* gj = to + ((long)j * rows + row) * dp, window = from + o * d * c + j;
                    for (int r = 0; r < d; r++) gj[r] = slope * window[r * c];
                    for (int r = d; r < dp; r++) gj[r] = 0;
                }
    }

    /// <summary>
    /// The weight and bias gradients of a chunk added to sums (per channel c a (K + 1) × D̃ block: row k &lt; K holds
    /// Σ_rows U_c[row, k]·G_c[row, ·], row K the bias gradient Σ_rows G_c[row, ·]), or written when <paramref name="first"/>;
    /// rows in order, so each entry is one chain of fused multiply-adds whatever D is. Channels run in parallel.
    /// </summary>
    public static void Gradients(PooledGroup g, int images, int directions, double[] patches, double[] cotangents, double[] sums, bool first)
    {
        var ls = g.Linear;
        int k = ls.PatchSize, dp = Padded(directions), rows = images * g.Pool.Output.Locations;
        if (first) Array.Clear(sums, 0, ls.Channels * (k + 1) * dp);
        Parallel.For(0, ls.Channels, j => GradientsOfChannel(j, k, dp, rows, patches, cotangents, sums));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientsOfChannel(int j, int k, int dp, int rows, double[] patches, double[] cotangents, double[] sums)
    {
        fixed (double* u = &patches[(long)j * rows * k], gj = &cotangents[(long)j * rows * dp], sj = &sums[(long)j * (k + 1) * dp])
            for (int row = 0; row < rows; row++)
            {
                double* g = gj + (long)row * dp;
                for (int i = 0; i < k; i++) Axpy(u[(long)row * k + i], g, sj + i * dp, dp);
                Axpy(1, g, sj + k * dp, dp);
            }
    }

    /// <summary>The cotangent of the convolution's input (image, location, direction, input channel) from the selected cotangents.</summary>
    public static void Below(PooledGroup g, ConvolutionalPass pass, double[] parameters, int start, int images, int directions, double[] cotangents, double[] below)
    {
        var call = new Call(g, pass, parameters, start, directions);
        Parallel.For(0, images, () => new double[(int)g.Linear.Input.Size * call.Padded],
            (b, _, transposed) => { BelowImage(call, b, images, cotangents, below, transposed); return transposed; }, _ => { });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BelowImage(Call call, int b, int images, double[] cotangents, double[] below, double[] transposedBelow)
    {
        var (g, ls) = (call.Group, call.Linear);
        int d = call.Directions, dp = call.Padded, c = ls.Channels, cin = ls.Input.Channels, windows = call.Windows, rows = images * windows;
        int belowSize = (int)ls.Input.Size * d;
        // Accumulated with directions innermost, (location, input channel, direction), then laid out as the tensor.
        Array.Clear(transposedBelow);
        fixed (double* transposed = transposedBelow, w = &call.Parameters[ls.Offset], selected = cotangents)
        fixed (int* taps = g.Taps, tapStart = g.TapStart)
            for (int o = 0; o < windows; o++)
                for (int j = 0; j < c; j++)
                {
                    int row = b * windows + o, a = call.Picked(b, o, j);
                    double* gj = selected + ((long)j * rows + row) * dp;
                    for (int t = tapStart[a]; t < tapStart[a + 1]; t++)
                        for (int q = 0; q < cin; q++) Axpy(w[(taps[2 * t] + q) * c + j], gj, transposed + (taps[2 * t + 1] * cin + q) * dp, dp);
                }
        Untranspose(transposedBelow, below.AsSpan(b * belowSize, belowSize), ls.Input.Locations, cin, d, dp);
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
    private static void Axpy(double alpha, double* x, double* y, int n)
    {
        int i = 0;
        if (Lanes512.IsSupported) i = Axpy<Lanes512>(alpha, x, y, n);
        else if (Lanes256.IsSupported) i = Axpy<Lanes256>(alpha, x, y, n);
        for (; i < n; i++) y[i] = Math.FusedMultiplyAdd(alpha, x[i], y[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Axpy<TV>(double alpha, double* x, double* y, int n) where TV : struct, ILanes<TV>
    {
        int i = 0, w = TV.Count;
        var a = TV.Broadcast(alpha);
        for (; i + w <= n; i += w) TV.Store(TV.MultiplyAdd(a, TV.Load(x + i), TV.Load(y + i)), y + i);
        return i;
    }
}

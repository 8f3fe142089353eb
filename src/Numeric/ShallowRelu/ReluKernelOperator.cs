using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Operators;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// J of the shallow ReLU network as a matrix-free operator: u ↦ J u with J = D_n κ∘(T) D_n (Lemma 1), never
/// forming J. The upper triangle is swept in T×T tiles: each tile's cos θ_ij come from the unit columns Ŵ,
/// κ is evaluated once per entry and used twice (row and mirrored column), and J_ii = n_i²/2 exactly.
/// Memory is O(d·p + chunks·p), so p = 10⁵ is reachable.
/// Determinism: the tile pairs are split into a fixed number of chunks, each summed sequentially into its own
/// accumulator, and the accumulators are added in chunk order — the same bits for any thread count.
/// <see cref="ApplyBlock"/> serves many vectors with one pass over the κ tiles: each tile is evaluated once into a
/// buffer and applied to all vectors (interleaved, a panel per row) by the register-blocked <see cref="PanelProduct"/>,
/// so the κ evaluations, which dominate a single product, are shared by the whole block.
/// </summary>
public sealed class ReluKernelOperator : ISymmetricOperator
{
    /// <summary>Tile side: Ŵ's d×T slice of a column tile and its accumulator slice stay in L1.</summary>
    public const int TileSize = 256;

    /// <summary>Fixed number of accumulation chunks (independent of the machine, so results are too).</summary>
    public const int Chunks = 32;

    /// <summary>Tile side of <see cref="ApplyBlock"/>: a 128×128 κ tile (128 KiB) stays in L2 and a tile's panel of 24
    /// interleaved vectors (24 KiB) in L1 while <see cref="PanelProduct"/> streams it.</summary>
    public const int BlockTileSize = 128;

    /// <summary>Memory the per-chunk accumulators of <see cref="ApplyBlock"/> may take: at large p·count fewer chunks
    /// (a number fixed by p and count alone, so results stay independent of the machine).</summary>
    public const long BlockAccumulatorBytes = 256L << 20;

    /// <summary>Accumulation chunks of <see cref="ApplyBlock"/> (at most; fixed, like <see cref="Chunks"/>): each holds a p × width
    /// panel, so fewer than for one vector.</summary>
    public const int BlockChunks = 8;

    private readonly int _d, _p;
    private readonly double[] _unitColumns; // Ŵ, row-major d×p
    private readonly double[] _norms;
    private readonly (int I, int J)[] _tilePairs;
    private readonly int _maxDegreeOfParallelism;

    public ReluKernelOperator(ShallowReluNetwork network, int maxDegreeOfParallelism = -1)
    {
        _d = network.D; _p = network.P;
        _norms = (double[])network.ColumnNorms.Clone();
        foreach (var n in _norms) if (!double.IsFinite(n)) throw new NumericalException("the weights have a non-finite entry");
        _unitColumns = new double[_d * _p];
        for (int l = 0; l < _d; l++)
            for (int i = 0; i < _p; i++)
                _unitColumns[l * _p + i] = _norms[i] > 0 ? network.Weight(l, i) / _norms[i] : 0; // a zero column contributes nothing: n_i = 0
        int tiles = (_p + TileSize - 1) / TileSize;
        _tilePairs = [.. from I in Enumerable.Range(0, tiles) from J in Enumerable.Range(I, tiles - I) select (I, J)];
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    public int Dimension => _p;

    /// <summary>diag J: J_ii = n_i²/2 (κ(1) = 1/2).</summary>
    public double[] Diagonal() => _norms.Select(n => n * n / 2).ToArray();

    /// <summary>tr J = ‖W‖_F²/2, in O(p).</summary>
    public double Trace()
    {
        double s = 0;
        foreach (var n in _norms) s += n * n;
        return s / 2;
    }

    public void Apply(ReadOnlySpan<double> source, Span<double> destination)
    {
        if (source.Length != _p || destination.Length != _p) throw new ArgumentException($"vectors must have length {_p}");
        var scaled = new double[_p]; // ũ = D_n u
        for (int i = 0; i < _p; i++) scaled[i] = _norms[i] * source[i];
        int chunks = Math.Min(Chunks, _tilePairs.Length);
        var partial = new double[chunks][];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism }, c =>
        {
            var acc = new double[_p];
            int first = (int)((long)c * _tilePairs.Length / chunks), last = (int)((long)(c + 1) * _tilePairs.Length / chunks);
            for (int t = first; t < last; t++)
            {
                var (I, J) = _tilePairs[t];
                int i0 = I * TileSize, i1 = Math.Min(_p, i0 + TileSize);
                int j0 = J * TileSize, j1 = Math.Min(_p, j0 + TileSize);
                for (int i = i0; i < i1; i++)
                {
                    int from = I == J ? i + 1 : j0; // strict upper triangle; the diagonal is exact below
                    if (from < j1) acc[i] += ReluKernel.KappaRow(_unitColumns, _d, _p, i, from, j1, scaled, acc);
                }
            }
            partial[c] = acc;
        });
        for (int i = 0; i < _p; i++)
        {
            double s = 0.5 * scaled[i];
            for (int c = 0; c < chunks; c++) s += partial[c][i];
            destination[i] = _norms[i] * s;
            if (!double.IsFinite(destination[i])) throw new NumericalException("J·u has a non-finite entry");
        }
    }

    /// <summary>
    /// destination ← J·source for <paramref name="count"/> vectors (vector c at [c·p, (c+1)·p)) in one sweep of the upper
    /// triangle: per tile pair (I, J) the κ tile K is computed once, then Y_I += K·Ũ_J and Y_J += Kᵀ·Ũ_I for all vectors
    /// (Ũ = D_n U, interleaved and zero-padded to the panel width). Diagonal tiles are applied whole, with K_ii = κ(1) = 1/2
    /// exactly. Chunked accumulation as in <see cref="Apply"/>: the same bits for any thread count.
    /// </summary>
    public void ApplyBlock(ReadOnlySpan<double> source, Span<double> destination, int count)
    {
        int p = _p;
        if (count < 0 || source.Length < (long)count * p || destination.Length < (long)count * p)
            throw new ArgumentException($"source and destination must hold {count} vectors of length {p}");
        if (count == 0) return;
        if (count == 1) { Apply(source[..p], destination[..p]); return; }
        int panel = PanelProduct.Width;
        int width = (count + panel - 1) / panel * panel;
        var scaled = new double[(long)p * width]; // Ũ, row i holds n_i·u_c[i] for every vector c
        for (int c = 0; c < count; c++)
        {
            var u = source.Slice(c * p, p);
            for (int i = 0; i < p; i++) scaled[(long)i * width + c] = _norms[i] * u[i];
        }
        const int T = BlockTileSize;
        int tiles = (p + T - 1) / T;
        int pairs = tiles * (tiles + 1) / 2;
        long accumulatorBytes = (long)p * width * sizeof(double);
        int chunks = (int)Math.Clamp(BlockAccumulatorBytes / accumulatorBytes, 1, Math.Min(BlockChunks, pairs));
        var partial = new double[chunks][];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism }, chunk =>
        {
            var acc = new double[(long)p * width];
            var tile = new double[T * T];
            long first = (long)chunk * pairs / chunks, last = (long)(chunk + 1) * pairs / chunks;
            var (I, J) = PairAt(first, tiles);
            for (long t = first; t < last; t++)
            {
                int i0 = I * T, rows = Math.Min(T, p - i0), j0 = J * T, cols = Math.Min(T, p - j0);
                ReluKernel.KappaTile(_unitColumns, _d, p, i0, rows, j0, cols, tile, T);
                var uI = scaled.AsSpan(i0 * width, rows * width);
                var yI = acc.AsSpan(i0 * width, rows * width);
                if (I == J)
                {
                    for (int r = 0; r < rows; r++) tile[r * T + r] = 0.5;
                    PanelProduct.Accumulate(tile, T, 1, rows, cols, uI, yI, width, width);
                }
                else
                {
                    PanelProduct.Accumulate(tile, T, 1, rows, cols, scaled.AsSpan(j0 * width, cols * width), yI, width, width);
                    PanelProduct.Accumulate(tile, 1, T, cols, rows, uI, acc.AsSpan(j0 * width, cols * width), width, width);
                }
                if (++J == tiles) { I++; J = I; }
            }
            partial[chunk] = acc;
        });
        // Chunk sums added in chunk order (into chunk 0's accumulator), rows split over threads: the same bits for any thread count.
        var total = partial[0];
        int rowBlocks = (p + 255) / 256;
        Parallel.For(0, rowBlocks, new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism }, b =>
        {
            int start = b * 256 * width, length = (Math.Min(p, (b + 1) * 256) - b * 256) * width;
            for (int k = 1; k < chunks; k++)
            {
                var from = partial[k].AsSpan(start, length);
                var to = total.AsSpan(start, length);
                for (int e = 0; e < length; e++) to[e] += from[e];
            }
        });
        bool finite = true;
        for (int i = 0; i < p; i++)
        {
            var row = total.AsSpan(i * width, count);
            for (int c = 0; c < count; c++)
            {
                double y = _norms[i] * row[c];
                destination[c * p + i] = y;
                finite &= double.IsFinite(y);
            }
        }
        if (!finite) throw new NumericalException("J·u has a non-finite entry");
    }

    /// <summary>The tile pair with index <paramref name="index"/> in the order (0,0), (0,1), …, (0,T−1), (1,1), …</summary>
    private static (int I, int J) PairAt(long index, int tiles)
    {
        int I = 0;
        while (index >= tiles - I) { index -= tiles - I; I++; }
        return (I, I + (int)index);
    }
}

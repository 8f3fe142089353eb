using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Models;

namespace FimVerify.Numeric.Operators;

/// <summary>
/// J of the shallow ReLU network as a matrix-free operator: u ↦ J u with J = D_n κ∘(T) D_n (Lemma 1), never
/// forming J. The upper triangle is swept in T×T tiles: each tile's cos θ_ij come from the unit columns Ŵ,
/// κ is evaluated once per entry and used twice (row and mirrored column), and J_ii = n_i²/2 exactly.
/// Memory is O(d·p + chunks·p), so p = 10⁵ is reachable.
/// Determinism: the tile pairs are split into a fixed number of chunks, each summed sequentially into its own
/// accumulator, and the accumulators are added in chunk order — the same bits for any thread count.
/// </summary>
public sealed class ReluKernelOperator : ISymmetricOperator
{
    /// <summary>Tile side: Ŵ's d×T slice of a column tile and its accumulator slice stay in L1.</summary>
    public const int TileSize = 256;

    /// <summary>Fixed number of accumulation chunks (independent of the machine, so results are too).</summary>
    public const int Chunks = 32;

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
}

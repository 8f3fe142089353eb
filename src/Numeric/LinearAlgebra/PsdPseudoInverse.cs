namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// Moore–Penrose pseudo-inverse of a small symmetric positive semi-definite matrix (a Gram K = X Xᵀ) by its
/// eigen-decomposition, dropping eigenvalues below <see cref="Tolerance"/>(n)·λ_max. This is the
/// zero-damping limit lim_{ρ→0} (K + ρI)⁻¹ restricted to range(K), the limit natural gradient takes.
/// </summary>
public sealed class PsdPseudoInverse
{
    /// <summary>
    /// Eigenvalues below this fraction of the largest count as zero: 100·n·ε, a hundred times the rounding level
    /// of a symmetric eigen-solver, so exact zeros (a ReLU unit that is off, a rank-one Gram) are dropped and
    /// everything the data can resolve is kept.
    /// </summary>
    public static double Tolerance(int n) => 100.0 * Math.Max(n, 1) * 2.220446049250313e-16;

    private readonly double[] _vectors; // rank × n, row j the eigenvector of _values[j]
    private readonly double[] _values;

    public int N { get; }
    /// <summary>Numerical rank: eigenvalues above the tolerance.</summary>
    public int Rank => _values.Length;

    public PsdPseudoInverse(SymmetricMatrix k)
    {
        N = k.N;
        var d = DenseSymmetricEigen.Decompose(k);
        double top = d.Values.Length == 0 ? 0 : Math.Max(d.Values[^1], 0);
        var keep = Enumerable.Range(0, N).Where(j => d.Values[j] > Tolerance(N) * top && top > 0).ToArray();
        _values = keep.Select(j => d.Values[j]).ToArray();
        _vectors = new double[keep.Length * N];
        for (int r = 0; r < keep.Length; r++) Array.Copy(d.Vectors!, keep[r] * N, _vectors, r * N, N);
    }

    /// <summary>K⁺ v.</summary>
    public double[] Apply(ReadOnlySpan<double> v)
    {
        var result = new double[N];
        for (int r = 0; r < Rank; r++)
        {
            var u = _vectors.AsSpan(r * N, N);
            double c = 0;
            for (int i = 0; i < N; i++) c += u[i] * v[i];
            c /= _values[r];
            for (int i = 0; i < N; i++) result[i] += c * u[i];
        }
        return result;
    }

    /// <summary>K⁺ as a dense matrix.</summary>
    public SymmetricMatrix Inverse() => Sum(r => 1 / _values[r]);

    /// <summary>K K⁺: the orthogonal projector onto range(K).</summary>
    public SymmetricMatrix Projector() => Sum(_ => 1);

    private SymmetricMatrix Sum(Func<int, double> weight)
    {
        var m = new SymmetricMatrix(N);
        for (int r = 0; r < Rank; r++)
        {
            var u = _vectors.AsSpan(r * N, N);
            double w = weight(r);
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) m.Data[i * N + j] += w * u[i] * u[j];
        }
        return m;
    }
}

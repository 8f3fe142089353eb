using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// UJUᵀ for a few vectors u_a ∈ R^p without forming J: row i of J is n_i n_k κ(t_ik), built on the fly from the
/// normalised columns (d axpys and the SIMD κ kernel), contracted with every u_a, and discarded. O(p² (d + m)) time,
/// O(p·m) memory, so p = 10⁵ fits. Rows are grouped in fixed blocks whose partial sums are added in block order,
/// so the result is the same for any thread count.
/// </summary>
public static class ReluKernelQuadraticForms
{
    public const int RowsPerBlock = 64;

    /// <summary>Q_ab = u_a J u_bᵀ for the given vectors (each of length p).</summary>
    public static SymmetricMatrix Compute(ShallowReluNetwork net, IReadOnlyList<double[]> vectors, int maxDegreeOfParallelism = -1)
    {
        int p = net.P, d = net.D, m = vectors.Count;
        foreach (var v in vectors)
            if (v.Length != p) throw new ArgumentException($"every vector must have length p = {p}");
        var n = net.ColumnNorms;
        var unit = new double[d * p];   // rows of W with every column normalised: unit[l, i] = W_li / n_i
        for (int l = 0; l < d; l++)
            for (int i = 0; i < p; i++)
                unit[l * p + i] = n[i] > 0 ? net.Weight(l, i) / n[i] : throw new NumericalException("a column of W is zero");
        var scaled = new double[m][];   // n_k u_a[k]: folds the right-hand D_n into the vectors
        for (int a = 0; a < m; a++)
        {
            scaled[a] = new double[p];
            for (int k = 0; k < p; k++) scaled[a][k] = n[k] * vectors[a][k];
        }
        int blocks = (p + RowsPerBlock - 1) / RowsPerBlock;
        var partial = new double[blocks][];
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => new double[p],
            (b, _, row) =>
            {
                var q = new double[m * m];
                int end = Math.Min(p, (b + 1) * RowsPerBlock);
                var y = new double[m];
                for (int i = b * RowsPerBlock; i < end; i++)
                {
                    var r = row.AsSpan();
                    r.Clear();
                    for (int l = 0; l < d; l++) Dot.Axpy(unit[l * p + i], unit.AsSpan(l * p, p), r);
                    ReluKernel.Kappa(r, r);
                    for (int a = 0; a < m; a++) y[a] = n[i] * Dot.Product(r, scaled[a]);   // (J u_a)_i
                    for (int a = 0; a < m; a++)
                        for (int c = 0; c < m; c++) q[a * m + c] += vectors[a][i] * y[c];
                }
                partial[b] = q;
                return row;
            },
            _ => { });
        var result = new SymmetricMatrix(m);
        foreach (var q in partial)
            for (int k = 0; k < m * m; k++) result.Data[k] += q[k];
        for (int a = 0; a < m; a++)
            for (int c = a + 1; c < m; c++)
                result[a, c] = result[c, a] = 0.5 * (result[a, c] + result[c, a]);
        if (result.HasNonFinite()) throw new NumericalException("a quadratic form u J uᵀ is not finite");
        return result;
    }

    /// <summary>The slow twin: UJUᵀ from a dense J.</summary>
    public static SymmetricMatrix FromDense(SymmetricMatrix j, IReadOnlyList<double[]> vectors)
    {
        int m = vectors.Count;
        var ju = vectors.Select(v => { var y = new double[j.N]; for (int i = 0; i < j.N; i++) y[i] = Dot.Product(j.Row(i), v); return y; }).ToArray();
        var result = new SymmetricMatrix(m);
        for (int a = 0; a < m; a++)
            for (int c = a; c < m; c++)
                result[a, c] = result[c, a] = 0.5 * (Dot.Product(vectors[a], ju[c]) + Dot.Product(vectors[c], ju[a]));
        return result;
    }
}

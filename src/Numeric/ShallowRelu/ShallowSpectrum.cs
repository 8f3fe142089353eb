using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>One eigenvalue of J with where Theorem 2 puts it and how much of its eigenvector lies in each group's span.</summary>
/// <param name="Rank">1-based rank, descending.</param>
/// <param name="Group">The group by rank: 1 → Mean, 2..d+1 → Linear, d+2..M−1 → Pair/Diagonal (quadratic), ≥ M → null (remainder).</param>
/// <param name="TheoremLevel">The group's Theorem 2 coefficient ((2d+1)/(4π), 1/4, 1/(2πd)); 0 for the remainder.</param>
/// <param name="LimitLevel">The p → ∞ eigenvalue Λ_k of the harmonic degree k the rank falls in (see <see cref="LimitSpectrum"/>).</param>
/// <param name="Overlaps">‖P_g e‖² for the mean, linear and quadratic spans (orthonormalised direction vectors).</param>
public sealed record RankedEigenvalue(int Rank, double Value, DirectionGroup? Group, double TheoremLevel, double LimitLevel, int LimitDegree, double[] Overlaps);

/// <summary>The leading spectrum of J (or J⁽ⁿ⁾) labelled by Theorem 2's groups.</summary>
public static class ShallowSpectrum
{
    /// <summary>The dense path's solver: <see cref="Ranked"/> takes the top eigenpairs by <see cref="DenseSymmetricEigen.Top"/>.</summary>
    public static string Backend => DenseSymmetricEigen.TopBackend;

    /// <summary>How <see cref="RankedMatrixFree"/> finds the eigenpairs (for outputs).</summary>
    public const string MatrixFreeMethod = "block Lanczos on J matrix-free (full reorthogonalisation, residuals ≤ 1e-10·‖J‖)";

    /// <summary>The top eigenpairs of a dense J (or J⁽ⁿ⁾), labelled.</summary>
    public static IReadOnlyList<RankedEigenvalue> Ranked(ShallowReluNetwork net, SymmetricMatrix j, int top)
    {
        if (j.HasNonFinite()) throw new NumericalException("the matrix has a non-finite entry");
        top = Math.Min(top, j.N);
        var evd = DenseSymmetricEigen.Top(j, top, computeVectors: true);   // descending, eigenvector r in row r
        return Label(net, evd.Values, evd.Vectors!, top);
    }

    /// <summary>The top eigenpairs of J without forming it (<see cref="BlockLanczosSolver"/> on <see cref="ReluKernelOperator"/>), labelled.</summary>
    public static IReadOnlyList<RankedEigenvalue> RankedMatrixFree(ShallowReluNetwork net, int top, Random.SeedSequence seed)
    {
        top = Math.Min(top, net.P);
        var r = BlockLanczosSolver.TopEigenpairs(new ReluKernelOperator(net), top, seed.Child("spectrum-lanczos"),
            new BlockLanczosOptions(ComputeVectors: true));
        return Label(net, r.Values, r.Vectors!, top);
    }

    private static IReadOnlyList<RankedEigenvalue> Label(ShallowReluNetwork net, double[] values, double[] vectors, int top)
    {
        int p = net.P, d = net.D, m = DirectionVectors.Count(d);
        var dirs = DirectionVectors.Of(net);
        var spans = new[]
        {
            Orthonormal(dirs.InGroup(DirectionGroup.Mean)),
            Orthonormal(dirs.InGroup(DirectionGroup.Linear)),
            Orthonormal(dirs.InGroup(DirectionGroup.Pair).Concat(dirs.InGroup(DirectionGroup.Diagonal))),
        };
        // Degrees by rank from the limit multiplicities (odd degrees ≥ 3 have Λ = 0 and sit in the tail).
        var degreeOfRank = new List<int>();
        for (int k = 0; degreeOfRank.Count < top && k < 64; k += k < 2 ? 1 : 2)
            for (long c = 0; c < LimitSpectrum.Multiplicity(d, k) && degreeOfRank.Count < top; c++) degreeOfRank.Add(k);
        var levels = new Dictionary<int, double>();
        var result = new List<RankedEigenvalue>(top);
        for (int r = 0; r < top; r++)
        {
            var e = vectors.AsSpan(r * p, p).ToArray();
            var overlaps = spans.Select(basis => basis.Sum(b => { double s = Kernels.Dot.Product(b, e); return s * s; })).ToArray();
            int rank = r + 1;
            DirectionGroup? group = rank == 1 ? DirectionGroup.Mean : rank <= d + 1 ? DirectionGroup.Linear : rank <= m - 1 ? DirectionGroup.Pair : null;
            double theorem = group is DirectionGroup g ? Theorem2Levels.Of(g, d) : 0.0;
            int degree = r < degreeOfRank.Count ? degreeOfRank[r] : -1;
            double limit = degree < 0 ? 0.0 : levels.TryGetValue(degree, out var l) ? l : levels[degree] = LimitSpectrum.Level(d, degree);
            result.Add(new RankedEigenvalue(rank, values[r], group, theorem, limit, degree, overlaps));
        }
        return result;
    }

    /// <summary>Gram–Schmidt (twice, for stability), dropping directions that are dependent (the v^(γ) sum to zero).</summary>
    private static List<double[]> Orthonormal(IEnumerable<DirectionVector> vectors)
    {
        var basis = new List<double[]>();
        foreach (var v in vectors)
        {
            var w = (double[])v.Values.Clone();
            double original = Math.Sqrt(Kernels.Dot.Product(w, w));
            for (int pass = 0; pass < 2; pass++)
                foreach (var b in basis)
                {
                    double s = Kernels.Dot.Product(b, w);
                    for (int i = 0; i < w.Length; i++) w[i] -= s * b[i];
                }
            double norm = Math.Sqrt(Kernels.Dot.Product(w, w));
            if (norm <= 1e-10 * original) continue;
            for (int i = 0; i < w.Length; i++) w[i] /= norm;
            basis.Add(w);
        }
        return basis;
    }
}

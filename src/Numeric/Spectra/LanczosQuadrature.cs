using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.Spectra;

/// <summary>
/// The Gauss quadrature rule of one SLQ probe: Lanczos from the given normalised start vector (float64, full
/// reorthogonalisation, stopping at an invariant subspace), then the eigenpairs (τ_k, y_k) of the symmetric
/// tridiagonal T, nodes τ_k and weights y_k[0]² — the square of the first component, once (MATH.md §3's
/// pitfall is squaring it again, or taking eigenvectors from a non-symmetric solver).
/// The recurrence is here, not in <see cref="LanczosSolver"/>, because SLQ needs the coefficients from a given
/// probe and must stop (not restart) at an invariant subspace, where the rule is already exact; top-k
/// eigenvalues come from <see cref="LanczosSolver"/>.
/// </summary>
public static class LanczosQuadrature
{
    public static QuadratureRule FromStart(ISymmetricOperator op, ReadOnlySpan<double> start, int steps)
    {
        var (alpha, beta) = Tridiagonal(op, start, steps);
        return FromTridiagonal(alpha, beta);
    }

    /// <summary>
    /// Lanczos coefficients α_1..α_j (diagonal) and β_1..β_{j−1} (off-diagonal) for j ≤ steps; j &lt; steps when
    /// the Krylov space became invariant (β below 1e-12 of the operator's scale seen so far).
    /// </summary>
    public static (double[] Alpha, double[] Beta) Tridiagonal(ISymmetricOperator op, ReadOnlySpan<double> start, int steps)
    {
        int n = op.Dimension;
        if (start.Length != n) throw new ArgumentException($"the start vector must have length {n}");
        if (steps < 1 || steps > n) throw new ArgumentException($"Lanczos steps must lie between 1 and the dimension {n}");
        double norm = Math.Sqrt(Dot.Product(start, start));
        if (!(norm > 0) || !double.IsFinite(norm)) throw new ArgumentException("the Lanczos start vector must be non-zero and finite");
        var basis = new List<double[]>(steps);
        var alpha = new List<double>(steps);
        var beta = new List<double>(steps);
        var q = new double[n];
        for (int i = 0; i < n; i++) q[i] = start[i] / norm;
        var w = new double[n];
        double scale = 0;
        for (int j = 0; j < steps; j++)
        {
            basis.Add(q);
            op.Apply(q, w);
            double a = Dot.Product(q, w);
            if (!double.IsFinite(a)) throw new NumericalException($"Lanczos step {j} produced a non-finite Rayleigh quotient");
            alpha.Add(a);
            if (j == steps - 1) break;
            // Full reorthogonalisation against every basis vector so far (modified Gram–Schmidt: each q_i is
            // read twice back to back, so it streams from memory once); a second sweep only when the first
            // cancelled most of w (Kahan–Parlett "twice is enough" test), which is when orthogonality is at risk.
            Dot.Axpy(-a, q, w); // the three-term recurrence first, so that the sweeps only remove rounding
            if (j > 0) Dot.Axpy(-beta[j - 1], basis[j - 1], w);
            double before = Math.Sqrt(Dot.Product(w, w));
            foreach (var b in basis) Dot.Axpy(-Dot.Product(b, w), b, w);
            double bnorm = Math.Sqrt(Dot.Product(w, w));
            if (bnorm < 0.7 * before)
            {
                foreach (var b in basis) Dot.Axpy(-Dot.Product(b, w), b, w);
                bnorm = Math.Sqrt(Dot.Product(w, w));
            }
            scale = Math.Max(scale, Math.Abs(a) + bnorm);
            if (bnorm <= 1e-12 * Math.Max(scale, double.Epsilon)) break; // invariant subspace: the rule is exact
            beta.Add(bnorm);
            q = new double[n];
            for (int i = 0; i < n; i++) q[i] = w[i] / bnorm;
        }
        return (alpha.ToArray(), beta.ToArray());
    }

    /// <summary>Nodes and weights from a symmetric tridiagonal matrix (diagonal α, off-diagonal β), by the shared tridiagonal QL solver.</summary>
    public static QuadratureRule FromTridiagonal(double[] alpha, double[] beta)
    {
        if (beta.Length != alpha.Length - 1) throw new ArgumentException("a tridiagonal of order m has m − 1 off-diagonal entries");
        var eigen = TridiagonalEigen.Decompose(alpha, beta);
        return new QuadratureRule(eigen.Values, eigen.FirstComponents.Select(y => y * y).ToArray());
    }
}

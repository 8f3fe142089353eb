using FimVerify.Numeric.Operators;
using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.Spectra;

/// <summary>
/// The Gauss quadrature rule of one SLQ probe: the Lanczos coefficients from the normalised start vector
/// (<see cref="LanczosSolver.Tridiagonalise(ISymmetricOperator, ReadOnlySpan{double}, int)"/>: float64, full
/// reorthogonalisation, stopping at an invariant subspace), then the eigenpairs (τ_k, y_k) of the symmetric
/// tridiagonal T, nodes τ_k and weights y_k[0]² — the square of the first component, once (MATH.md §3's
/// pitfall is squaring it again, or taking eigenvectors from a non-symmetric solver).
/// </summary>
public static class LanczosQuadrature
{
    public static QuadratureRule FromStart(ISymmetricOperator op, ReadOnlySpan<double> start, int steps) =>
        FromTridiagonal(LanczosSolver.Tridiagonalise(op, start, steps));

    /// <summary>Nodes and weights from Lanczos coefficients, by the shared tridiagonal QL solver.</summary>
    public static QuadratureRule FromTridiagonal(LanczosTridiagonal t) => FromTridiagonal(t.Alpha, t.Beta);

    /// <summary>Nodes and weights from a symmetric tridiagonal matrix (diagonal α, off-diagonal β), by the shared tridiagonal QL solver.</summary>
    public static QuadratureRule FromTridiagonal(double[] alpha, double[] beta)
    {
        if (beta.Length != alpha.Length - 1) throw new ArgumentException("a tridiagonal of order m has m − 1 off-diagonal entries");
        var eigen = TridiagonalEigen.Decompose(alpha, beta);
        return new QuadratureRule(eigen.Values, eigen.FirstComponents.Select(y => y * y).ToArray());
    }
}

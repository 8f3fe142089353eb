using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// What the statistics read from one trial's matrix, each as an interval certain to contain it: exact values (width zero)
/// from a dense matrix, or certified bounds (e.g. from a low-rank truncation of J with its remainder bounded).
/// </summary>
public interface IMatrixMeasurement
{
    /// <summary>N, the number of eigenvalues of the matrix (P for a Fisher matrix measured through its CT×CT dual).</summary>
    long Dimension { get; }
    CertifiedInterval Trace();
    /// <summary>Σλ² (the squared Frobenius norm).</summary>
    CertifiedInterval SumOfSquares();
    /// <summary>λ_k, descending, 1-based, k ≤ <see cref="Dimension"/>.</summary>
    CertifiedInterval Eigenvalue(int k);
    /// <summary>The smallest u M uᵀ over the unit directions of a group (models without named directions refuse).</summary>
    CertifiedInterval Rayleigh(string group);

    /// <summary>
    /// max |M_ab − center| over the entries with a in a group of <paramref name="rows"/> and b in one of <paramref name="columns"/>,
    /// a ≠ b (null columns: the diagonal entries M_aa of the rows' groups). Only matrices whose indices are named groups have it.
    /// </summary>
    CertifiedInterval EntryDeviation(IReadOnlyList<string> rows, IReadOnlyList<string>? columns, double center) =>
        throw new ArgumentException("this matrix has no named index groups");
}

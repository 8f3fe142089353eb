using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// Exact statistics of a dense symmetric matrix (a CT×CT dual of a Fisher matrix, or J itself): the trace from the diagonal,
/// Σλ² from the entries, the eigenvalues by the dense solver on first use. <paramref name="dimension"/> is the order of the
/// matrix the statistics speak of: a dual of order n holds its n largest eigenvalues, the other N − n are zero.
/// </summary>
public sealed class DenseMatrixMeasurement : IMatrixMeasurement
{
    private readonly SymmetricMatrix _matrix;
    private readonly Func<string, CertifiedInterval>? _rayleigh;
    private double[]? _descending;

    public DenseMatrixMeasurement(SymmetricMatrix matrix, long dimension, Func<string, CertifiedInterval>? rayleigh = null)
    {
        if (matrix.HasNonFinite()) throw new NumericalException("the matrix has a non-finite entry");
        if (dimension < matrix.N) throw new ArgumentException($"a matrix of order {matrix.N} has more eigenvalues than its dimension {dimension}");
        _matrix = matrix; Dimension = dimension; _rayleigh = rayleigh;
    }

    public long Dimension { get; }

    public CertifiedInterval Trace() => Exact(_matrix.Trace());

    public CertifiedInterval SumOfSquares()
    {
        double s = 0;
        foreach (double x in _matrix.Data) s += x * x;
        return Exact(s);
    }

    public CertifiedInterval Eigenvalue(int k)
    {
        if (k < 1 || k > Dimension) throw new ArgumentOutOfRangeException(nameof(k), $"eigenvalues are numbered 1 … {Dimension}");
        _descending ??= DenseSymmetricEigen.Eigenvalues(_matrix).Reverse().ToArray();
        return Exact(k <= _descending.Length ? _descending[k - 1] : 0.0);
    }

    public CertifiedInterval Rayleigh(string group) =>
        _rayleigh is null ? throw new ArgumentException("this matrix has no named directions") : _rayleigh(group);

    private static CertifiedInterval Exact(double x) =>
        double.IsFinite(x) ? new CertifiedInterval(x, x) : throw new NumericalException($"a statistic of the matrix is not finite ({x})");
}

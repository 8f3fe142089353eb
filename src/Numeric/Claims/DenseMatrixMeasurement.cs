using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// Exact statistics of a dense symmetric matrix (a CT×CT dual of a Fisher matrix, or J itself), read from its
/// <see cref="MeasuredSpectrum"/> (the report's measurement too): the trace from the diagonal, Σλ² from the entries, the top
/// eigenvalues certified without the whole spectrum where that can be proved, densely otherwise. <paramref name="dimension"/> is the order of the
/// matrix the statistics speak of: a dual of order n holds its n largest eigenvalues, the other N − n are zero.
/// </summary>
public sealed class DenseMatrixMeasurement : IMatrixMeasurement
{
    private readonly MeasuredSpectrum _spectrum;
    private readonly Func<string, CertifiedInterval>? _rayleigh;
    private readonly int _eigenvaluesNeeded;

    /// <param name="eigenvaluesNeeded">The most eigenvalues the statistic will read (<see cref="Statistic.EigenvaluesNeeded"/>), so the
    /// first call certifies them all at once (the top k with a gap after them, rather than λ₁ alone).</param>
    public DenseMatrixMeasurement(SymmetricMatrix matrix, long dimension, Func<string, CertifiedInterval>? rayleigh = null, int eigenvaluesNeeded = 0)
    {
        if (matrix.HasNonFinite()) throw new NumericalException("the matrix has a non-finite entry");
        if (dimension < matrix.N) throw new ArgumentException($"a matrix of order {matrix.N} has more eigenvalues than its dimension {dimension}");
        _spectrum = MeasuredSpectrum.Of(matrix, dimension); Dimension = dimension; _rayleigh = rayleigh; _eigenvaluesNeeded = eigenvaluesNeeded;
    }

    public long Dimension { get; }

    public CertifiedInterval Trace() => Exact(_spectrum.Trace);

    public CertifiedInterval SumOfSquares() => Exact(_spectrum.SumOfSquares);

    public CertifiedInterval Eigenvalue(int k)
    {
        if (k < 1 || k > Dimension) throw new ArgumentOutOfRangeException(nameof(k), $"eigenvalues are numbered 1 … {Dimension}");
        if (k > _spectrum.Order) return Exact(0.0);
        return Exact(_spectrum.Top(Math.Min(_spectrum.Order, Math.Max(k, _eigenvaluesNeeded)))[k - 1]);
    }

    public CertifiedInterval Rayleigh(string group) =>
        _rayleigh is null ? throw new ArgumentException("this matrix has no named directions") : _rayleigh(group);

    private static CertifiedInterval Exact(double x) =>
        double.IsFinite(x) ? new CertifiedInterval(x, x) : throw new NumericalException($"a statistic of the matrix is not finite ({x})");
}

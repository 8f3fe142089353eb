using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// A small dense symmetric matrix whose indices belong to named groups (the Gram matrix of Theorem 3's direction vectors: v0, W,
/// pair, diag): the spectral statistics of <see cref="DenseMatrixMeasurement"/>, and the largest deviation of a block of entries
/// from a centre (Lemma 2's |‖v‖² − 1| ≤ δ, |v·v'| ≤ δ). Entries are exact, so every interval has width zero.
/// </summary>
public sealed class GroupedMatrixMeasurement(SymmetricMatrix matrix, IReadOnlyList<string> groupOfIndex) : IMatrixMeasurement
{
    private readonly DenseMatrixMeasurement _spectrum = new(matrix, matrix.N);

    /// <summary>Every group any index belongs to ("*" in a statistic stands for all of them).</summary>
    public IReadOnlyList<string> Groups { get; } = groupOfIndex.Distinct().ToList();

    public long Dimension => _spectrum.Dimension;
    public CertifiedInterval Trace() => _spectrum.Trace();
    public CertifiedInterval SumOfSquares() => _spectrum.SumOfSquares();
    public CertifiedInterval Eigenvalue(int k) => _spectrum.Eigenvalue(k);
    public CertifiedInterval Rayleigh(string group) => throw new ArgumentException("this matrix has no named directions");

    public CertifiedInterval EntryDeviation(IReadOnlyList<string> rows, IReadOnlyList<string>? columns, double center)
    {
        bool Member(IReadOnlyList<string> groups, int i) => groups.Contains("*") || groups.Contains(groupOfIndex[i]);
        double worst = double.NegativeInfinity;
        int n = matrix.N;
        for (int a = 0; a < n; a++)
        {
            if (!Member(rows, a)) continue;
            if (columns is null) { worst = Math.Max(worst, Math.Abs(matrix[a, a] - center)); continue; }
            for (int b = 0; b < n; b++)
                if (b != a && Member(columns, b)) worst = Math.Max(worst, Math.Abs(matrix[a, b] - center));
        }
        if (double.IsNegativeInfinity(worst)) throw new ArgumentException($"no entry of the matrix lies in the groups {string.Join("+", rows)}{(columns is null ? "" : "/" + string.Join("+", columns))}");
        if (!double.IsFinite(worst)) throw new NumericalException($"an entry deviation of the matrix is not finite ({worst})");
        return new CertifiedInterval(worst, worst);
    }
}

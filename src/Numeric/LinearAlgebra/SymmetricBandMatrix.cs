namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// A symmetric n×n band matrix of bandwidth b (A[i, j] = 0 for |i − j| &gt; b), upper band stored row by row: row i holds
/// A[i, i..i+b] at Data[i·(b + 1) ..], zero past the last column. This is LAPACK's lower band storage (AB(1 + i − j, j) with
/// LDAB = b + 1) read column-major, so it goes to dsytrd_sb2st as it is.
/// </summary>
public sealed class SymmetricBandMatrix
{
    public int N { get; }
    public int Bandwidth { get; }
    public double[] Data { get; }

    public SymmetricBandMatrix(int n, int bandwidth)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (bandwidth < 0) throw new ArgumentOutOfRangeException(nameof(bandwidth));
        N = n; Bandwidth = bandwidth;
        Data = new double[checked(n * (bandwidth + 1))];
    }

    /// <summary>A[i, i + offset] for 0 ≤ offset ≤ b (and i + offset &lt; n).</summary>
    public double this[int i, int offset]
    {
        get => Data[i * (Bandwidth + 1) + offset];
        set => Data[i * (Bandwidth + 1) + offset] = value;
    }

    /// <summary>The dense symmetric matrix (for tests and small cases).</summary>
    public SymmetricMatrix ToDense()
    {
        var a = new SymmetricMatrix(N);
        for (int i = 0; i < N; i++)
            for (int d = 0; d <= Bandwidth && i + d < N; d++) a[i, i + d] = a[i + d, i] = this[i, d];
        return a;
    }
}

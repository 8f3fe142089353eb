namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// Stage 1 of the two-stage tridiagonalisation: an orthogonal similarity B = QᵀAQ that takes a dense symmetric A to band form of
/// bandwidth b (LAPACK dsytrd_sy2sb's algorithm, on row-major upper storage). For each block of b rows starting at j, with the
/// trailing index set T = [j + b, n) of size m: the b×m block A[j.., T] is reduced by a Householder QR of its transpose
/// (<see cref="HouseholderPanel"/>, Q_j = I − V T Vᵀ), and the trailing matrix becomes Q_jᵀ A_TT Q_j = A_TT − V Wᵀ − W Vᵀ with
/// X = A_TT V T (<see cref="Symm"/>) and W = X − ½ V (Tᵀ Vᵀ X): one SYMM (2m²b flops) and one upper-triangle rank-2b update
/// (2m²b) per block, (4/3)n³ flops in all, all of it on the blocked GEMM kernel. Only the upper triangle of A is read or
/// updated. Deterministic: the same bits for any thread count.
/// </summary>
public static class SymmetricBandReduction
{
    /// <summary>The bandwidth used by default: large enough for the GEMM kernel to run near its peak in the thin products,
    /// small enough for the band → tridiagonal stage (whose work grows like n²b) to stay cheap.</summary>
    public const int DefaultBandwidth = 64;

    /// <summary>The band matrix QᵀAQ of bandwidth min(b, n − 1) (A is not modified; only its upper triangle is read).</summary>
    public static SymmetricBandMatrix ToBand(SymmetricMatrix a, int bandwidth = DefaultBandwidth, int maxDegreeOfParallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bandwidth, 1);
        return ToBandInPlace(a.N, (double[])a.Data.Clone(), bandwidth, maxDegreeOfParallelism);
    }

    /// <summary><see cref="ToBand"/> on a row-major n×n array that it overwrites (its upper triangle is read).</summary>
    internal static SymmetricBandMatrix ToBandInPlace(int n, double[] a, int bandwidth, int maxDegreeOfParallelism)
    {
        int b = bandwidth;
        double largest = 0;
        for (int i = 0; i < n; i++) largest = Math.Max(largest, ExactScaling.LargestMagnitude(a.AsSpan(i * n + i, n - i)));
        int exponent = ExactScaling.Exponent(largest, "matrix");
        ExactScaling.Apply(a, -exponent);
        var vt = new double[b * Math.Max(n, 1)];
        var t = new double[b * b];
        var u = new double[3 * b * Math.Max(n, 1)];   // rows [V | W | V], so [V W] and [W V] are two views with stride 3b
        var y = new double[b * Math.Max(n, 1)];
        var x = new double[b * Math.Max(n, 1)];
        var z = new double[b * b];
        var mSmall = new double[b * b];
        for (int j = 0; n - j - b >= 2; j += b)
        {
            int t0 = j + b, m = n - t0, k = Math.Min(b, m - 1), ld = 3 * k;
            HouseholderPanel.Factor(a, j * n + t0, n, b, m, k, vt, t, maxDegreeOfParallelism);
            // U[:, 0:k] = U[:, 2k:3k] = V (m×k): the transpose of Vt.
            for (int r = 0; r < m; r++)
                for (int c = 0; c < k; c++) u[r * ld + c] = u[r * ld + 2 * k + c] = vt[c * m + r];
            var trailing = a.AsSpan(t0 * n + t0);
            // Y = V T, X = A_TT Y.
            Gemm.Multiply(Op.None, Op.None, m, k, k, 1, u, ld, t, k, 0, y, k, maxDegreeOfParallelism);
            Symm.Multiply(m, k, 1, trailing, n, y, k, 0, x, k, maxDegreeOfParallelism);
            // M = Tᵀ (Vᵀ X), then W = X − ½ V M, stored in U[:, k:2k].
            Gemm.Multiply(Op.None, Op.None, k, k, m, 1, vt, m, x, k, 0, z, k, maxDegreeOfParallelism);
            Gemm.Multiply(Op.Transpose, Op.None, k, k, k, 1, t, k, z, k, 0, mSmall, k, maxDegreeOfParallelism);
            Gemm.Multiply(Op.None, Op.None, m, k, k, -0.5, u, ld, mSmall, k, 1, x, k, maxDegreeOfParallelism);
            for (int r = 0; r < m; r++) x.AsSpan(r * k, k).CopyTo(u.AsSpan(r * ld + k, k));
            // A_TT −= [V W]·[W V]ᵀ = V Wᵀ + W Vᵀ on the upper triangle.
            unsafe
            {
                fixed (double* pu = u, pa = a)
                    BlockedProduct.Run(Op.None, Op.Transpose, m, m, 2 * k, -1, pu, ld, pu + k, ld, 1, pa + (long)t0 * n + t0, n,
                        upperOnly: true, maxDegreeOfParallelism, mirror: false);
            }
        }
        int kd = Math.Min(b, Math.Max(n - 1, 0));
        var band = new SymmetricBandMatrix(n, kd);
        for (int i = 0; i < n; i++)
            a.AsSpan(i * n + i, Math.Min(kd + 1, n - i)).CopyTo(band.Data.AsSpan(i * (kd + 1)));
        ExactScaling.Apply(band.Data, exponent);
        return band;
    }
}

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>Whether an operand enters a product as stored or transposed.</summary>
public enum Op { None, Transpose }

/// <summary>
/// General matrix product on row-major spans: C ← α·op(A)·op(B) + β·C, where op(A) is m×k, op(B) is k×n,
/// and lda/ldb/ldc are the row strides of the stored matrices (C must not overlap A or B; β = 0 overwrites C).
/// The fast path is the cache-blocked, packed, register-blocked and multi-threaded <see cref="BlockedProduct"/>;
/// every entry of C is summed in an order that does not depend on the thread count, so results are bitwise
/// reproducible. <see cref="MultiplyReference"/> is the scalar triple loop that tests compare with.
/// </summary>
public static class Gemm
{
    public static void Multiply(Op opA, Op opB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc,
        int maxDegreeOfParallelism = -1)
    {
        Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        unsafe
        {
            fixed (double* pa = a, pb = b, pc = c)
                BlockedProduct.Run(opA, opB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, upperOnly: false, maxDegreeOfParallelism);
        }
    }

    /// <summary>The scalar reference: a plain triple loop.</summary>
    public static void MultiplyReference(Op opA, Op opB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (opA == Op.None ? a[i * lda + p] : a[p * lda + i]) * (opB == Op.None ? b[p * ldb + j] : b[j * ldb + p]);
                c[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
            }
    }

    internal static void Validate(Op opA, Op opB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), "matrix dimensions must be non-negative");
        var (aRows, aCols) = opA == Op.None ? (m, k) : (k, m);
        var (bRows, bCols) = opB == Op.None ? (k, n) : (n, k);
        if (lda < Math.Max(1, aCols) || ldb < Math.Max(1, bCols) || ldc < Math.Max(1, n))
            throw new ArgumentException("a leading dimension is smaller than its row length");
        if ((aRows > 0 && aCols > 0 && (long)(aRows - 1) * lda + aCols > aLength)
            || (bRows > 0 && bCols > 0 && (long)(bRows - 1) * ldb + bCols > bLength)
            || (m > 0 && n > 0 && (long)(m - 1) * ldc + n > cLength))
            throw new ArgumentException("a span is too short for the stated dimensions");
    }
}

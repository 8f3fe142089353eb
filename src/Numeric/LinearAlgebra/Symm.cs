namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// Symmetric-times-general product on row-major spans (BLAS dsymm, side left, upper): C ← α·A·B + β·C for a symmetric m×m A
/// of which only the upper triangle is read (the lower one may hold anything), B and C m×n. It is the <see cref="Gemm"/> loop
/// nest with A packed from its upper triangle, so the same speed and the same thread-count independence.
/// </summary>
public static class Symm
{
    public static void Multiply(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc, int maxDegreeOfParallelism = -1)
    {
        Gemm.Validate(Op.None, Op.None, m, n, m, a.Length, lda, b.Length, ldb, c.Length, ldc);
        unsafe
        {
            fixed (double* pa = a, pb = b, pc = c)
                BlockedProduct.Run(Op.None, Op.None, m, n, m, alpha, pa, lda, pb, ldb, beta, pc, ldc, upperOnly: false,
                    maxDegreeOfParallelism, symmetricA: true);
        }
    }

    /// <summary>The scalar reference: the triple loop on A's upper triangle mirrored.</summary>
    public static void MultiplyReference(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
    {
        Gemm.Validate(Op.None, Op.None, m, n, m, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < m; p++) s += (i <= p ? a[i * lda + p] : a[p * lda + i]) * b[p * ldb + j];
                c[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
            }
    }
}

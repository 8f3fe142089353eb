namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// Symmetric rank-k update on row-major spans (BLAS dsyrk): with op = <see cref="Op.Transpose"/>,
/// C ← α·AᵀA + β·C for A stored k×n (the Gram matrix of A's columns: WᵀW, XᵀX); with op = <see cref="Op.None"/>,
/// C ← α·AAᵀ + β·C for A stored n×k (the Gram matrix of A's rows). Only the upper triangle is computed
/// (half the work of GEMM) and then mirrored, so C comes back exactly symmetric; on input only C's upper
/// triangle is read. Same blocked kernel and the same thread-count independence as <see cref="Gemm"/>.
/// </summary>
public static class Syrk
{
    public static void Multiply(Op op, int n, int k, double alpha, ReadOnlySpan<double> a, int lda, double beta,
        Span<double> c, int ldc, int maxDegreeOfParallelism = -1)
    {
        var (opA, opB) = Operands(op);
        Gemm.Validate(opA, opB, n, n, k, a.Length, lda, a.Length, lda, c.Length, ldc);
        unsafe
        {
            fixed (double* pa = a, pc = c)
                BlockedProduct.Run(opA, opB, n, n, k, alpha, pa, lda, pa, lda, beta, pc, ldc, upperOnly: true, maxDegreeOfParallelism);
        }
    }

    /// <summary>The SYRK update of the upper triangle only (the lower one is left as it is): for sums of many updates,
    /// which mirror once at the end with <see cref="MirrorUpper"/>.</summary>
    internal static void MultiplyUpper(Op op, int n, int k, double alpha, ReadOnlySpan<double> a, int lda, double beta,
        Span<double> c, int ldc, int maxDegreeOfParallelism = -1)
    {
        var (opA, opB) = Operands(op);
        Gemm.Validate(opA, opB, n, n, k, a.Length, lda, a.Length, lda, c.Length, ldc);
        unsafe
        {
            fixed (double* pa = a, pc = c)
                BlockedProduct.Run(opA, opB, n, n, k, alpha, pa, lda, pa, lda, beta, pc, ldc, upperOnly: true, maxDegreeOfParallelism, mirror: false);
        }
    }

    /// <summary>Copies C's upper triangle onto its lower triangle.</summary>
    internal static void MirrorUpper(int n, Span<double> c, int ldc, int maxDegreeOfParallelism = -1)
    {
        if (n == 0) return;
        if ((long)(n - 1) * ldc + n > c.Length) throw new ArgumentException("a span is too short for the stated dimensions");
        unsafe
        {
            fixed (double* pc = c)
                BlockedProduct.MirrorUpper(n, pc, ldc, Resources.KernelThreads.Limit(maxDegreeOfParallelism));
        }
    }

    /// <summary>The scalar reference: the full triple loop (both triangles computed independently).</summary>
    public static void MultiplyReference(Op op, int n, int k, double alpha, ReadOnlySpan<double> a, int lda, double beta,
        Span<double> c, int ldc)
    {
        var (opA, opB) = Operands(op);
        Gemm.Validate(opA, opB, n, n, k, a.Length, lda, a.Length, lda, c.Length, ldc);
        // Read the upper triangle only, as the fast path does.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                c[i * ldc + j] = c[j * ldc + i];
        Gemm.MultiplyReference(opA, opB, n, n, k, alpha, a, lda, a, lda, beta, c, ldc);
    }

    /// <summary>α·AᵀA for a row-major rows×cols matrix A (e.g. J⁽ⁿ⁾ = XᵀX/n with α = 1/n).</summary>
    public static SymmetricMatrix ColumnGram(ReadOnlySpan<double> a, int rows, int cols, double alpha = 1.0, int maxDegreeOfParallelism = -1)
    {
        var g = new SymmetricMatrix(cols, GC.AllocateUninitializedArray<double>(checked(cols * cols))); // β = 0: every entry written
        Multiply(Op.Transpose, cols, rows, alpha, a, cols, 0.0, g.Data, cols, maxDegreeOfParallelism);
        return g;
    }

    /// <summary>α·AAᵀ for a row-major rows×cols matrix A.</summary>
    public static SymmetricMatrix RowGram(ReadOnlySpan<double> a, int rows, int cols, double alpha = 1.0, int maxDegreeOfParallelism = -1)
    {
        var g = new SymmetricMatrix(rows, GC.AllocateUninitializedArray<double>(checked(rows * rows))); // β = 0: every entry written
        Multiply(Op.None, rows, cols, alpha, a, cols, 0.0, g.Data, rows, maxDegreeOfParallelism);
        return g;
    }

    // op(A)·op(B) with op(A) n×k: AᵀA is Aᵀ (stored k×n, transposed) times A; AAᵀ is A times Aᵀ.
    private static (Op A, Op B) Operands(Op op) => op == Op.Transpose ? (Op.Transpose, Op.None) : (Op.None, Op.Transpose);
}

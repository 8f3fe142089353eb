using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace FimVerify.Numeric.Kernels;

/// <summary>
/// The register-blocked core of the blocked matrix product: a <see cref="Rows"/> × (2·lanes) tile of C is
/// held in 12 SIMD accumulators while kc rank-1 updates stream through packed panels of A and B
/// (12 accumulators + 2 B registers + 1 broadcast fit in the 16 registers of AVX2 and leave room in AVX-512's 32;
/// 12 independent FMA chains hide the FMA latency on two pipes).
/// Each entry of the tile is the sum over p = 0..kc−1 in increasing order: the order never depends on threads.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of the register tile (MR).</summary>
    public const int Rows = 6;

    /// <summary>Columns of the register tile (NR) for the lane type.</summary>
    public static int Columns<TV>() where TV : struct, ILanes<TV> => 2 * TV.Count;

    /// <summary>
    /// C[r, j] += α·Σ_p a[p·MR + r]·b[p·NR + j] for r &lt; rows, j &lt; cols and j − r ≥ minOffset
    /// (minOffset = int.MinValue keeps everything; SYRK passes rowStart − colStart to keep the upper triangle).
    /// a is a packed MR×kc sliver (column p contiguous), b a packed kc×NR sliver (row p contiguous), both zero-padded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TV>(int kc, double* a, double* b, double* c, int ldc, double alpha, int rows, int cols, int minOffset)
        where TV : struct, ILanes<TV>
    {
        int w = TV.Count;
        // C's rows are far apart (stride ldc) and not streamed, so fetch the tile while the FMAs run.
        for (int r = 0; r < rows; r++) { Sse.Prefetch0(c + (long)r * ldc); Sse.Prefetch0(c + (long)r * ldc + 2 * w - 1); }
        var zero = TV.Broadcast(0);
        TV c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero,
           c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = TV.Load(b);
            var b1 = TV.Load(b + w);
            var x = TV.Broadcast(a[0]); c00 = TV.MultiplyAdd(x, b0, c00); c01 = TV.MultiplyAdd(x, b1, c01);
            x = TV.Broadcast(a[1]); c10 = TV.MultiplyAdd(x, b0, c10); c11 = TV.MultiplyAdd(x, b1, c11);
            x = TV.Broadcast(a[2]); c20 = TV.MultiplyAdd(x, b0, c20); c21 = TV.MultiplyAdd(x, b1, c21);
            x = TV.Broadcast(a[3]); c30 = TV.MultiplyAdd(x, b0, c30); c31 = TV.MultiplyAdd(x, b1, c31);
            x = TV.Broadcast(a[4]); c40 = TV.MultiplyAdd(x, b0, c40); c41 = TV.MultiplyAdd(x, b1, c41);
            x = TV.Broadcast(a[5]); c50 = TV.MultiplyAdd(x, b0, c50); c51 = TV.MultiplyAdd(x, b1, c51);
            a += Rows;
            b += 2 * w;
        }
        int nr = 2 * w;
        if (rows == Rows && cols == nr && minOffset <= -(Rows - 1))
        {
            var va = TV.Broadcast(alpha);
            Update(va, c00, c01, c, w); c += ldc;
            Update(va, c10, c11, c, w); c += ldc;
            Update(va, c20, c21, c, w); c += ldc;
            Update(va, c30, c31, c, w); c += ldc;
            Update(va, c40, c41, c, w); c += ldc;
            Update(va, c50, c51, c, w);
            return;
        }
        // Edge or diagonal tile: spill to the stack and update the entries that exist and are kept.
        double* t = stackalloc double[Rows * 2 * 8];
        TV.Store(c00, t); TV.Store(c01, t + w);
        TV.Store(c10, t + nr); TV.Store(c11, t + nr + w);
        TV.Store(c20, t + 2 * nr); TV.Store(c21, t + 2 * nr + w);
        TV.Store(c30, t + 3 * nr); TV.Store(c31, t + 3 * nr + w);
        TV.Store(c40, t + 4 * nr); TV.Store(c41, t + 4 * nr + w);
        TV.Store(c50, t + 5 * nr); TV.Store(c51, t + 5 * nr + w);
        for (int r = 0; r < rows; r++)
            for (int j = Math.Max(0, r + Math.Max(minOffset, -r)); j < cols; j++)
                { double* e = c + (long)r * ldc + j; *e = Math.FusedMultiplyAdd(alpha, t[r * nr + j], *e); } // same rounding as the full-tile path
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update<TV>(TV alpha, TV lo, TV hi, double* c, int w) where TV : struct, ILanes<TV>
    {
        TV.Store(TV.MultiplyAdd(alpha, lo, TV.Load(c)), c);
        TV.Store(TV.MultiplyAdd(alpha, hi, TV.Load(c + w)), c + w);
    }
}

using System.Runtime.CompilerServices;

namespace FimVerify.Numeric.Kernels;

/// <summary>
/// The register-blocked core of a kernel tile applied to many vectors at once: with K a tile of kernel values and
/// U, Y panels of vectors stored interleaved (row s of U holds entry s of every vector, stride ld),
/// <c>Y[q, ·] += Σ_s K(q, s)·U[s, ·]</c> for q &lt; outputs, s &lt; steps, where K(q, s) = k[q·kq + s·ks].
/// kq = ldk, ks = 1 multiplies by the tile (Y_I += K U_J); kq = 1, ks = ldk by its transpose (Y_J += Kᵀ U_I), so one
/// kernel serves both halves of a symmetric product. Four outputs × three registers of vectors are held in
/// 12 accumulators while the steps stream through U (the shape of the GEMM micro-kernel: 12 independent FMA chains,
/// two FMAs per load). Each entry is summed over s in increasing order, whatever the caller's threads do.
/// </summary>
public static unsafe class PanelProduct
{
    /// <summary>Registers of vectors per panel: the panel width is this times the SIMD lane count.</summary>
    public const int Registers = 3;

    /// <summary>Vectors per panel on this machine (24 with AVX-512, 12 with AVX2, 1 without SIMD).</summary>
    public static int Width => Lanes512.IsSupported ? Registers * Lanes512.Count : Lanes256.IsSupported ? Registers * Lanes256.Count : 1;

    /// <summary>
    /// Y[q·ld + c] += Σ_s k[q·kq + s·ks]·u[s·ld + c] for q &lt; outputs, s &lt; steps and c &lt; width (a multiple of
    /// <see cref="Width"/>). SIMD where available; <see cref="AccumulateScalar"/> is its twin.
    /// </summary>
    public static void Accumulate(ReadOnlySpan<double> k, int kq, int ks, int outputs, int steps, ReadOnlySpan<double> u, Span<double> y, int ld, int width)
    {
        Check(k, kq, ks, outputs, steps, u, y, ld, width);
        if (outputs == 0 || steps == 0 || width == 0) return;
        fixed (double* pk = k, pu = u, py = y)
        {
            if (Lanes512.IsSupported) Run<Lanes512>(pk, kq, ks, outputs, steps, pu, py, ld, width);
            else if (Lanes256.IsSupported) Run<Lanes256>(pk, kq, ks, outputs, steps, pu, py, ld, width);
            else RunScalar(pk, kq, ks, outputs, steps, pu, py, ld, width);
        }
    }

    /// <summary>Scalar reference of <see cref="Accumulate"/> (any width).</summary>
    public static void AccumulateScalar(ReadOnlySpan<double> k, int kq, int ks, int outputs, int steps, ReadOnlySpan<double> u, Span<double> y, int ld, int width)
    {
        Check(k, kq, ks, outputs, steps, u, y, ld, width);
        if (outputs == 0 || steps == 0 || width == 0) return;
        fixed (double* pk = k, pu = u, py = y) RunScalar(pk, kq, ks, outputs, steps, pu, py, ld, width);
    }

    private static void Check(ReadOnlySpan<double> k, int kq, int ks, int outputs, int steps, ReadOnlySpan<double> u, Span<double> y, int ld, int width)
    {
        if (outputs < 0 || steps < 0 || width < 0 || width > ld || kq < 0 || ks < 0) throw new ArgumentOutOfRangeException(nameof(width), "sizes must be non-negative and width ≤ ld");
        if (width % Width != 0 && (Lanes512.IsSupported || Lanes256.IsSupported) && width > 0)
            throw new ArgumentException($"the width must be a multiple of the panel width {Width}", nameof(width));
        if (outputs > 0 && steps > 0 && (long)(outputs - 1) * kq + (long)(steps - 1) * ks >= k.Length) throw new ArgumentException("k is too short", nameof(k));
        if (steps > 0 && (long)(steps - 1) * ld + width > u.Length) throw new ArgumentException("u is too short", nameof(u));
        if (outputs > 0 && (long)(outputs - 1) * ld + width > y.Length) throw new ArgumentException("y is too short", nameof(y));
    }

    private static void RunScalar(double* k, int kq, int ks, int outputs, int steps, double* u, double* y, int ld, int width)
    {
        for (int q = 0; q < outputs; q++)
            for (int c = 0; c < width; c++)
            {
                double acc = y[(long)q * ld + c];
                for (int s = 0; s < steps; s++) acc = Math.FusedMultiplyAdd(k[(long)q * kq + (long)s * ks], u[(long)s * ld + c], acc);
                y[(long)q * ld + c] = acc;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TV>(double* k, int kq, int ks, int outputs, int steps, double* u, double* y, int ld, int width) where TV : struct, ILanes<TV>
    {
        int panel = Registers * TV.Count;
        for (int c = 0; c < width; c += panel)
        {
            int q = 0;
            for (; q + 4 <= outputs; q += 4) Four<TV>(k + (long)q * kq, kq, ks, steps, u + c, y + (long)q * ld + c, ld);
            for (; q < outputs; q++) One<TV>(k + (long)q * kq, ks, steps, u + c, y + (long)q * ld + c, ld);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Four<TV>(double* k, long kq, long ks, int steps, double* u, double* y, int ld) where TV : struct, ILanes<TV>
    {
        int w = TV.Count;
        double* y1 = y + ld, y2 = y1 + ld, y3 = y2 + ld;
        TV a00 = TV.Load(y), a01 = TV.Load(y + w), a02 = TV.Load(y + 2 * w);
        TV a10 = TV.Load(y1), a11 = TV.Load(y1 + w), a12 = TV.Load(y1 + 2 * w);
        TV a20 = TV.Load(y2), a21 = TV.Load(y2 + w), a22 = TV.Load(y2 + 2 * w);
        TV a30 = TV.Load(y3), a31 = TV.Load(y3 + w), a32 = TV.Load(y3 + 2 * w);
        double* k1 = k + kq, k2 = k1 + kq, k3 = k2 + kq;
        for (long s = 0, o = 0; s < steps; s++, o += ks, u += ld)
        {
            var u0 = TV.Load(u); var u1 = TV.Load(u + w); var u2 = TV.Load(u + 2 * w);
            var x = TV.Broadcast(k[o]); a00 = TV.MultiplyAdd(x, u0, a00); a01 = TV.MultiplyAdd(x, u1, a01); a02 = TV.MultiplyAdd(x, u2, a02);
            x = TV.Broadcast(k1[o]); a10 = TV.MultiplyAdd(x, u0, a10); a11 = TV.MultiplyAdd(x, u1, a11); a12 = TV.MultiplyAdd(x, u2, a12);
            x = TV.Broadcast(k2[o]); a20 = TV.MultiplyAdd(x, u0, a20); a21 = TV.MultiplyAdd(x, u1, a21); a22 = TV.MultiplyAdd(x, u2, a22);
            x = TV.Broadcast(k3[o]); a30 = TV.MultiplyAdd(x, u0, a30); a31 = TV.MultiplyAdd(x, u1, a31); a32 = TV.MultiplyAdd(x, u2, a32);
        }
        TV.Store(a00, y); TV.Store(a01, y + w); TV.Store(a02, y + 2 * w);
        TV.Store(a10, y1); TV.Store(a11, y1 + w); TV.Store(a12, y1 + 2 * w);
        TV.Store(a20, y2); TV.Store(a21, y2 + w); TV.Store(a22, y2 + 2 * w);
        TV.Store(a30, y3); TV.Store(a31, y3 + w); TV.Store(a32, y3 + 2 * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void One<TV>(double* k, long ks, int steps, double* u, double* y, int ld) where TV : struct, ILanes<TV>
    {
        int w = TV.Count;
        TV a0 = TV.Load(y), a1 = TV.Load(y + w), a2 = TV.Load(y + 2 * w);
        for (long s = 0, o = 0; s < steps; s++, o += ks, u += ld)
        {
            var x = TV.Broadcast(k[o]);
            a0 = TV.MultiplyAdd(x, TV.Load(u), a0); a1 = TV.MultiplyAdd(x, TV.Load(u + w), a1); a2 = TV.MultiplyAdd(x, TV.Load(u + 2 * w), a2);
        }
        TV.Store(a0, y); TV.Store(a1, y + w); TV.Store(a2, y + 2 * w);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FimVerify.Numeric.Kernels;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// The cache-blocked driver behind <see cref="Gemm"/> and <see cref="Syrk"/> (the Goto/BLIS loop nest):
/// for each NC-wide panel of columns and each KC-deep slab of the inner dimension, op(B) is packed into
/// NR-wide slivers (kept in L3, one sliver in L1) and every MC-high block of op(A) into MR-high slivers
/// (kept in L2); the micro-kernel then updates MR×NR tiles of C.
/// Determinism: the KC slabs are visited in order and each tile accumulates its slab in increasing p, so
/// every entry of C is summed in an order fixed by (k, KC) alone; threads only decide who computes which
/// tile, never how. Results are therefore bitwise identical for any thread count.
/// </summary>
internal static unsafe class BlockedProduct
{
    public const int KC = 256;   // KC×NR×8 B = 32 KiB: one B sliver stays in a 48 KiB L1
    public const int MC = 192;   // MC×KC×8 B = 384 KiB: the packed A block stays in L2; multiple of MR
    public const int NC = 4096;  // KC×NC×8 B = 8 MiB packed B panel in L3; multiple of NR

    /// <summary>Below this many multiply-adds the product runs on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 21;

    /// <param name="symmetricA">op(A) is the symmetric m×m matrix whose upper triangle is stored in a (SYMM): only that triangle is
    /// read, the lower one coming from its mirror image while packing (opA must be <see cref="Op.None"/>).</param>
    public static void Run(Op opA, Op opB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb,
        double beta, double* c, int ldc, bool upperOnly, int maxDegreeOfParallelism, bool mirror = true, bool symmetricA = false)
    {
        if (m == 0 || n == 0) return;
        int threads = Resources.KernelThreads.Limit(maxDegreeOfParallelism);
        if ((long)m * n * Math.Max(k, 1) < ParallelThreshold) threads = 1;
        ScaleC(m, n, beta, c, ldc, upperOnly, threads);
        if (k > 0 && alpha != 0)
        {
            if (Lanes512.IsSupported) Accumulate<Lanes512>(opA, opB, m, n, k, alpha, a, lda, b, ldb, c, ldc, upperOnly, symmetricA, threads);
            else Accumulate<Lanes256>(opA, opB, m, n, k, alpha, a, lda, b, ldb, c, ldc, upperOnly, symmetricA, threads);
        }
        if (upperOnly && mirror) MirrorUpper(n, c, ldc, threads);
    }

    private static ParallelOptions Options(int threads) => new() { MaxDegreeOfParallelism = threads };

    private static void ScaleC(int m, int n, double beta, double* c, int ldc, bool upperOnly, int threads)
    {
        if (beta == 1) return;
        var cc = (nint)c;
        Parallel.For(0, m, Options(threads), i =>
        {
            int j0 = upperOnly ? i : 0;
            var row = new Span<double>((double*)cc + (long)i * ldc + j0, n - j0);
            if (beta == 0) row.Clear(); // β = 0 overwrites, so NaN in C never leaks in (BLAS convention)
            else for (int j = 0; j < row.Length; j++) row[j] *= beta;
        });
    }

    private static void Accumulate<TV>(Op opA, Op opB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb,
        double* c, int ldc, bool upperOnly, bool symmetricA, int threads) where TV : struct, ILanes<TV>
    {
        int nr = GemmMicroKernel.Columns<TV>();
        const int mr = GemmMicroKernel.Rows;
        int panelWidth = Math.Min(NC, (n + nr - 1) / nr * nr);
        var panel = PackingSpace.Rent(panel: true, (long)KC * panelWidth);
        var (pa, pb, pc, pbPack) = ((nint)a, (nint)b, (nint)c, (nint)panel.Start);
        try
        {
            for (int jc = 0; jc < n; jc += NC)
            {
                int nc = Math.Min(NC, n - jc);
                int slivers = (nc + nr - 1) / nr;
                int mEnd = upperOnly ? Math.Min(m, jc + nc) : m; // SYRK: rows below the panel's last column are not needed
                int icBlocks = (mEnd + MC - 1) / MC, mc0 = MC;
                if (!upperOnly && threads > 1 && icBlocks > 1)
                {
                    // Row blocks of one height, as many as a multiple of the threads: 192, …, 192 and 40 rows (m = 1000) left one of two
                    // threads 15% more rows before every slab's barrier. Row blocking never changes how an entry is summed.
                    icBlocks = (icBlocks + threads - 1) / threads * threads;
                    mc0 = ((mEnd + icBlocks - 1) / icBlocks + mr - 1) / mr * mr;
                    icBlocks = (mEnd + mc0 - 1) / mc0;
                }
                // With few row blocks, split the panel's slivers too so that every thread has work (SYRK: more pieces, since the
                // row blocks shrink down the triangle).
                int groups = Math.Max(1, Math.Min(slivers, ((upperOnly ? 4 : 2) * threads + icBlocks - 1) / icBlocks));
                if (threads == 1) groups = 1;
                int items = icBlocks * groups;
                for (int p0 = 0; p0 < k; p0 += KC)
                {
                    int kc = Math.Min(KC, k - p0);
                    int jcc = jc, p0c = p0;
                    // As stored, B's rows are p: chunks of p. Transposed, its rows are j: chunks of j (multiples of 4), so each chunk
                    // reads whole runs of kc doubles from its rows instead of short runs from every row (TLB misses).
                    int packUnits = opB == Op.None ? kc : (nc + 3) / 4;
                    int packChunks = Math.Min(packUnits, 4 * threads);
                    Parallel.For(0, packChunks, Options(threads), q =>
                        PackB(opB, (double*)pb, ldb, p0c, kc, jcc, nc, nr, (double*)pbPack, q * packUnits / packChunks, (q + 1) * packUnits / packChunks));
                    // Items are handed out one at a time in order (row blocks top down: for SYRK the largest first), which balances the
                    // threads whatever the items' sizes.
                    int next = 0;
                    Parallel.For(0, Math.Min(threads, items), Options(threads), _ =>
                    {
                        var block = PackingSpace.Rent(panel: false, MC * KC);
                        double* aPack = block.Start;
                        try
                        {
                            for (int item; (item = Interlocked.Increment(ref next) - 1) < items;)
                            {
                                int ic = item / groups * mc0, g = item % groups;
                                int mc = Math.Min(mc0, mEnd - ic);
                                // SYRK: slivers wholly left of the diagonal have nothing to do for this row block.
                                int first = upperOnly ? Math.Max(0, (ic - jcc) / nr) : 0;
                                int s0 = first + g * (slivers - first) / groups, s1 = first + (g + 1) * (slivers - first) / groups;
                                if (s0 >= s1) continue;
                                if (symmetricA) PackASymmetric((double*)pa, lda, ic, mc, p0c, kc, aPack);
                                else PackA(opA, (double*)pa, lda, ic, mc, p0c, kc, aPack);
                                for (int s = s0; s < s1; s++)
                                {
                                    int j0 = jcc + s * nr, cols = Math.Min(nr, n - j0);
                                    double* bs = (double*)pbPack + (long)s * kc * nr;
                                    for (int ir = 0; ir < mc; ir += mr)
                                    {
                                        int i0 = ic + ir;
                                        if (upperOnly && j0 + cols - 1 < i0) break; // this tile and all below it lie under the diagonal
                                        GemmMicroKernel.Tile<TV>(kc, aPack + (long)ir * kc, bs, (double*)pc + (long)i0 * ldc + j0, ldc,
                                            alpha, Math.Min(mr, mc - ir), cols, upperOnly ? i0 - j0 : int.MinValue);
                                    }
                                }
                            }
                        }
                        finally
                        {
                            block.Return();
                        }
                    });
                }
            }
        }
        finally
        {
            panel.Return();
        }
    }

    /// <summary>How many source rows ahead the packing loops prefetch: a packed block reads short runs (kc or mc doubles) from
    /// many rows, which the hardware prefetcher does not follow when the matrix is not in cache.</summary>
    private const int PrefetchRows = 4;

    private static void Prefetch(double* start, int count)
    {
        for (int q = 0; q < count; q += 8) Sse.Prefetch0(start + q);
        Sse.Prefetch0(start + count - 1);
    }

    /// <summary>Packs op(A)[ic..ic+mc, p0..p0+kc] into MR-high slivers, column p of a sliver contiguous, zero-padded.
    /// Source rows are read contiguously (one stored row per step) so that packing does not thrash the TLB.</summary>
    private static void PackA(Op op, double* a, int lda, int ic, int mc, int p0, int kc, double* dst)
    {
        const int mr = GemmMicroKernel.Rows;
        int padded = (mc + mr - 1) / mr * mr;
        if (op == Op.None)
        {
            // Stored row i holds op(A)[i, ·]: six rows at a time are walked along p and interleaved.
            for (int r0 = 0; r0 < padded; r0 += mr)
            {
                double* d = dst + (long)r0 * kc;
                int rows = Math.Min(mr, mc - r0);
                int p = 0;
                if (rows == mr && Avx.IsSupported) p = InterleaveSixRows(a + (long)(ic + r0) * lda + p0, lda, kc, d);
                for (; p < kc; p++)
                {
                    int r = 0;
                    for (; r < rows; r++) d[p * mr + r] = a[(long)(ic + r0 + r) * lda + p0 + p];
                    for (; r < mr; r++) d[p * mr + r] = 0;
                }
            }
        }
        else
        {
            // Stored row p holds op(A)[·, p]: one contiguous read of mc values per p, six of them to each sliver.
            for (int p = 0; p < kc; p++)
            {
                double* src = a + (long)(p0 + p) * lda + ic;
                if (p + PrefetchRows < kc) Prefetch(src + (long)PrefetchRows * lda, mc);
                int r0 = 0;
                for (; r0 + mr <= mc; r0 += mr)
                {
                    double* d = dst + (long)r0 * kc + p * mr;
                    Vector256.Store(Vector256.Load(src + r0), d);
                    Vector128.Store(Vector128.Load(src + r0 + 4), d + 4);
                }
                for (; r0 < padded; r0 += mr)
                {
                    double* d = dst + (long)r0 * kc + p * mr;
                    int rows = Math.Min(mr, mc - r0), r = 0;
                    for (; r < rows; r++) d[r] = src[r0 + r];
                    for (; r < mr; r++) d[r] = 0;
                }
            }
        }
    }

    /// <summary>
    /// Packs six stored rows (stride lda) into d[p·6 + r] = row_r[p] for p &lt; kc rounded down to 4: per four columns, a 4×4
    /// transpose of rows 0–3 and a 2×4 one of rows 4–5 (AVX shuffles) instead of 24 scalar moves. Returns the columns done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int InterleaveSixRows(double* row, int lda, int kc, double* d)
    {
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            var r0 = Avx.LoadVector256(row + p);
            var r1 = Avx.LoadVector256(row + lda + p);
            var r2 = Avx.LoadVector256(row + 2L * lda + p);
            var r3 = Avx.LoadVector256(row + 3L * lda + p);
            var r4 = Avx.LoadVector256(row + 4L * lda + p);
            var r5 = Avx.LoadVector256(row + 5L * lda + p);
            var (c0, c1, c2, c3) = Transpose4(r0, r1, r2, r3); // rows 0–3 of columns p … p + 3
            var u0 = Avx.UnpackLow(r4, r5);    // r4p0 r5p0 r4p2 r5p2
            var u1 = Avx.UnpackHigh(r4, r5);   // r4p1 r5p1 r4p3 r5p3
            double* o = d + p * 6;
            Avx.Store(o, c0);
            Avx.Store(o + 4, Avx.Permute2x128(u0, c1, 0x20));    // r4p0 r5p0 r0p1 r1p1
            Avx.Store(o + 8, Avx.Permute2x128(c1, u1, 0x21));    // r2p1 r3p1 r4p1 r5p1
            Avx.Store(o + 12, c2);
            Avx.Store(o + 16, Avx.Permute2x128(u0, c3, 0x21));   // r4p2 r5p2 r0p3 r1p3
            Avx.Store(o + 20, Avx.Permute2x128(c3, u1, 0x31));   // r2p3 r3p3 r4p3 r5p3
        }
        return p;
    }

    /// <summary>The 4×4 transpose of rows r0 … r3 (four doubles each): ck holds entry k of every row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double>, Vector256<double>, Vector256<double>, Vector256<double>) Transpose4(
        Vector256<double> r0, Vector256<double> r1, Vector256<double> r2, Vector256<double> r3)
    {
        var t0 = Avx.UnpackLow(r0, r1);    // r0p0 r1p0 r0p2 r1p2
        var t1 = Avx.UnpackHigh(r0, r1);   // r0p1 r1p1 r0p3 r1p3
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        return (Avx.Permute2x128(t0, t2, 0x20), Avx.Permute2x128(t1, t3, 0x20), Avx.Permute2x128(t0, t2, 0x31), Avx.Permute2x128(t1, t3, 0x31));
    }

    /// <summary>
    /// <see cref="PackA"/> for a symmetric A of which only the upper triangle is stored: A[i, p] is read at (i, p) when i ≤ p and at
    /// (p, i) otherwise. A block wholly above the diagonal packs as stored, one wholly below as transposed (both read rows
    /// contiguously); only the few blocks the diagonal crosses are read entry by entry.
    /// </summary>
    private static void PackASymmetric(double* a, int lda, int ic, int mc, int p0, int kc, double* dst)
    {
        if (ic + mc - 1 <= p0) { PackA(Op.None, a, lda, ic, mc, p0, kc, dst); return; }
        if (ic >= p0 + kc - 1) { PackA(Op.Transpose, a, lda, ic, mc, p0, kc, dst); return; }
        const int mr = GemmMicroKernel.Rows;
        int padded = (mc + mr - 1) / mr * mr;
        for (int p = 0; p < kc; p++)
        {
            int col = p0 + p;
            double* below = a + (long)col * lda; // row col holds A[col, i] = A[i, col] for i > col
            for (int r0 = 0; r0 < padded; r0 += mr)
            {
                double* d = dst + (long)r0 * kc + p * mr;
                int rows = Math.Min(mr, mc - r0), r = 0;
                for (; r < rows; r++)
                {
                    int i = ic + r0 + r;
                    d[r] = i <= col ? a[(long)i * lda + col] : below[i];
                }
                for (; r < mr; r++) d[r] = 0;
            }
        }
    }

    /// <summary>
    /// Packs part of the slab op(B)[p0..p0+kc, jc..jc+nc] into NR-wide slivers, zero-padded: as stored (op None) the rows p in
    /// [q0, q1); transposed, the columns j in [4·q0, 4·q1) ∩ [0, nc) with all kc rows (the chunk holding the last column also
    /// writes the padding columns).
    /// </summary>
    private static void PackB(Op op, double* b, int ldb, int p0, int kc, int jc, int nc, int nr, double* dst, int q0, int q1)
    {
        int slivers = (nc + nr - 1) / nr;
        if (op == Op.None)
        {
            // Stored row p holds op(B)[p, ·]: read it once, scatter into the slivers.
            for (int p = q0; p < q1; p++)
            {
                double* src = b + (long)(p0 + p) * ldb + jc;
                int s = 0;
                // Whole slivers by vector moves: a Memmove call per 8 or 16 doubles cost more than the copy.
                if (Avx.IsSupported && nr % 4 == 0)
                    for (; (s + 1) * nr <= nc; s++)
                    {
                        double* from = src + s * nr, to = dst + (long)s * kc * nr + (long)p * nr;
                        for (int c = 0; c < nr; c += 4) Avx.Store(to + c, Avx.LoadVector256(from + c));
                    }
                for (; s < slivers; s++)
                {
                    int cols = Math.Min(nr, nc - s * nr);
                    var row = new Span<double>(dst + (long)s * kc * nr + (long)p * nr, nr);
                    new ReadOnlySpan<double>(src + s * nr, cols).CopyTo(row);
                    row[cols..].Clear();
                }
            }
        }
        else
        {
            // Stored row j holds op(B)[·, j]: walk it along p.
            int jFrom = 4 * q0, jTo = Math.Min(nc, 4 * q1);
            if (jTo == nc)
                for (int j = nc; j < slivers * nr; j++)
                    for (int p = 0; p < kc; p++) dst[(long)(j / nr) * kc * nr + (long)p * nr + j % nr] = 0;
            int j0 = jFrom;
            // Four stored rows at a time, four p at a time: a 4×4 transpose in registers (AVX) instead of 16 strided scalar stores.
            if (Avx.IsSupported && nr % 4 == 0)
                for (; j0 + 4 <= jTo; j0 += 4)
                    TransposeFourRows(b + (long)(jc + j0) * ldb + p0, ldb, kc, dst + (long)(j0 / nr) * kc * nr + j0 % nr, nr);
            for (int j = j0; j < jTo; j++)
            {
                double* src = b + (long)(jc + j) * ldb + p0;
                double* d = dst + (long)(j / nr) * kc * nr + j % nr;
                for (int p = 0; p < kc; p++) d[(long)p * nr] = src[p];
            }
        }
    }

    /// <summary>d[p·nr + r] = row_r[p] for the four stored rows r (stride ldb) and p &lt; kc: per four p, a 4×4 transpose.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeFourRows(double* row, int ldb, int kc, double* d, int nr)
    {
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            // The next four rows' runs, a cache line per row every eight p: short runs from rows far apart are not followed by the
            // hardware prefetcher, and B (the weights of a wide layer) is rarely in cache.
            if ((p & 7) == 0)
                for (int r = 4; r < 8; r++) Sse.Prefetch0(row + r * (long)ldb + p);
            var r0 = Avx.LoadVector256(row + p);
            var r1 = Avx.LoadVector256(row + ldb + p);
            var r2 = Avx.LoadVector256(row + 2L * ldb + p);
            var r3 = Avx.LoadVector256(row + 3L * ldb + p);
            var (c0, c1, c2, c3) = Transpose4(r0, r1, r2, r3);
            double* o = d + (long)p * nr;
            Avx.Store(o, c0);
            Avx.Store(o + nr, c1);
            Avx.Store(o + 2L * nr, c2);
            Avx.Store(o + 3L * nr, c3);
        }
        for (; p < kc; p++)
            for (int r = 0; r < 4; r++) d[(long)p * nr + r] = row[(long)r * ldb + p];
    }

    /// <summary>Copies the upper triangle onto the lower one in 64×64 blocks (cache-friendly transpose).</summary>
    internal static void MirrorUpper(int n, double* c, int ldc, int threads)
    {
        const int block = 64;
        int blocks = (n + block - 1) / block;
        var pc = (nint)c;
        Parallel.For(0, blocks, Options(threads), bi =>
        {
            double* cc = (double*)pc;
            int i0 = bi * block, i1 = Math.Min(n, i0 + block);
            for (int j0 = 0; j0 <= i0; j0 += block)
            {
                int j1 = Math.Min(n, j0 + block);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < Math.Min(j1, i); j++)
                        cc[(long)i * ldc + j] = cc[(long)j * ldc + i];
            }
        });
    }
}

using System.Runtime.CompilerServices;
using FimVerify.Numeric.Kernels;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// Stage 2 of the two-stage tridiagonalisation: a symmetric band matrix of bandwidth b to tridiagonal form T = QᵀBQ by Householder
/// bulge chasing (the algorithm of LAPACK's dsytrd_sb2st, Haidar, Ltaief and Dongarra 2011), eigenvalues only (Q is not kept).
/// Sweep i annihilates row i beyond its first off-diagonal entry with a reflector H on the next b indices J₁ and applies it to
/// both sides: the diagonal block A[J₁, J₁] ← H A H, and the block to its right A[J₁, J₂] ← H A, which fills in (the bulge). A
/// new reflector from the bulge's first row, applied from the right, pushes the bulge one block down, and so on to the end of
/// the matrix; the rest of each bulge is annihilated by the next sweep. Work ≈ 6n²b flops on b×b blocks (kept in L1/L2).
/// Parallel: each sweep's steps are cut into W equal runs, run w going to worker w, so every worker keeps to its own stretch of
/// rows (in its own caches) sweep after sweep and only a reflector crosses to the next worker per sweep. Step k of sweep i (on the
/// rows from i + 1 + (k−1)b to i + kb) waits for step k − 1 of its sweep and for step k + 1 of sweep i − 1, the last one touching
/// those rows; every entry is then computed from the same values in the same order as in the sequential run, so the result does
/// not depend on the number of workers.
/// </summary>
public static unsafe class BandTridiagonalReduction
{
    /// <summary>Below this order one thread does it all (the sweeps are too short to pipeline).</summary>
    private const int ParallelOrder = 256;

    /// <summary>Fewer steps of the longest sweep per worker would hand a reflector across at almost every step.</summary>
    private const int MinimumStepsPerWorker = 4;

    /// <summary>The diagonal (n) and off-diagonal (n − 1) of a tridiagonal matrix with the eigenvalues of <paramref name="band"/>.</summary>
    public static (double[] Diagonal, double[] OffDiagonal) Reduce(SymmetricBandMatrix band, int maxDegreeOfParallelism = -1)
    {
        int n = band.N, b = band.Bandwidth;
        var d = new double[n];
        var e = new double[Math.Max(0, n - 1)];
        int exponent = ExactScaling.Exponent(ExactScaling.LargestMagnitude(band.Data), "band matrix");
        if (b <= 1 || n <= 2)
        {
            for (int i = 0; i < n; i++) d[i] = band[i, 0];
            for (int i = 0; i + 1 < n; i++) e[i] = b == 0 ? 0 : band[i, 1];
            return (d, e);
        }
        // Working storage with room for the bulge: row r holds A[r, r..r + 2b] at r·ld (ld = 2b + 1), so that A[r, c] sits at
        // w + r·(ld − 1) + c and a block of rows is a row-major matrix with stride ld − 1.
        int ld = 2 * b + 1;
        var storage = new double[(long)n * ld + ld];
        for (int r = 0; r < n; r++)
            band.Data.AsSpan(r * (b + 1), b + 1).CopyTo(storage.AsSpan(r * ld));
        ExactScaling.Apply(storage, -exponent);
        int workers = n < ParallelOrder ? 1
            : Resources.KernelThreads.Limit(maxDegreeOfParallelism);
        workers = Math.Min(workers, Math.Max(1, ((n - 3) / b + 1) / MinimumStepsPerWorker)); // a worker gets a few steps of the first sweep
        fixed (double* w = storage)
        {
            var chase = new BulgeChase(w, n, b, workers);
            if (workers == 1) chase.Worker(0);
            else
            {
                // Dedicated threads: every worker must be running at once (each waits on the one before), which the thread pool
                // does not promise.
                var threads = new Thread[workers - 1];
                Exception? failure = null;
                void Run(int id)
                {
                    try { chase.Worker(id); }
                    catch (Exception ex)
                    {
                        // The first failure is the cause; the others are workers cancelled because of it.
                        if (ex is not OperationCanceledException) Interlocked.CompareExchange(ref failure, ex, null);
                        chase.Abort();
                    }
                }
                for (int t = 1; t < workers; t++)
                {
                    int id = t;
                    threads[t - 1] = new Thread(() => Run(id), 1 << 20) { IsBackground = true, Name = "band reduction" };
                    threads[t - 1].Start();
                }
                Run(0);
                foreach (var thread in threads) thread.Join();
                if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }
        for (int i = 0; i < n; i++) d[i] = storage[(long)i * ld];
        for (int i = 0; i + 1 < n; i++) e[i] = storage[(long)i * ld + 1];
        ExactScaling.Apply(d, exponent);
        ExactScaling.Apply(e, exponent);
        return (d, e);
    }

    private sealed class BulgeChase(double* w, int n, int b, int workers)
    {
        private const int Done = int.MaxValue;
        private readonly int _stride = 2 * b;          // ld − 1: A[r, c] at w + r·stride + c
        private readonly int[] _progress = new int[n];  // steps of each sweep finished (Done at its end)
        // The reflector (v, τ) a worker hands to the next one where it leaves a sweep: b + 1 values per sweep.
        private readonly double[] _handoff = workers > 1 ? new double[(long)n * (b + 1)] : [];
        private volatile bool _aborted;

        public void Abort() => _aborted = true;

        private double* At(int r, int c) => w + (long)r * _stride + c;

        /// <summary>Steps of sweep i: step k works on the rows from s_k = i + 1 + (k − 1)b, and exists while s_k ≤ n − 2.</summary>
        private int Steps(int i) => i > n - 3 ? 0 : (n - 3 - i) / b + 1;

        public void Worker(int id)
        {
            var v = new double[b];
            var vNext = new double[b];
            var y = new double[b];
            fixed (double* pv = v, pn = vNext, py = y)
                for (int i = 0; i < n; i++)
                {
                    // Worker id takes the id-th of `workers` equal runs of steps of every sweep: the rows it works on stay its own
                    // (in its caches) from sweep to sweep, and only a reflector crosses to the next worker per sweep.
                    int steps = Steps(i);
                    int first = (int)((long)steps * id / workers) + 1, last = (int)((long)steps * (id + 1) / workers);
                    if (first <= last) Sweep(i, first, last, pv, pn, py);
                }
        }

        /// <summary>Waits until sweep <paramref name="i"/> has finished its step <paramref name="step"/> (or all of it).</summary>
        private void WaitFor(int i, int step)
        {
            if (i < 0 || workers == 1) return;
            var spin = new SpinWait();
            while (Volatile.Read(ref _progress[i]) < step)
            {
                if (_aborted) throw new OperationCanceledException("another band reduction worker failed");
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        /// <summary>Steps first..last of sweep i. Step k needs step k − 1 of this sweep and step k + 1 of the sweep before (the
        /// last one touching its rows); sweep i's first step creates the reflector that annihilates row i.</summary>
        private void Sweep(int i, int first, int last, double* v, double* vNext, double* y)
        {
            int steps = Steps(i);
            double tau;
            if (first == 1)
            {
                WaitFor(i - 1, 2);
                tau = Reflector(At(i, i + 1), Math.Min(b, n - 1 - i), v);
            }
            else
            {
                WaitFor(i, first - 1);
                var slot = _handoff.AsSpan((int)((long)i * (b + 1)), b + 1);
                for (int c = 0; c < b; c++) v[c] = slot[c];
                tau = slot[b];
            }
            for (int k = first; k <= last; k++)
            {
                if (k > 1) WaitFor(i - 1, k + 1);
                int s = i + 1 + (k - 1) * b, len = Math.Min(b, n - s);
                // H A[J, J] H on the diagonal block J = [s, s + len).
                if (tau != 0) TwoSided(At(s, s), len, v, tau, y);
                int sn = s + len, lenNext = Math.Min(b, n - sn);
                // The block to the right: B ← H B, then a reflector from its first row pushes the bulge on (B ← B Hₙ).
                double tauNext = lenNext > 0 ? Chase(At(s, sn), len, lenNext, v, tau, vNext, y) : 0;
                if (k == last && k < steps)
                {
                    var slot = _handoff.AsSpan((int)((long)i * (b + 1)), b + 1);
                    for (int c = 0; c < b; c++) slot[c] = vNext[c];
                    slot[b] = tauNext;
                }
                Volatile.Write(ref _progress[i], k == steps ? Done : k);
                var swap = v; v = vNext; vNext = swap;
                tau = tauNext;
            }
        }

        /// <summary>
        /// H = I − τ v vᵀ with v[0] = 1 such that x H = (β, 0, …, 0); x is overwritten by (β, 0, …). Returns τ (0: x is already so).
        /// </summary>
        private static double Reflector(double* x, int len, double* v)
        {
            double sigma = 0;
            for (int c = 1; c < len; c++) sigma += x[c] * x[c];
            v[0] = 1;
            if (sigma == 0) { for (int c = 1; c < len; c++) v[c] = 0; return 0; }
            double alpha = x[0];
            double beta = -Math.CopySign(Math.Sqrt(alpha * alpha + sigma), alpha);
            double scale = 1 / (alpha - beta);
            for (int c = 1; c < len; c++) { v[c] = x[c] * scale; x[c] = 0; }
            x[0] = beta;
            return (beta - alpha) / beta;
        }

        /// <summary>
        /// D ← H D H for the symmetric len×len block D (upper triangle stored, rows stride apart): y = τ D v,
        /// y −= ½ τ (yᵀv) v, D −= v yᵀ + y vᵀ (LAPACK dlarfy).
        /// </summary>
        private void TwoSided(double* dBlock, int len, double* v, double tau, double* y)
        {
            for (int c = 0; c < len; c++) y[c] = 0;
            for (int r = 0; r < len; r++)
            {
                double* row = dBlock + (long)r * _stride;
                // Row r of the upper triangle gives y[r] (with the diagonal) and, by symmetry, feeds y[r + 1..].
                y[r] += row[r] * v[r] + Rows.DotAxpy(row + r + 1, v + r + 1, v[r], y + r + 1, len - r - 1);
            }
            for (int c = 0; c < len; c++) y[c] *= tau;
            double alpha = -0.5 * tau * Rows.Dot(y, v, len);
            Rows.Axpy(alpha, v, y, len);
            for (int r = 0; r < len; r++)
            {
                double* row = dBlock + (long)r * _stride;
                Rows.Rank2(row + r, v[r], y + r, y[r], v + r, len - r);
            }
        }

        /// <summary>
        /// B ← H B for the len×lenNext block B right of the diagonal block (H from v, τ); then Hₙ from B's first row, B[0, ·] ←
        /// (β, 0, …) and B[1.., ·] ← B[1.., ·] Hₙ. Returns τₙ (vNext receives vₙ); with lenNext = 1 there is nothing to annihilate.
        /// </summary>
        private double Chase(double* block, int len, int lenNext, double* v, double tau, double* vNext, double* z)
        {
            if (tau != 0)
            {
                // z = vᵀ B, then B[r, ·] −= τ v[r] z (row by row, fused below with the right reflector).
                for (int c = 0; c < lenNext; c++) z[c] = 0;
                for (int r = 0; r < len; r++) Rows.Axpy(v[r], block + (long)r * _stride, z, lenNext);
                Rows.Axpy(-tau * v[0], z, block, lenNext);
            }
            if (lenNext < 2)
            {
                if (tau != 0) for (int r = 1; r < len; r++) block[(long)r * _stride] -= tau * v[r] * z[0];
                return 0;
            }
            double tauNext = Reflector(block, lenNext, vNext);
            for (int r = 1; r < len; r++)
            {
                double* row = block + (long)r * _stride;
                double dot = tau != 0 ? Rows.AxpyDot(-tau * v[r], z, row, vNext, lenNext) : Rows.Dot(row, vNext, lenNext);
                if (tauNext != 0) Rows.Axpy(-tauNext * dot, vNext, row, lenNext);
            }
            return tauNext;
        }
    }

    /// <summary>SIMD primitives on short contiguous rows (a fixed summation order for a given length).</summary>
    private static class Rows
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Dot(double* x, double* y, int len) =>
            Lanes512.IsSupported ? Dot<Lanes512>(x, y, len) : Lanes256.IsSupported ? Dot<Lanes256>(x, y, len) : DotTail(x, y, 0, len, 0);

        private static double Dot<TV>(double* x, double* y, int len) where TV : struct, ILanes<TV>
        {
            int wd = TV.Count, c = 0;
            var acc0 = TV.Broadcast(0); var acc1 = acc0;
            for (; c + 2 * wd <= len; c += 2 * wd)
            {
                acc0 = TV.MultiplyAdd(TV.Load(x + c), TV.Load(y + c), acc0);
                acc1 = TV.MultiplyAdd(TV.Load(x + c + wd), TV.Load(y + c + wd), acc1);
            }
            if (c + wd <= len) { acc0 = TV.MultiplyAdd(TV.Load(x + c), TV.Load(y + c), acc0); c += wd; }
            return DotTail(x, y, c, len, TV.Sum(TV.Add(acc0, acc1)));
        }

        /// <summary>Returns x·v while y ← y + a·x (one pass over x).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double DotAxpy(double* x, double* v, double a, double* y, int len)
        {
            if (Lanes512.IsSupported) return DotAxpy<Lanes512>(x, v, a, y, len);
            if (Lanes256.IsSupported) return DotAxpy<Lanes256>(x, v, a, y, len);
            double s = 0;
            for (int c = 0; c < len; c++) { s += x[c] * v[c]; y[c] += a * x[c]; }
            return s;
        }

        private static double DotAxpy<TV>(double* x, double* v, double a, double* y, int len) where TV : struct, ILanes<TV>
        {
            int wd = TV.Count, c = 0;
            var acc = TV.Broadcast(0); var va = TV.Broadcast(a);
            for (; c + wd <= len; c += wd)
            {
                var xc = TV.Load(x + c);
                acc = TV.MultiplyAdd(xc, TV.Load(v + c), acc);
                TV.Store(TV.MultiplyAdd(va, xc, TV.Load(y + c)), y + c);
            }
            double s = TV.Sum(acc);
            for (; c < len; c++) { s += x[c] * v[c]; y[c] += a * x[c]; }
            return s;
        }

        /// <summary>x ← x + a·z, then returns x·v (one pass over x).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double AxpyDot(double a, double* z, double* x, double* v, int len)
        {
            if (Lanes512.IsSupported) return AxpyDot<Lanes512>(a, z, x, v, len);
            if (Lanes256.IsSupported) return AxpyDot<Lanes256>(a, z, x, v, len);
            double s = 0;
            for (int c = 0; c < len; c++) { x[c] += a * z[c]; s += x[c] * v[c]; }
            return s;
        }

        private static double AxpyDot<TV>(double a, double* z, double* x, double* v, int len) where TV : struct, ILanes<TV>
        {
            int wd = TV.Count, c = 0;
            var acc = TV.Broadcast(0); var va = TV.Broadcast(a);
            for (; c + wd <= len; c += wd)
            {
                var xc = TV.MultiplyAdd(va, TV.Load(z + c), TV.Load(x + c));
                TV.Store(xc, x + c);
                acc = TV.MultiplyAdd(xc, TV.Load(v + c), acc);
            }
            double s = TV.Sum(acc);
            for (; c < len; c++) { x[c] += a * z[c]; s += x[c] * v[c]; }
            return s;
        }

        private static double DotTail(double* x, double* y, int c, int len, double s)
        {
            for (; c < len; c++) s += x[c] * y[c];
            return s;
        }

        /// <summary>y ← a·x + y.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Axpy(double a, double* x, double* y, int len)
        {
            int c = Lanes512.IsSupported ? Axpy<Lanes512>(a, x, y, len) : Lanes256.IsSupported ? Axpy<Lanes256>(a, x, y, len) : 0;
            for (; c < len; c++) y[c] += a * x[c];
        }

        private static int Axpy<TV>(double a, double* x, double* y, int len) where TV : struct, ILanes<TV>
        {
            int wd = TV.Count, c = 0;
            var va = TV.Broadcast(a);
            for (; c + wd <= len; c += wd) TV.Store(TV.MultiplyAdd(va, TV.Load(x + c), TV.Load(y + c)), y + c);
            return c;
        }

        /// <summary>row ← row − a·x − b·y.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Rank2(double* row, double a, double* x, double b, double* y, int len)
        {
            int c = Lanes512.IsSupported ? Rank2<Lanes512>(row, a, x, b, y, len) : Lanes256.IsSupported ? Rank2<Lanes256>(row, a, x, b, y, len) : 0;
            for (; c < len; c++) row[c] -= a * x[c] + b * y[c];
        }

        private static int Rank2<TV>(double* row, double a, double* x, double b, double* y, int len) where TV : struct, ILanes<TV>
        {
            int wd = TV.Count, c = 0;
            var va = TV.Broadcast(a); var vb = TV.Broadcast(b);
            for (; c + wd <= len; c += wd)
                TV.Store(TV.Subtract(TV.Load(row + c), TV.MultiplyAdd(va, TV.Load(x + c), TV.Multiply(vb, TV.Load(y + c)))), row + c);
            return c;
        }
    }
}

using System.Runtime.InteropServices;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// LAPACK's symmetric eigen-solvers through P/Invoke, when a LAPACK library loads: OpenBLAS first (optimised,
/// multi-threaded: apt-get install libopenblas0-pthread), then the reference liblapack.so.3. The Fortran
/// symbols are called directly (no LAPACKE needed), passing the hidden character-length arguments.
/// Row-major symmetric input is its own column-major transpose, so no copy in another layout is needed;
/// the column-major eigenvector output reads as one eigenvector per row.
/// </summary>
public static unsafe class NativeLapack
{
    private static readonly string[] Candidates =
    [
        "libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "liblapack.so.3", "/usr/lib/x86_64-linux-gnu/liblapack.so.3",
    ];

    // dsyevd(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info, len(jobz), len(uplo))
    private static readonly delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void> Dsyevd;
    // dsyevd_2stage: the same arguments; eigenvalues only (jobz = 'N') in LAPACK ≥ 3.7.
    private static readonly delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void> Dsyevd2Stage;
    // dsyevr(jobz, range, uplo, n, a, lda, vl, vu, il, iu, abstol, m, w, z, ldz, isuppz, work, lwork, iwork, liwork, info, 3 lengths)
    private static readonly delegate* unmanaged<byte*, byte*, byte*, int*, double*, int*, double*, double*, int*, int*, double*, int*, double*, double*, int*, int*, double*, int*, int*, int*, int*, nuint, nuint, nuint, void> Dsyevr;

    // dsytrd_sb2st(stage1, vect, uplo, n, kd, ab, ldab, d, e, hous, lhous, work, lwork, info, 3 lengths): band → tridiagonal (LAPACK ≥ 3.7).
    private static readonly delegate* unmanaged<byte*, byte*, byte*, int*, int*, double*, int*, double*, double*, double*, int*, double*, int*, int*, nuint, nuint, nuint, void> Dsb2st;
    // dsterf(n, d, e, info): eigenvalues of a symmetric tridiagonal matrix (root-free QL/QR).
    private static readonly delegate* unmanaged<int*, double*, double*, int*, void> Dsterf;

    private static readonly delegate* unmanaged<int, void> SetThreads;
    private static readonly delegate* unmanaged<int> GetThreads;

    /// <summary>The library that loaded, or null when none did.</summary>
    public static string? Library { get; }

    public static bool IsAvailable => Library != null;

    /// <summary>Whether the library has dsyevd_2stage (two-stage tridiagonalisation: dense → band by BLAS-3, band → tridiagonal by
    /// bulge chasing), used for eigenvalues without vectors.</summary>
    public static bool HasTwoStage => Dsyevd2Stage != null;

    /// <summary>Whether the library has dsytrd_sb2st (symmetric band → tridiagonal by bulge chasing, LAPACK ≥ 3.7) and dsterf,
    /// LAPACK's way to finish <see cref="SymmetricBandReduction"/>'s stage 1 for eigenvalues (<see cref="BandEigenvalues"/>).</summary>
    public static bool HasBandToTridiagonal => Dsb2st != null;

    /// <summary>Whether the library has dsterf (eigenvalues of a symmetric tridiagonal matrix, root-free QL/QR).</summary>
    public static bool HasTridiagonalEigenvalues => Dsterf != null;

    /// <summary>Whether the library's thread count can be set (OpenBLAS).</summary>
    public static bool CanSetThreads => SetThreads != null;

    /// <summary>
    /// Whether an optimised BLAS is behind the library: OpenBLAS (its thread setting resolves through the library's
    /// dependencies, also for Debian's liblapack.so.3 when the BLAS alternative is OpenBLAS) or MKL by name. Otherwise
    /// liblapack.so.3 runs on the reference BLAS, whose dsyevd is several times slower than our two-stage path.
    /// </summary>
    public static bool HasOptimisedBlas => CanSetThreads || (Library?.Contains("mkl", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>
    /// From this order on, one dense eigen-decomposition may use <see cref="LargeProblemThreads"/> OpenBLAS threads. Smaller
    /// calls (those made from parallel trials) keep one thread, so OpenBLAS's spinning workers never compete with our own threads.
    /// </summary>
    public const int MultiThreadedOrder = 2048;

    /// <summary>OpenBLAS's current thread count (1 between calls), or 1 when the library has no such setting.</summary>
    public static int CurrentThreads => GetThreads != null ? GetThreads() : 1;

    /// <summary>
    /// OpenBLAS threads for a large call: all cores (serialised: one such call at a time, reset to 1 afterwards), or the value
    /// of the environment variable FIMVERIFY_LAPACK_THREADS (1 keeps every call on one thread: best on a machine already
    /// loaded by other processes, where OpenBLAS's spinning workers lose more than they gain).
    /// </summary>
    public static int LargeProblemThreads => !CanSetThreads ? 1 : RequestedThreads ?? Environment.ProcessorCount;

    private static readonly int? RequestedThreads =
        int.TryParse(Environment.GetEnvironmentVariable("FIMVERIFY_LAPACK_THREADS"), out int t) && t >= 1 ? t : null;

    // Single-threaded calls run concurrently (readers); a multi-threaded call runs alone (writer), since the count is global.
    private static readonly ReaderWriterLockSlim ThreadCount = new();

    /// <summary>
    /// The environment variable that overrides the search: a library name or path to load instead, or "managed" for none
    /// (so a machine with OpenBLAS can reproduce one with only reference LAPACK, or with none).
    /// </summary>
    public const string LibraryVariable = "FIMVERIFY_LAPACK";

    static NativeLapack()
    {
        string? requested = Environment.GetEnvironmentVariable(LibraryVariable);
        if (string.Equals(requested, "managed", StringComparison.OrdinalIgnoreCase)) return;
        foreach (var name in string.IsNullOrEmpty(requested) ? Candidates : [requested])
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "dsyevd_", out var evd) && NativeLibrary.TryGetExport(handle, "dsyevr_", out var evr))
            {
                Dsyevd = (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void>)evd;
                Dsyevr = (delegate* unmanaged<byte*, byte*, byte*, int*, double*, int*, double*, double*, int*, int*, double*, int*, double*, double*, int*, int*, double*, int*, int*, int*, int*, nuint, nuint, nuint, void>)evr;
                Library = Path.GetFileName(name);
                if (NativeLibrary.TryGetExport(handle, "dsyevd_2stage_", out var evd2))
                    Dsyevd2Stage = (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void>)evd2;
                if (NativeLibrary.TryGetExport(handle, "dsterf_", out var sterf))
                    Dsterf = (delegate* unmanaged<int*, double*, double*, int*, void>)sterf;
                if (Dsterf != null && NativeLibrary.TryGetExport(handle, "dsytrd_sb2st_", out var sb2st))
                    Dsb2st = (delegate* unmanaged<byte*, byte*, byte*, int*, int*, double*, int*, double*, double*, double*, int*, double*, int*, int*, nuint, nuint, nuint, void>)sb2st;
                // One OpenBLAS thread by default: its spinning worker threads collapse when our own Parallel.For work (or a
                // parallel test runner) already occupies the cores. Large single calls raise it for their duration (Threads).
                if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
                {
                    SetThreads = (delegate* unmanaged<int, void>)setThreads;
                    SetThreads(1);
                    if (NativeLibrary.TryGetExport(handle, "openblas_get_num_threads", out var getThreads))
                        GetThreads = (delegate* unmanaged<int>)getThreads;
                }
                return;
            }
            NativeLibrary.Free(handle);
        }
    }

    /// <summary>
    /// All eigenvalues (ascending) of the symmetric n×n matrix in <paramref name="a"/> (row-major, overwritten) by dsyevd;
    /// with vectors, a returns eigenvector j in row j. Without vectors, dsyevd_2stage when <paramref name="twoStage"/> and the
    /// library has it. <paramref name="threads"/> OpenBLAS threads for this call (0: <see cref="LargeProblemThreads"/> from
    /// <see cref="MultiThreadedOrder"/> on, else 1); the count is restored to 1 afterwards.
    /// </summary>
    public static double[] SymmetricEigen(int n, double[] a, bool computeVectors, bool twoStage = true, int threads = 0)
    {
        if (!IsAvailable) throw new InvalidOperationException("no LAPACK library could be loaded");
        if (a.Length != (long)n * n) throw new ArgumentException($"expected {n * n} entries", nameof(a));
        var w = new double[n];
        if (n == 0) return w;
        bool useTwoStage = !computeVectors && twoStage && HasTwoStage;
        var routine = useTwoStage ? Dsyevd2Stage : Dsyevd;
        string name = useTwoStage ? "dsyevd_2stage" : "dsyevd";
        byte jobz = computeVectors ? (byte)'V' : (byte)'N', uplo = (byte)'U';
        int nn = n, lda = n, info = 0, lwork = -1, liwork = -1, iworkQuery = 0;
        double workQuery = 0;
        fixed (double* pa = a, pw = w)
        {
            routine(&jobz, &uplo, &nn, pa, &lda, pw, &workQuery, &lwork, &iworkQuery, &liwork, &info, 1, 1);
            Check(info, name + " workspace query");
            lwork = checked((int)workQuery); liwork = iworkQuery;
            var work = new double[Math.Max(1, lwork)];
            var iwork = new int[Math.Max(1, liwork)];
            using (ThreadScope.Enter(threads > 0 ? threads : n >= MultiThreadedOrder ? LargeProblemThreads : 1))
            fixed (double* pwork = work) fixed (int* piwork = iwork)
                routine(&jobz, &uplo, &nn, pa, &lda, pw, pwork, &lwork, piwork, &liwork, &info, 1, 1);
        }
        Check(info, name);
        return w;
    }

    /// <summary>
    /// All eigenvalues (ascending) of a symmetric band matrix: dsytrd_sb2st (band → tridiagonal) then dsterf, on one OpenBLAS
    /// thread (neither routine is BLAS-3). The band storage is LAPACK's lower band storage (see <see cref="SymmetricBandMatrix"/>);
    /// <paramref name="band"/>'s data is overwritten.
    /// </summary>
    public static double[] BandEigenvalues(SymmetricBandMatrix band)
    {
        if (!HasBandToTridiagonal) throw new InvalidOperationException("no LAPACK library with dsytrd_sb2st could be loaded");
        int n = band.N, kd = band.Bandwidth, ldab = kd + 1, info = 0, lhous = -1, lwork = -1;
        var d = new double[n];
        if (n == 0) return d;
        var e = new double[Math.Max(1, n - 1)];
        byte stage1 = (byte)'N', vect = (byte)'N', uplo = (byte)'L';
        double housQuery = 0, workQuery = 0;
        using (ThreadScope.Enter(1))
        fixed (double* pab = band.Data, pd = d, pe = e)
        {
            Dsb2st(&stage1, &vect, &uplo, &n, &kd, pab, &ldab, pd, pe, &housQuery, &lhous, &workQuery, &lwork, &info, 1, 1, 1);
            Check(info, "dsytrd_sb2st workspace query");
            lhous = Math.Max(1, checked((int)housQuery)); lwork = Math.Max(1, checked((int)workQuery));
            var hous = new double[lhous];
            var work = new double[lwork];
            fixed (double* ph = hous, pw = work)
                Dsb2st(&stage1, &vect, &uplo, &n, &kd, pab, &ldab, pd, pe, ph, &lhous, pw, &lwork, &info, 1, 1, 1);
            Check(info, "dsytrd_sb2st");
            Dsterf(&n, pd, pe, &info);
            Check(info, "dsterf");
        }
        return d;
    }

    /// <summary>The eigenvalues (ascending) of the symmetric tridiagonal matrix with the given diagonal (n) and off-diagonal (n − 1)
    /// by dsterf; both arrays are overwritten (the diagonal by the eigenvalues, which are returned).</summary>
    public static double[] TridiagonalEigenvalues(double[] diagonal, double[] offDiagonal)
    {
        if (!HasTridiagonalEigenvalues) throw new InvalidOperationException("no LAPACK library with dsterf could be loaded");
        int n = diagonal.Length, info = 0;
        if (offDiagonal.Length < n - 1) throw new ArgumentException($"expected {n - 1} off-diagonal entries", nameof(offDiagonal));
        if (n == 0) return diagonal;
        var e = offDiagonal.Length > 0 ? offDiagonal : new double[1];
        fixed (double* pd = diagonal, pe = e) Dsterf(&n, pd, pe, &info);
        Check(info, "dsterf");
        return diagonal;
    }

    /// <summary>The routine <see cref="SymmetricEigen"/> uses for eigenvalues only.</summary>
    public static string EigenvaluesRoutine => HasTwoStage ? "dsyevd_2stage" : "dsyevd";

    /// <summary>
    /// The OpenBLAS thread count for one LAPACK call: 1 runs concurrently with other 1-thread calls (a read lock); more runs
    /// alone (the write lock, since the count is global) and is reset to 1 on leaving.
    /// </summary>
    private readonly struct ThreadScope : IDisposable
    {
        private readonly bool _exclusive;

        private ThreadScope(bool exclusive) => _exclusive = exclusive;

        public static ThreadScope Enter(int threads)
        {
            if (threads <= 1 || !CanSetThreads)
            {
                ThreadCount.EnterReadLock();
                return new ThreadScope(false);
            }
            ThreadCount.EnterWriteLock();
            SetThreads(threads);
            return new ThreadScope(true);
        }

        public void Dispose()
        {
            if (!_exclusive) { ThreadCount.ExitReadLock(); return; }
            SetThreads(1);
            ThreadCount.ExitWriteLock();
        }
    }

    /// <summary>
    /// The eigenvalues with indices il..iu (1-based, ascending order) by dsyevr (MRRR), with their eigenvectors
    /// (row j of the returned vectors belongs to value j) when asked. <paramref name="a"/> is overwritten.
    /// </summary>
    public static (double[] Values, double[]? Vectors) SymmetricEigenRange(int n, double[] a, int il, int iu, bool computeVectors)
    {
        if (!IsAvailable) throw new InvalidOperationException("no LAPACK library could be loaded");
        if (a.Length != (long)n * n) throw new ArgumentException($"expected {n * n} entries", nameof(a));
        if (il < 1 || iu > n || il > iu) throw new ArgumentOutOfRangeException(nameof(il), "need 1 ≤ il ≤ iu ≤ n");
        int count = iu - il + 1;
        var w = new double[n];
        var z = computeVectors ? new double[(long)n * count] : new double[1];
        var isuppz = new int[2 * Math.Max(1, count)];
        byte jobz = computeVectors ? (byte)'V' : (byte)'N', range = (byte)'I', uplo = (byte)'U';
        int nn = n, lda = n, ldz = Math.Max(1, n), found = 0, info = 0, lwork = -1, liwork = -1, iworkQuery = 0;
        double vl = 0, vu = 0, abstol = 0, workQuery = 0;
        fixed (double* pa = a, pw = w, pz = z) fixed (int* pis = isuppz)
        {
            Dsyevr(&jobz, &range, &uplo, &nn, pa, &lda, &vl, &vu, &il, &iu, &abstol, &found, pw, pz, &ldz, pis, &workQuery, &lwork, &iworkQuery, &liwork, &info, 1, 1, 1);
            Check(info, "dsyevr workspace query");
            lwork = checked((int)workQuery); liwork = iworkQuery;
            var work = new double[Math.Max(1, lwork)];
            var iwork = new int[Math.Max(1, liwork)];
            using (ThreadScope.Enter(1))
            fixed (double* pwork = work) fixed (int* piwork = iwork)
                Dsyevr(&jobz, &range, &uplo, &nn, pa, &lda, &vl, &vu, &il, &iu, &abstol, &found, pw, pz, &ldz, pis, pwork, &lwork, piwork, &liwork, &info, 1, 1, 1);
        }
        Check(info, "dsyevr");
        if (found != count) throw new NumericalException($"dsyevr returned {found} eigenvalues, {count} were asked for");
        return (w[..count], computeVectors ? z : null);
    }

    private static void Check(int info, string routine)
    {
        if (info < 0) throw new ArgumentException($"{routine}: argument {-info} had an illegal value");
        if (info > 0) throw new NumericalException($"{routine} failed to converge (info = {info})");
    }
}

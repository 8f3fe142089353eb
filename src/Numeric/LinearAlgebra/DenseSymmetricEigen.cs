using MathNet.Numerics.LinearAlgebra;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>Which implementation computes a dense symmetric eigen-decomposition.</summary>
public enum EigenBackend
{
    /// <summary>Native LAPACK when a library loads, the managed fallback otherwise; for eigenvalues alone from order
    /// <see cref="DenseSymmetricEigen.TwoStageFrom"/> on, <see cref="TwoStage"/>.</summary>
    Auto,
    Native,
    Managed,
    /// <summary>Eigenvalues only, our two-stage tridiagonalisation: dense → band (<see cref="SymmetricBandReduction"/>, on the
    /// blocked GEMM), band → tridiagonal (<see cref="BandTridiagonalReduction"/>), then LAPACK's dsterf when a library loads and
    /// our implicit QL (<see cref="TridiagonalEigen"/>) otherwise.</summary>
    TwoStage,
}

/// <summary>
/// Eigenvalues ascending; <see cref="Vectors"/> (row-major) holds the unit eigenvector of Values[j] in row j,
/// or is null when not requested. <see cref="Backend"/> names the implementation that ran.
/// </summary>
public sealed record SymmetricEigenDecomposition(double[] Values, double[]? Vectors, string Backend);

/// <summary>
/// Dense symmetric eigen-solver. Eigenvalues alone of a large matrix (order ≥ <see cref="TwoStageOrder"/>, or
/// <see cref="ManagedTwoStageOrder"/> without LAPACK): our two-stage tridiagonalisation (<see cref="EigenBackend.TwoStage"/>:
/// every core, the same bits for any thread count up to the tridiagonal matrix), finished by LAPACK's dsterf when a library
/// loads. Otherwise LAPACK's dsyevd (tridiagonalisation, then divide and conquer with vectors or dsterf without; from order 2048
/// on OpenBLAS may use every core for the call) through <see cref="NativeLapack"/> when a library loads, MathNet.Numerics'
/// managed solver without one. Reports say which ran.
/// </summary>
public static class DenseSymmetricEigen
{
    /// <summary>From this order on, <see cref="EigenBackend.Auto"/> computes eigenvalues alone by <see cref="EigenBackend.TwoStage"/>
    /// when LAPACK loads (below it LAPACK's dsyevd is faster: see docs/linear-algebra.md).</summary>
    public const int TwoStageOrder = 2500;

    /// <summary>The same without LAPACK, or with LAPACK on the reference BLAS: from this order on the two-stage path beats
    /// MathNet.Numerics' solver, and reference dsyevd by far (n = 1000: 98 against 263 ms; n = 2000: 0.32 against 2.2 s).</summary>
    public const int ManagedTwoStageOrder = 128;

    /// <summary>The order from which <see cref="EigenBackend.Auto"/> uses <see cref="EigenBackend.TwoStage"/> on this machine.</summary>
    public static int TwoStageFrom => NativeLapack.IsAvailable && NativeLapack.HasOptimisedBlas ? TwoStageOrder : ManagedTwoStageOrder;

    /// <summary>
    /// The backends <see cref="EigenBackend.Auto"/> uses for eigenvalues on this machine, with the order where it switches
    /// (reports say which; <see cref="BackendFor"/> names the one for a given order).
    /// </summary>
    public static string Backend => $"{TwoStageName} from order {TwoStageFrom}, {SmallName} below";

    /// <summary>The backend <see cref="EigenBackend.Auto"/> runs for an n×n matrix.</summary>
    public static string BackendFor(int n, bool computeVectors = false) =>
        UseTwoStage(n, computeVectors, EigenBackend.Auto) ? TwoStageName : SmallName;

    private const string ManagedName = "MathNet.Numerics managed";
    private static string SmallName => NativeLapack.IsAvailable ? NativeName : ManagedName;
    private static string NativeName => $"LAPACK dsyevd ({NativeLapack.Library})";

    /// <summary>What <see cref="EigenBackend.TwoStage"/> runs on this machine. Plain ASCII without '+' or '&lt;': part files compare
    /// it as JSON text, and System.Text.Json's default encoder escapes those characters.</summary>
    public static string TwoStageName =>
        $"two-stage (ours: dense to band b = {SymmetricBandReduction.DefaultBandwidth} to tridiagonal), then "
        + (NativeLapack.HasTridiagonalEigenvalues ? $"LAPACK dsterf ({NativeLapack.Library})" : "implicit QL (ours)");

    /// <summary>All eigenvalues, ascending.</summary>
    public static double[] Eigenvalues(SymmetricMatrix a, EigenBackend backend = EigenBackend.Auto) =>
        Decompose(a, computeVectors: false, backend).Values;

    /// <summary>All eigenvalues (ascending) and, when asked, unit eigenvectors (row j for value j).</summary>
    public static SymmetricEigenDecomposition Decompose(SymmetricMatrix a, bool computeVectors = true, EigenBackend backend = EigenBackend.Auto)
    {
        CheckFinite(a);
        if (UseTwoStage(a.N, computeVectors, backend)) return new SymmetricEigenDecomposition(TwoStageEigenvalues(a), null, TwoStageName);
        if (UseNative(backend))
        {
            var copy = (double[])a.Data.Clone();
            var values = NativeLapack.SymmetricEigen(a.N, copy, computeVectors, twoStage: false);
            return new SymmetricEigenDecomposition(values, computeVectors ? copy : null, NativeName);
        }
        return Managed(a, computeVectors);
    }

    /// <summary>What <see cref="Top"/> runs on this machine (for outputs that print the backend).</summary>
    public static string TopBackend => NativeLapack.IsAvailable ? TopNativeName : ManagedName;

    private static string TopNativeName => $"LAPACK dsyevr ({NativeLapack.Library})";

    /// <summary>The k largest eigenvalues, descending (native dsyevr on the index range when available).</summary>
    public static SymmetricEigenDecomposition Top(SymmetricMatrix a, int k, bool computeVectors = false, EigenBackend backend = EigenBackend.Auto)
    {
        if (k < 1 || k > a.N) throw new ArgumentOutOfRangeException(nameof(k), $"k must be between 1 and {a.N}");
        CheckFinite(a);
        double[] values; double[]? vectors; string name;
        if (UseNative(backend))
        {
            (values, vectors) = NativeLapack.SymmetricEigenRange(a.N, (double[])a.Data.Clone(), a.N - k + 1, a.N, computeVectors);
            name = TopNativeName;
        }
        else
        {
            var all = Managed(a, computeVectors);
            values = all.Values[(a.N - k)..];
            vectors = all.Vectors?[((a.N - k) * a.N)..];
            name = ManagedName;
        }
        // Ascending → descending, rows of vectors along.
        Array.Reverse(values);
        if (vectors != null)
        {
            var flipped = new double[vectors.Length];
            for (int j = 0; j < k; j++) Array.Copy(vectors, (k - 1 - j) * a.N, flipped, j * a.N, a.N);
            vectors = flipped;
        }
        return new SymmetricEigenDecomposition(values, vectors, name);
    }

    private static bool UseTwoStage(int n, bool computeVectors, EigenBackend backend) => backend switch
    {
        EigenBackend.TwoStage when computeVectors => throw new ArgumentException("the two-stage backend computes eigenvalues only", nameof(computeVectors)),
        EigenBackend.TwoStage => true,
        EigenBackend.Auto => !computeVectors && n >= TwoStageFrom,
        _ => false,
    };

    /// <summary>Dense → band → tridiagonal (ours, every core), then the tridiagonal eigenvalues (dsterf, or our QL without LAPACK).</summary>
    private static double[] TwoStageEigenvalues(SymmetricMatrix a)
    {
        var band = SymmetricBandReduction.ToBandInPlace(a.N, (double[])a.Data.Clone(), SymmetricBandReduction.DefaultBandwidth, -1);
        var (d, e) = BandTridiagonalReduction.Reduce(band);
        if (a.N == 0) return d;
        return NativeLapack.HasTridiagonalEigenvalues ? NativeLapack.TridiagonalEigenvalues(d, e) : TridiagonalEigen.Eigenvalues(d, e);
    }

    private static bool UseNative(EigenBackend backend) => backend switch
    {
        EigenBackend.Native => NativeLapack.IsAvailable ? true : throw new InvalidOperationException("native LAPACK was requested but no LAPACK library loads"),
        EigenBackend.Managed => false,
        _ => NativeLapack.IsAvailable,
    };

    private static void CheckFinite(SymmetricMatrix a)
    {
        if (a.HasNonFinite()) throw new NumericalException("the matrix has a NaN or infinite entry; its eigenvalues are undefined");
    }

    private static SymmetricEigenDecomposition Managed(SymmetricMatrix a, bool computeVectors)
    {
        int n = a.N;
        if (n == 0) return new SymmetricEigenDecomposition([], computeVectors ? [] : null, ManagedName); // MathNet fails on 0×0
        var m = Matrix<double>.Build.Dense(n, n, (double[])a.Data.Clone()); // symmetric: row- and column-major agree
        var evd = m.Evd(Symmetricity.Symmetric);
        var raw = evd.EigenValues.Select(c => c.Real).ToArray();
        var order = Enumerable.Range(0, n).OrderBy(j => raw[j]).ToArray();
        var values = order.Select(j => raw[j]).ToArray();
        double[]? vectors = null;
        if (computeVectors)
        {
            var v = evd.EigenVectors; // column j is the eigenvector of raw[j]
            vectors = new double[n * n];
            for (int r = 0; r < n; r++)
                for (int i = 0; i < n; i++) vectors[r * n + i] = v[i, order[r]];
        }
        return new SymmetricEigenDecomposition(values, vectors, ManagedName);
    }
}

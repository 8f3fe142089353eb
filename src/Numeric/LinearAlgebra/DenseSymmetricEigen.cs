using MathNet.Numerics.LinearAlgebra;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>Which implementation computes a dense symmetric eigen-decomposition.</summary>
public enum EigenBackend
{
    /// <summary>Native LAPACK when a library loads, the managed fallback otherwise.</summary>
    Auto,
    Native,
    Managed,
}

/// <summary>
/// Eigenvalues ascending; <see cref="Vectors"/> (row-major) holds the unit eigenvector of Values[j] in row j,
/// or is null when not requested. <see cref="Backend"/> names the implementation that ran.
/// </summary>
public sealed record SymmetricEigenDecomposition(double[] Values, double[]? Vectors, string Backend);

/// <summary>
/// Dense symmetric eigen-solver through <see cref="NativeLapack"/> when a LAPACK library loads: dsyevd_2stage for eigenvalues
/// alone (two-stage tridiagonalisation, mostly BLAS-3) where the library has it, dsyevd (divide and conquer) with vectors;
/// from order 2048 on OpenBLAS may use every core for the call. MathNet.Numerics' managed solver otherwise; reports say which ran.
/// </summary>
public static class DenseSymmetricEigen
{
    /// <summary>Name of the backend <see cref="EigenBackend.Auto"/> uses for eigenvalues on this machine (reports say which).</summary>
    public static string Backend => NativeLapack.IsAvailable ? NativeName(false) : ManagedName;

    private const string ManagedName = "MathNet.Numerics managed";
    private static string NativeName(bool vectors) => $"LAPACK {(vectors ? "dsyevd" : NativeLapack.EigenvaluesRoutine)} ({NativeLapack.Library})";

    /// <summary>All eigenvalues, ascending.</summary>
    public static double[] Eigenvalues(SymmetricMatrix a, EigenBackend backend = EigenBackend.Auto) =>
        Decompose(a, computeVectors: false, backend).Values;

    /// <summary>All eigenvalues (ascending) and, when asked, unit eigenvectors (row j for value j).</summary>
    public static SymmetricEigenDecomposition Decompose(SymmetricMatrix a, bool computeVectors = true, EigenBackend backend = EigenBackend.Auto)
    {
        CheckFinite(a);
        if (UseNative(backend))
        {
            var copy = (double[])a.Data.Clone();
            var values = NativeLapack.SymmetricEigen(a.N, copy, computeVectors);
            return new SymmetricEigenDecomposition(values, computeVectors ? copy : null, NativeName(computeVectors));
        }
        return Managed(a, computeVectors);
    }

    /// <summary>The k largest eigenvalues, descending (native dsyevr on the index range when available).</summary>
    public static SymmetricEigenDecomposition Top(SymmetricMatrix a, int k, bool computeVectors = false, EigenBackend backend = EigenBackend.Auto)
    {
        if (k < 1 || k > a.N) throw new ArgumentOutOfRangeException(nameof(k), $"k must be between 1 and {a.N}");
        CheckFinite(a);
        double[] values; double[]? vectors; string name;
        if (UseNative(backend))
        {
            (values, vectors) = NativeLapack.SymmetricEigenRange(a.N, (double[])a.Data.Clone(), a.N - k + 1, a.N, computeVectors);
            name = $"LAPACK dsyevr ({NativeLapack.Library})";
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

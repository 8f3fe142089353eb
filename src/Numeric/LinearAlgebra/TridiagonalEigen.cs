namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// Eigen-decomposition of a symmetric tridiagonal matrix T (diagonal a, off-diagonal b) with eigenvalues ascending.
/// <see cref="FirstComponents"/>[j] is the first component of the unit eigenvector of <see cref="Values"/>[j]
/// (its square is the Gauss quadrature weight used by Stochastic Lanczos Quadrature); <see cref="Vectors"/>,
/// when requested, holds eigenvector j in column j of a row-major n×n array (sign: first component ≥ 0).
/// </summary>
public sealed record TridiagonalEigenResult(double[] Values, double[] FirstComponents, double[]? Vectors);

/// <summary>
/// Implicit QL with Wilkinson shifts on a symmetric tridiagonal matrix (the algorithm of EISPACK tql2).
/// Rotations are applied only to the rows of the eigenvector matrix that are asked for: row 0 for the first
/// components (O(n²) in all), every row for full vectors (O(n³)).
/// </summary>
public static class TridiagonalEigen
{
    private const int MaxSweepsPerEigenvalue = 60;

    /// <summary>Eigenvalues (ascending) and first eigenvector components.</summary>
    public static TridiagonalEigenResult Decompose(ReadOnlySpan<double> diagonal, ReadOnlySpan<double> offDiagonal, bool computeVectors = false)
    {
        int n = diagonal.Length;
        if (n == 0) throw new ArgumentException("the matrix is empty", nameof(diagonal));
        if (offDiagonal.Length < n - 1) throw new ArgumentException($"expected {n - 1} off-diagonal entries, got {offDiagonal.Length}", nameof(offDiagonal));
        foreach (var x in diagonal) if (!double.IsFinite(x)) throw new NumericalException("the tridiagonal matrix has a non-finite diagonal entry");
        for (int i = 0; i < n - 1; i++) if (!double.IsFinite(offDiagonal[i])) throw new NumericalException("the tridiagonal matrix has a non-finite off-diagonal entry");

        var d = diagonal.ToArray();
        var e = new double[n];
        offDiagonal[..(n - 1)].CopyTo(e);
        int rows = computeVectors ? n : 1;
        var z = new double[rows * n]; // tracked rows of the accumulated rotation matrix, starting from I
        for (int r = 0; r < rows; r++) z[r * n + r] = 1;

        // Off-diagonal entries below ε·‖T‖ are dropped (as in tql2): eigenvalues come out with absolute error O(ε‖T‖).
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.Max(norm, Math.Abs(d[i]) + Math.Abs(e[i]) + (i > 0 ? Math.Abs(e[i - 1]) : 0));
        double negligible = double.Epsilon + 2.220446049250313e-16 * norm;

        for (int l = 0; l < n; l++)
        {
            int sweeps = 0;
            while (true)
            {
                // A negligible off-diagonal entry splits the matrix; work on the block from l to m.
                int m = l;
                for (; m < n - 1; m++)
                    if (Math.Abs(e[m]) <= negligible) break;
                if (m == l) break;
                if (++sweeps > MaxSweepsPerEigenvalue)
                    throw new NumericalException($"tridiagonal QL did not converge for eigenvalue {l} after {MaxSweepsPerEigenvalue} sweeps");

                // Wilkinson shift from the leading 2×2 block, then chase the bulge from m up to l.
                double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                double r = Hypot(g, 1.0);
                g = d[m] - d[l] + e[l] / (g + Math.CopySign(r, g));
                double s = 1, c = 1, p = 0;
                int i = m - 1;
                bool underflow = false;
                for (; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    r = Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        // The rotation is undefined: deflate and restart this eigenvalue.
                        d[i + 1] -= p;
                        e[m] = 0;
                        underflow = true;
                        break;
                    }
                    s = f / r; c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2.0 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    for (int k = 0; k < rows; k++)
                    {
                        double zi = z[k * n + i], zi1 = z[k * n + i + 1];
                        z[k * n + i + 1] = s * zi + c * zi1;
                        z[k * n + i] = c * zi - s * zi1;
                    }
                }
                if (underflow) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }

        // Sort ascending, carrying the tracked rows along; fix each vector's sign by its first component.
        var order = Enumerable.Range(0, n).OrderBy(j => d[j]).ToArray();
        var values = new double[n];
        var first = new double[n];
        double[]? vectors = computeVectors ? new double[n * n] : null;
        for (int jNew = 0; jNew < n; jNew++)
        {
            int j = order[jNew];
            values[jNew] = d[j];
            double sign = z[j] < 0 ? -1 : 1;
            first[jNew] = sign * z[j];
            if (vectors != null)
                for (int k = 0; k < n; k++) vectors[k * n + jNew] = sign * z[k * n + j];
        }
        return new TridiagonalEigenResult(values, first, vectors);
    }

    /// <summary>Eigenvalues only, ascending.</summary>
    public static double[] Eigenvalues(ReadOnlySpan<double> diagonal, ReadOnlySpan<double> offDiagonal) =>
        Decompose(diagonal, offDiagonal).Values;

    // √(a² + b²) without overflow or destructive underflow.
    private static double Hypot(double a, double b)
    {
        a = Math.Abs(a); b = Math.Abs(b);
        if (a < b) (a, b) = (b, a);
        if (a == 0) return 0;
        double q = b / a;
        return a * Math.Sqrt(1 + q * q);
    }
}

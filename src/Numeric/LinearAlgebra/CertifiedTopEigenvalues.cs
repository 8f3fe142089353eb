using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>The k largest eigenvalues of a symmetric matrix, descending, each certainly within <paramref name="Bound"/> of the value given.</summary>
/// <param name="LanczosVectors">The Krylov dimension block Lanczos used.</param>
public sealed record TopEigenvalues(double[] Values, double Bound, int LanczosVectors);

/// <summary>
/// The top k eigenvalues without the whole spectrum: block Lanczos (<see cref="BlockLanczosSolver"/>, one GEMM with the matrix per
/// block) for k Ritz pairs, then a proof that they are λ₁ … λ_k, from three facts about Y (the Ritz vectors, rows), B = YAYᵀ,
/// its eigenvalues θ, R = YA − BY and η = ‖YYᵀ − I‖_F (Q = (YYᵀ)^(−1/2)Y is orthonormal, and QAQᵀ has eigenvalues θ_i·s_i,
/// s_i ∈ [1/(1+η), 1/(1−η)], by Ostrowski's theorem):
/// <list type="number">
/// <item>Residuals (Kahan): there are k eigenvalues μ₁ ≥ … ≥ μ_k of A with |μ_i − θ_i| ≤ e = (‖R‖_F + η√(1+η)/(1−η)‖B‖_F)/√(1−η)
/// + η/(1−η)·max|θ| (‖R‖_F increased by the rounding of its computation, γ_(n+k)(‖A‖_F + ‖B‖_F)‖Y‖_F).</item>
/// <item>Interlacing (Cauchy): λ_i ≥ λ_i(QAQᵀ) ≥ θ_i − |θ_i|η/(1−η).</item>
/// <item>Counting (Courant–Fischer): for any Z and the first j rows Y_j of Y, x ⊥ Y_j gives xᵀ(σI − A + Y_jᵀZ + ZᵀY_j)x = σ‖x‖² − xᵀAx,
/// so M = σI − A + Y_jᵀZ + ZᵀY_j ≻ 0 proves λ_(j+1) &lt; σ. With Z = Y_jA − ½B_jY_j, M is σI − A with A's top-j part replaced by σ:
/// positive definite when σ lies above λ_(j+1) and 0. <see cref="PositiveDefiniteCertificate"/> proves M̂ ≻ 0 with the slack
/// γ_(2j+2)(σ√n + ‖A‖_F + 2‖Y_j‖_F‖Z‖_F) ≥ ‖M̂ − M‖_F covering the rounding in forming M̂.</item>
/// </list>
/// Two ways to finish. A gap after k: (3) with j = k at σ = θ_k − 3e (just below θ_k − e) leaves room for only k eigenvalues
/// above σ, where (1) puts μ₁ … μ_k: they are λ₁ … λ_k, so |λ_i − θ_i| ≤ e. Otherwise a gap after k − 1 (none needed for k = 1): (3) with
/// j = k − 1 at σ = θ_k + e + τ/2 (τ the tolerance) gives λ_k &lt; σ and, by the same count, λ_i ∈ [θ_i − e, θ_i + e] for i &lt; k; (2)
/// bounds λ_k below. So the largest eigenvalue of a bulk (no gap at all) and the first eigenvalue after C outliers are certified too.
/// The cost is a few block products and one or two Cholesky factorisations (n³/3 flops each) instead of the reduction to
/// tridiagonal form ((4/3)n³ and the bulge chasing). No certificate (null: the caller computes the spectrum densely) when Lanczos does
/// not converge, when neither gap can be proved, or when a bound exceeds the relative tolerance. The start block is fixed, so the
/// result depends only on the matrix, on any thread count.
/// </summary>
public static class CertifiedTopEigenvalues
{
    private const double Unit = 1.0 / (1L << 53);

    /// <summary>
    /// Below this order the dense solver is as fast: on a CT × CT dual with C = 10 outliers, Lanczos needs 170–300 vectors for
    /// residuals of 10⁻¹¹ (each step's Ritz problem then costs O(m³)), so at n = 1000 the certificate took 0.2–0.7 s against 0.15–0.2 s
    /// for the whole spectrum (loaded machine); the dense cost grows like n³, the Lanczos one like n².
    /// </summary>
    public const int MinimumOrder = 2000;

    /// <summary>The top k eigenvalues (descending) within <paramref name="relativeTolerance"/>·λ₁, or null when not certified.</summary>
    public static TopEigenvalues? TryCompute(SymmetricMatrix a, int k, double relativeTolerance = 1e-10)
    {
        int n = a.N;
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), $"k must be between 1 and the order {n}");
        if (n < MinimumOrder || 8 * (k + 1) > n) return null;
        int kk = k;
        LanczosResult ritz;
        try
        {
            ritz = BlockLanczosSolver.TopEigenpairs(new DenseOperator(a), kk, SeedSequence.FromSeed(0).Child("certified-top-eigenvalues"),
                new BlockLanczosOptions(Tolerance: 0.25 * relativeTolerance / Math.Sqrt(k), BlockSize: k + 4, MaxDimension: Math.Min(n / 2, Math.Max(400, 24 * (k + 4))), ComputeVectors: true));
        }
        catch (NumericalException) { return null; }
        var y = ritz.Vectors!;                                  // the top k Ritz vectors, one per row

        // (1) B = Y A Yᵀ, R = Y A − B Y, η = ‖YYᵀ − I‖_F.
        var (ya, b) = Projected(a, y, kk);
        var g = new double[kk * kk];
        Gemm.Multiply(Op.None, Op.Transpose, kk, kk, n, 1, y, n, y, n, 0, g, kk);
        double eta = 0, bFrobenius = 0;
        for (int i = 0; i < kk; i++)
            for (int j = 0; j < kk; j++)
            {
                double dev = g[i * kk + j] - (i == j ? 1 : 0);
                eta += dev * dev;
                bFrobenius += b[i, j] * b[i, j];
            }
        eta = Math.Sqrt(eta);
        bFrobenius = Math.Sqrt(bFrobenius);
        if (!(eta < 0.5) || !double.IsFinite(bFrobenius)) return null;
        var theta = DenseSymmetricEigen.Eigenvalues(b).Reverse().ToArray();
        var r = (double[])ya.Clone();
        Gemm.Multiply(Op.None, Op.None, kk, n, kk, -1, b.Data, kk, y, n, 1, r, n);
        double aFrobenius = Math.Sqrt(SumOfSquares(a.Data)), yFrobenius = Math.Sqrt(SumOfSquares(y.AsSpan(0, kk * n)));
        double gammaN = (n + kk) * Unit / (1 - (n + kk) * Unit);
        double residual = Math.Sqrt(SumOfSquares(r)) + gammaN * (aFrobenius + bFrobenius) * yFrobenius;
        double largest = theta.Max(Math.Abs), solver = 4 * kk * Unit * bFrobenius; // the (k+1)² eigen-solver's backward error
        double e = (residual + eta * Math.Sqrt(1 + eta) / (1 - eta) * bFrobenius) / Math.Sqrt(1 - eta) + eta / (1 - eta) * largest + solver;
        double tolerance = relativeTolerance * largest;
        if (!double.IsFinite(e) || e > tolerance) return null;
        double Lower(int i) => theta[i] - Math.Abs(theta[i]) * eta / (1 - eta) - solver;

        // A gap after k: σ just below θ_k − e (M's margin is then σ − λ_(k+1), as large as it can be).
        double low = theta[k - 1] - 3 * e;
        if (low > 0 && Separated(a, y, ya, b, k, low, aFrobenius))
            return new TopEigenvalues(theta[..k], e, ritz.Iterations);
        // A gap after k − 1 and λ_k bracketed in [Lower(k), σ].
        double sigma = theta[k - 1] + e + 0.5 * tolerance;
        if (sigma > 0 && (k == 1 || theta[k - 2] - e > sigma) && Separated(a, y, ya, b, k - 1, sigma, aFrobenius))
            return new TopEigenvalues(theta[..k], Math.Max(e, Math.Max(sigma - theta[k - 1], theta[k - 1] - Lower(k - 1))), ritz.Iterations);
        return null;
    }

    /// <summary>
    /// The counting step (3) alone, for any j vectors (rows of <paramref name="vectors"/>, orthonormal or not): true only when
    /// M = σI − A + Y_jᵀZ + ZᵀY_j ≻ 0 is proved, which implies λ_(j+1)(A) &lt; σ. Exposed so that tests can hand it wrong or
    /// perturbed vectors and see that it never proves a false count.
    /// </summary>
    public static bool ProvesBelow(SymmetricMatrix a, double[] vectors, int j, double sigma)
    {
        int n = a.N;
        if (j < 0 || j >= n) throw new ArgumentOutOfRangeException(nameof(j), $"j must be between 0 and the order {n} − 1");
        if ((long)j * n > vectors.Length) throw new ArgumentException($"{j} vectors of length {n} need {(long)j * n} entries", nameof(vectors));
        var (ya, b) = Projected(a, vectors, j);
        return Separated(a, vectors, ya, b, j, sigma, Math.Sqrt(SumOfSquares(a.Data)));
    }

    /// <summary>Y A and the symmetrised B = Y A Yᵀ for the first <paramref name="k"/> rows of <paramref name="y"/>.</summary>
    private static (double[] YA, SymmetricMatrix B) Projected(SymmetricMatrix a, double[] y, int k)
    {
        int n = a.N;
        var ya = new double[(long)k * n];
        var b = new SymmetricMatrix(k);
        if (k == 0) return (ya, b);
        Gemm.Multiply(Op.None, Op.None, k, n, n, 1, y, n, a.Data, n, 0, ya, n);
        var bm = new double[k * k];
        Gemm.Multiply(Op.None, Op.Transpose, k, k, n, 1, ya, n, y, n, 0, bm, k);
        for (int p = 0; p < k; p++)
            for (int q = 0; q < k; q++) b[p, q] = 0.5 * (bm[p * k + q] + bm[q * k + p]);
        return (ya, b);
    }

    /// <summary>(3): M = σI − A + Y_jᵀZ + ZᵀY_j ≻ 0 proved, Z = Y_jA − ½B_jY_j, so λ_(j+1) &lt; σ.</summary>
    private static bool Separated(SymmetricMatrix a, double[] y, double[] ya, SymmetricMatrix b, int j, double sigma, double aFrobenius)
    {
        int n = a.N, kk = b.N;
        var m = new SymmetricMatrix(n);
        for (long i = 0; i < (long)n * n; i++) m.Data[i] = -a.Data[i];
        for (int i = 0; i < n; i++) m.Data[(long)i * n + i] += sigma;
        double zFrobenius = 0, yFrobenius = 0;
        if (j > 0)
        {
            var bj = new double[j * j];
            for (int p = 0; p < j; p++)
                for (int q = 0; q < j; q++) bj[p * j + q] = b.Data[p * kk + q];
            var z = ya.AsSpan(0, j * n).ToArray();
            Gemm.Multiply(Op.None, Op.None, j, n, j, -0.5, bj, j, y.AsSpan(0, j * n), n, 1, z, n);
            var yz = new double[(long)2 * j * n];
            var zy = new double[(long)2 * j * n];
            y.AsSpan(0, j * n).CopyTo(yz); z.CopyTo(yz, (long)j * n);
            z.CopyTo(zy, 0); y.AsSpan(0, j * n).CopyTo(zy.AsSpan(j * n));
            Gemm.Multiply(Op.Transpose, Op.None, n, n, 2 * j, 1, yz, n, zy, n, 1, m.Data, n);
            zFrobenius = Math.Sqrt(SumOfSquares(z));
            yFrobenius = Math.Sqrt(SumOfSquares(y.AsSpan(0, j * n)));
        }
        double gamma = (2 * j + 2) * Unit / (1 - (2 * j + 2) * Unit);
        double slack = gamma * (sigma * Math.Sqrt(n) + aFrobenius + 2 * yFrobenius * zFrobenius);
        return PositiveDefiniteCertificate.Holds(m, slack);
    }

    private static double SumOfSquares(ReadOnlySpan<double> x) => Dot.Product(x, x);
}

using FimVerify.Numeric.Kernels;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// A floating-point proof that a symmetric matrix is positive definite: a Cholesky factorisation of M − c·I that runs to
/// completion (Rump, "Verification of positive definiteness", BIT 46, 2006). The computed factor satisfies
/// R̂ᵀR̂ = D + ΔD with |ΔD| ≤ γ_(n+1)|R̂ᵀ||R̂| (Higham, Thm 10.3: any order of the inner products, so the blocked version below too),
/// hence ‖ΔD‖₂ ≤ γ_(n+1)‖R̂‖_F² ≤ γ_(n+1)/(1 − γ_(n+1))·tr D; D = fl(M − cI) differs from M − cI by at most u·max|D_ii| on the
/// diagonal; and R̂ᵀR̂ ⪰ 0. So λ_min(M) ≥ c − u·max|D_ii| − γ_(n+1)/(1 − γ_(n+1))·tr D, and M ≻ 0 when that exceeds 0 (or exceeds
/// the caller's bound on the error of M itself, <paramref name="slack"/>). Blocked right-looking Cholesky on the upper triangle:
/// the rows of each 64-row panel by row-oriented substitution, the trailing matrix by our SYRK (n³/3 flops in all, about a quarter
/// of the eigenvalues' reduction to tridiagonal form).
/// </summary>
public static class PositiveDefiniteCertificate
{
    private const int Panel = 64;
    private const double Unit = 1.0 / (1L << 53);

    /// <summary>
    /// True when M (only its upper triangle is read) is certainly positive definite with λ_min(M) &gt; <paramref name="slack"/> ≥ 0:
    /// the Cholesky factorisation of M − c·I completes, c chosen as twice the rounding allowance plus the slack. False when it does
    /// not (M may still be positive definite, but not by a margin this test resolves). <paramref name="m"/> is overwritten.
    /// </summary>
    public static bool Holds(SymmetricMatrix m, double slack = 0)
    {
        if (!(slack >= 0) || !double.IsFinite(slack)) throw new ArgumentOutOfRangeException(nameof(slack), "the slack must be finite and non-negative");
        int n = m.N;
        if (n == 0) return true;
        double trace = 0, largest = 0;
        for (int i = 0; i < n; i++) { double x = m[i, i]; trace += Math.Abs(x); largest = Math.Max(largest, Math.Abs(x)); }
        if (!double.IsFinite(trace)) return false;
        double gamma = (n + 1) * Unit / (1 - (n + 1) * Unit);
        // tr D ≤ (1 + nu)·Σ|M_ii| for c ≥ 0; the shift is twice what it must cover, so rounding in forming c is immaterial.
        double allowance = gamma / (1 - gamma) * trace * (1 + n * Unit) + Unit * largest;
        double c = 2 * (allowance + slack);
        for (int i = 0; i < n; i++) m.Data[(long)i * n + i] -= c;
        return Factor(m.Data, n);
    }

    /// <summary>In-place upper Cholesky of the row-major n×n array (upper triangle); false at the first pivot that is not &gt; 0.</summary>
    internal static bool Factor(double[] a, int n)
    {
        for (int j0 = 0; j0 < n; j0 += Panel)
        {
            int jb = Math.Min(Panel, n - j0);
            for (int i = j0; i < j0 + jb; i++)
            {
                var row = a.AsSpan(i * n + i, n - i);
                for (int l = j0; l < i; l++) Dot.Axpy(-a[(long)l * n + i], a.AsSpan(l * n + i, n - i), row);
                double d = row[0];
                if (!(d > 0)) return false;
                double r = Math.Sqrt(d);
                row[0] = r;
                for (int j = 1; j < row.Length; j++) row[j] /= r; // divided, as the error analysis assumes
            }
            int rest = n - j0 - jb;
            if (rest > 0)
                Syrk.MultiplyUpper(Op.Transpose, rest, jb, -1, a.AsSpan(j0 * n + j0 + jb), n, 1, a.AsSpan((j0 + jb) * n + j0 + jb), n);
        }
        return true;
    }
}

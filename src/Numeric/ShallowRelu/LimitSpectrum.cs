using MathNet.Numerics.Integration;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// The p → ∞ limit of the spectrum of J. J_ij = n_i n_j κ(t_ij) with √p W^(i) = r_i u_i i.i.d. Gaussian is the Nyström
/// matrix of the kernel r r' κ(u·u')/p, whose eigenfunctions are r·Y_k(u) for spherical harmonics Y_k of degree k,
/// with eigenvalue Λ_k = E[r²]·μ_k = d·μ_k and multiplicity N(d, k), where μ_k is the Funk–Hecke coefficient
/// μ_k = E_t[κ(t) P_k(t)] (t = u·u', density ∝ (1 − t²)^{(d−3)/2}, P_k the Gegenbauer polynomial with P_k(1) = 1).
/// Degrees 0, 1, 2 are Theorem 2's three groups: v⁽⁰⁾ ∝ r, W_l = r u_l, v^(α,β), v^(γ) ∝ r(u_α u_β), r(u_γ² − 1/d).
/// κ's odd part is t/4, so Λ_k = 0 for odd k ≥ 3. The integral is taken in θ = arccos t, where
/// κ(cos θ) = ((π − θ) cos θ + sin θ)/(2π) is smooth, by Gauss–Legendre quadrature (an independent route from the series).
/// </summary>
public static class LimitSpectrum
{
    private const int QuadratureOrder = 256;

    /// <summary>Λ_k = d·μ_k.</summary>
    public static double Level(int d, int k)
    {
        if (d < 2) throw new ArgumentOutOfRangeException(nameof(d), "d must be at least 2");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k));
        double weight(double th) => Math.Pow(Math.Sin(th), d - 2);
        double kappa(double th) => ((Math.PI - th) * Math.Cos(th) + Math.Sin(th)) / (2 * Math.PI);
        double num = GaussLegendreRule.Integrate(th => kappa(th) * Gegenbauer(d, k, Math.Cos(th)) * weight(th), 0, Math.PI, QuadratureOrder);
        double den = GaussLegendreRule.Integrate(weight, 0, Math.PI, QuadratureOrder);
        return d * num / den;
    }

    /// <summary>N(d, k), the dimension of the degree-k spherical harmonics on S^{d−1}.</summary>
    public static long Multiplicity(int d, int k)
    {
        if (k == 0) return 1;
        if (k == 1) return d;
        return Binomial(k + d - 1, d - 1) - Binomial(k + d - 3, d - 1);
    }

    /// <summary>P_k(t) normalised so that P_k(1) = 1: Gegenbauer C_k^(λ), λ = (d−2)/2 (Chebyshev T_k when d = 2).</summary>
    public static double Gegenbauer(int d, int k, double t)
    {
        if (k == 0) return 1;
        if (d == 2) return Math.Cos(k * Math.Acos(Math.Clamp(t, -1, 1)));
        double lambda = (d - 2) / 2.0;
        // Three-term recurrence for C_k^λ, divided by C_k^λ(1) = Γ(k + 2λ)/(Γ(2λ) k!) evaluated by the same recurrence at 1.
        static double C(int k, double lambda, double t)
        {
            double c0 = 1, c1 = 2 * lambda * t;
            for (int n = 2; n <= k; n++)
            {
                double c2 = (2 * t * (n + lambda - 1) * c1 - (n + 2 * lambda - 2) * c0) / n;
                c0 = c1; c1 = c2;
            }
            return k == 0 ? c0 : c1;
        }
        return C(k, lambda, t) / C(k, lambda, 1.0);
    }

    private static long Binomial(int n, int k)
    {
        if (k < 0 || k > n) return 0;
        long r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }
}

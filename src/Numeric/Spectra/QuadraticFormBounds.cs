namespace FimVerify.Numeric.Spectra;

/// <summary>
/// Finite-sample bounds on the mean of K i.i.d. quadratic forms X = vᵀBv of a positive semi-definite B (eigenvalues β_i) with the
/// probes SLQ and Hutchinson use, v = z/‖z‖ for z Rademacher (‖z‖² = n) or Gaussian (v uniform on the sphere): E X = tr B/n.
/// No normal approximation (the forms of a Fisher are strongly skewed: a few large eigenvalues carry them).
/// <list type="bullet">
/// <item>Upper tail. Both probe laws are dominated in moment-generating function by the Gaussian form g gᵀBg/n, g ~ N(0, I):
///   for Rademacher z and s ≥ 0, exp(s‖B^½z‖²) = E_g exp(√(2s) gᵀB^½z) and E_z exp(aᵀz) = Π cosh a_i ≤ exp(‖a‖²/2), so
///   E exp(s zᵀBz) ≤ E exp(s gᵀBg); for the sphere, gᵀBg = ‖g‖²·vᵀBv with ‖g‖ independent of v and E‖g‖² = n, so by Jensen
///   E exp(s n vᵀBv) ≤ E exp(s gᵀBg) for every s. With μ_i = β_i/n, E exp(s Σ_k X_k) ≤ Π_i (1 − 2sμ_i)^(−K/2), and Chernoff's
///   bound gives P(Σ X_k ≥ K·E X + t) ≤ a for t = min_s [(K/2)Σ −ln(1 − 2sμ_i) − ln a]/s − K·E X, s ∈ (0, 1/(2 max μ)).</item>
/// <item>Lower tail. For independent non-negative X_k (Maurer 2003): P(Σ (E X − X_k) ≥ t) ≤ exp(−t²/(2K·E X²)), with
///   E X² = Var X + (E X)² from the exact variance of the probe law. For sphere probes Jensen's domination holds for s &lt; 0
///   too, so Chernoff's bound with Π_i (1 + 2sμ_i)^(−K/2) applies as well and the smaller of the two is used. (For Rademacher
///   probes the Gaussian trick needs s ≥ 0, so Maurer's bound stands alone: it is the weaker side.)</item>
/// </list>
/// Both hold for every K; they are wider than the normal approximation's z·σ/√K (how much depends on the spectrum's skew).
/// </summary>
public static class QuadraticFormBounds
{
    /// <summary>
    /// The deviations of the mean of K forms beyond which each tail has probability at most <paramref name="alpha"/>: mean − E X ≥
    /// <c>Upper</c> or E X − mean ≥ <c>Lower</c>. <paramref name="eigenvalues"/> are B's, <paramref name="n"/> the dimension,
    /// <paramref name="variance"/> the exact variance of one form.
    /// </summary>
    public static (double Upper, double Lower) Deviations(IReadOnlyList<double> eigenvalues, int n, int probes, double variance, double alpha,
        ProbeDistribution distribution = ProbeDistribution.Rademacher)
    {
        if (probes < 1) throw new ArgumentOutOfRangeException(nameof(probes), "at least one probe is needed");
        if (alpha is <= 0 or >= 1 || double.IsNaN(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), "α must lie in (0, 1)");
        var mu = eigenvalues.Select(b => Math.Max(b, 0) / n).Where(m => m > 0).ToArray();
        if (mu.Length == 0) return (0, 0);
        double mean = mu.Sum(), top = mu.Max(), log = Math.Log(alpha);
        // t(s)/K + mean = [(K/2)Σ −ln(1 − 2sμ_i) − ln a]/(sK): convex in s on (0, 1/(2 top)); golden-section search on u = 2s·top.
        double Objective(double u)
        {
            double s = u / (2 * top), sum = 0;
            foreach (double m in mu) sum -= Math.Log(1 - 2 * s * m);
            return (0.5 * probes * sum - log) / (s * probes);
        }
        // Any s gives a valid bound; the search only makes it tight.
        double upper = Minimum(Objective, 1e-12, 1 - 1e-12) - mean;
        double lower = Math.Sqrt(2 * (variance + mean * mean) * -log / probes);
        if (distribution == ProbeDistribution.Gaussian)
        {
            // mean − [½Σ ln(1 + 2sμ_i) − ln(a)/K]/s over s = e^w/(2 top), w in [−30, 30].
            double Lower(double w)
            {
                double s = Math.Exp(w) / (2 * top), sum = 0;
                foreach (double m in mu) sum += Math.Log(1 + 2 * s * m);
                return -(mean - (0.5 * sum - log / probes) / s);
            }
            lower = Math.Min(lower, -Minimum(Lower, -30, 30));
        }
        return (Math.Max(upper, 0), Math.Max(lower, 0));
    }

    /// <summary>Golden-section search for the minimum of a unimodal function on [lo, hi].</summary>
    private static double Minimum(Func<double, double> f, double lo, double hi)
    {
        double phi = (Math.Sqrt(5) - 1) / 2;
        double x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo), f1 = f(x1), f2 = f(x2);
        for (int i = 0; i < 200 && hi - lo > 1e-13 * Math.Max(1, Math.Abs(hi)); i++)
        {
            if (f1 <= f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = f(x1); }
            else { lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = f(x2); }
        }
        return Math.Min(f1, f2);
    }
}

using MathNet.Numerics;

namespace FimVerify.Numeric.Verification;

/// <summary>
/// The upper regularised incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a) in log space, so that tails far below the
/// smallest double (the χ² tail of the trace claim at dp = 3·10⁵ is about 10⁻⁶¹⁶¹) keep their digits.
/// For x &gt; a + 1: Q = e^(a ln x − x − ln Γ(a))·h with h the continued fraction of Γ(a, x)/(e^(−x) x^a) (modified Lentz),
/// and the prefactor in the large-deviation form a ln x − x − ln Γ(a) = −a(r − 1 − ln r) + ½ ln a − ½ ln 2π − s(a), r = x/a,
/// where s is Stirling's error (its series for a ≥ 15): no cancellation between terms of size a, so the relative error of
/// ln Q stays near machine precision for every a. For x ≤ a + 1 (Q not small): ln(1 − P) from MathNet's lower function.
/// Tested against 40-digit mpmath values.
/// </summary>
public static class GammaTail
{
    /// <summary>ln Q(a, x) for a &gt; 0, x ≥ 0.</summary>
    public static double LogUpperRegularized(double a, double x)
    {
        if (!(a > 0) || !double.IsFinite(a)) throw new ArgumentOutOfRangeException(nameof(a), "a must be positive and finite");
        if (!(x >= 0) || double.IsNaN(x)) throw new ArgumentOutOfRangeException(nameof(x), "x must be non-negative");
        if (double.IsPositiveInfinity(x)) return double.NegativeInfinity;
        if (x == 0) return 0;
        if (x <= a + 1) return Math.Log(SpecialFunctions.GammaUpperRegularized(a, x));
        double u = (x - a) / a; // r − 1, with r − 1 − ln r = u − ln(1 + u)
        double prefactor = -a * (u - LogOnePlus(u)) + 0.5 * Math.Log(a) - 0.5 * Math.Log(2 * Math.PI) - StirlingError(a);
        return prefactor + Math.Log(ContinuedFraction(a, x));
    }

    /// <summary>ln(1 + u) to full relative precision (Goldberg's correction of ln(fl(1 + u)) for the rounding of 1 + u).</summary>
    internal static double LogOnePlus(double u)
    {
        double y = 1 + u;
        return y == 1 ? u : Math.Log(y) - ((y - 1) - u) / y;
    }

    /// <summary>log₁₀ P(χ²_k &gt; y) = log₁₀ Q(k/2, y/2).</summary>
    public static double Log10ChiSquareUpper(double k, double y) => LogUpperRegularized(k / 2, y / 2) / Math.Log(10);

    /// <summary>s(a) = ln Γ(a) − ((a − ½) ln a − a + ½ ln 2π).</summary>
    internal static double StirlingError(double a)
    {
        if (a >= 15)
        {
            double inv = 1 / a, inv2 = inv * inv;
            // 1/(12a) − 1/(360a³) + 1/(1260a⁵) − 1/(1680a⁷) + 1/(1188a⁹); the next term is below 1e-17 for a ≥ 15.
            return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188))));
        }
        return SpecialFunctions.GammaLn(a) - ((a - 0.5) * Math.Log(a) - a + 0.5 * Math.Log(2 * Math.PI));
    }

    /// <summary>Γ(a, x)/(e^(−x) x^a) = 1/(x + 1 − a − 1(1 − a)/(x + 3 − a − 2(2 − a)/(x + 5 − a − …))), for x &gt; a + 1.</summary>
    private static double ContinuedFraction(double a, double x)
    {
        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i <= 100_000; i++)
        {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b; if (Math.Abs(d) < tiny) d = tiny;
            c = b + an / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16) return h;
        }
        throw new NumericalException($"the continued fraction of Γ({a:G6}, {x:G6}) did not converge");
    }
}

using MathNet.Numerics;

namespace FimVerify.Numeric.Verification;

/// <summary>
/// Exact (Clopper–Pearson) bounds for a binomial proportion from f successes in n trials, through the identity
/// P(X ≥ f | n, q) = I_q(f, n − f + 1) with the regularised incomplete beta function I (MathNet). Bounds are
/// found by bisection on q, which is monotone; tail probabilities are evaluated directly for decisions, so a
/// decision never depends on the bisection tolerance.
/// </summary>
public static class ClopperPearson
{
    /// <summary>P(X ≥ f) for X ~ Binomial(n, q).</summary>
    public static double UpperTail(long f, long n, double q)
    {
        Check(f, n);
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q), "q must lie in [0, 1]");
        if (f <= 0) return 1.0;
        if (q == 0) return 0.0;
        if (q == 1) return 1.0;
        return SpecialFunctions.BetaRegularized(f, n - f + 1, q);
    }

    /// <summary>P(X ≤ f) for X ~ Binomial(n, q).</summary>
    public static double LowerTail(long f, long n, double q)
    {
        Check(f, n);
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q), "q must lie in [0, 1]");
        if (f >= n) return 1.0;
        if (q == 0) return 1.0;
        if (q == 1) return 0.0;
        return SpecialFunctions.BetaRegularized(n - f, f + 1, 1 - q);
    }

    /// <summary>One-sided lower confidence bound at level 1 − α: the smallest q with P(X ≥ f | q) ≥ α (0 when f = 0).</summary>
    public static double Lower(long f, long n, double alpha)
    {
        CheckAlpha(alpha); Check(f, n);
        if (f == 0) return 0.0;
        return Bisect(q => UpperTail(f, n, q) >= alpha).Below;
    }

    /// <summary>One-sided upper confidence bound at level 1 − α: the largest q with P(X ≤ f | q) ≥ α (1 when f = n).</summary>
    public static double Upper(long f, long n, double alpha)
    {
        CheckAlpha(alpha); Check(f, n);
        if (f == n) return 1.0;
        return Bisect(q => LowerTail(f, n, q) < alpha).Above;
    }

    /// <summary>Two-sided interval at level 1 − α (α/2 in each tail).</summary>
    public static (double Lower, double Upper) Interval(long f, long n, double alpha) =>
        (Lower(f, n, alpha / 2), Upper(f, n, alpha / 2));

    // Brackets the boundary of a predicate that is false below and true above it on [0, 1]. Each bound returns the
    // conservative side of the bracket; 200 halvings leave a bracket far narrower than any q these tails resolve.
    private static (double Below, double Above) Bisect(Func<double, bool> isAbove)
    {
        double lo = 0, hi = 1;
        for (int k = 0; k < 200; k++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (isAbove(mid)) hi = mid; else lo = mid;
        }
        return (lo, hi);
    }

    private static void Check(long f, long n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), "at least one trial is needed");
        if (f < 0 || f > n) throw new ArgumentOutOfRangeException(nameof(f), "the count must lie in [0, n]");
    }

    /// <summary>
    /// The smallest false-alarm rate a decision accepts: two-sided intervals halve it and Bonferroni divides it among claims, and
    /// below about 1e-300 those shares leave the normal doubles (5e-324 halved is 0).
    /// </summary>
    public const double SmallestRate = 1e-300;

    private static void CheckAlpha(double alpha)
    {
        if (alpha is <= 0 or >= 1 || double.IsNaN(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), "α must lie in (0, 1)");
    }
}

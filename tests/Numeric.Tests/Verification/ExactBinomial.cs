using System.Numerics;

namespace FimVerify.Numeric.Tests.Verification;

/// <summary>
/// Binomial tails in exact rational arithmetic, the independent route the decision layer is pinned against: with
/// b = num/den, P(X ≥ k | n, b) = Σ_{j≥k} C(n, j) num^j (den − num)^(n−j) / den^n, compared with α = a/c by cross-multiplication.
/// No floating point, no incomplete beta function.
/// </summary>
public static class ExactBinomial
{
    /// <summary>Numerator of P(X ≥ k) over den^n.</summary>
    private static BigInteger UpperNumerator(int k, int n, BigInteger num, BigInteger den)
    {
        BigInteger sum = 0, c = 1; // c = C(n, j)
        for (int j = 0; j <= n; j++)
        {
            if (j > 0) c = c * (n - j + 1) / j;
            if (j >= k) sum += c * BigInteger.Pow(num, j) * BigInteger.Pow(den - num, n - j);
        }
        return sum;
    }

    private static BigInteger LowerNumerator(int k, int n, BigInteger num, BigInteger den)
    {
        BigInteger sum = 0, c = 1;
        for (int j = 0; j <= Math.Min(k, n); j++)
        {
            if (j > 0) c = c * (n - j + 1) / j;
            sum += c * BigInteger.Pow(num, j) * BigInteger.Pow(den - num, n - j);
        }
        return sum;
    }

    /// <summary>P(X ≥ k | n, num/den) &lt; a/c, exactly.</summary>
    public static bool UpperTailBelow(int k, int n, long num, long den, long a, long c) =>
        UpperNumerator(k, n, num, den) * c < a * BigInteger.Pow(den, n);

    /// <summary>P(X ≤ k | n, num/den) &lt; a/c, exactly.</summary>
    public static bool LowerTailBelow(int k, int n, long num, long den, long a, long c) =>
        LowerNumerator(k, n, num, den) * c < a * BigInteger.Pow(den, n);

    /// <summary>P(X ≥ k | n, num/den) as a double (rounded once from the exact ratio).</summary>
    public static double UpperTail(int k, int n, long num, long den) =>
        Ratio(UpperNumerator(k, n, num, den), BigInteger.Pow(den, n));

    public static double LowerTail(int k, int n, long num, long den) =>
        Ratio(LowerNumerator(k, n, num, den), BigInteger.Pow(den, n));

    /// <summary>The smallest k ≥ 1 with P(X ≥ k) &lt; a/c, or null.</summary>
    public static int? SmallestRefutingCount(int n, long num, long den, long a, long c)
    {
        for (int k = 1; k <= n; k++)
            if (UpperTailBelow(k, n, num, den, a, c)) return k;
        return null;
    }

    private static double Ratio(BigInteger p, BigInteger q)
    {
        // Scale so that the quotient keeps 60 significant bits before converting.
        int shift = (int)(q.GetBitLength() - p.GetBitLength()) + 64;
        var scaled = shift >= 0 ? (p << shift) / q : p / (q << -shift);
        return (double)scaled * Math.Pow(2, -shift);
    }
}

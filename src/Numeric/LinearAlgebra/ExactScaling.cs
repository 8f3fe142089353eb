namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// Power-of-two scaling for the Householder reductions: a matrix whose largest entry is far from 1 is multiplied by 2^−e (exact)
/// to bring that entry into [1, 2), so the sums of squares behind each reflector neither overflow nor underflow; results are
/// scaled back by 2^e. Within 2^±64 there is no such risk and nothing is done (the bits are then those of the unscaled matrix).
/// </summary>
internal static class ExactScaling
{
    private const int Tolerated = 64;

    /// <summary>The exponent e to scale by (0: leave as is) for a matrix whose largest |entry| is <paramref name="largest"/>.</summary>
    public static int Exponent(double largest, string what)
    {
        if (!double.IsFinite(largest)) throw new NumericalException($"the {what} has a NaN or infinite entry");
        if (largest == 0) return 0;
        int e = Math.ILogB(largest);
        return Math.Abs(e) <= Tolerated ? 0 : e;
    }

    /// <summary>x ← 2^exponent · x.</summary>
    public static void Apply(Span<double> x, int exponent)
    {
        if (exponent == 0) return;
        for (int i = 0; i < x.Length; i++) x[i] = Math.ScaleB(x[i], exponent);
    }

    /// <summary>The largest |x| (NaN when x holds one).</summary>
    public static double LargestMagnitude(ReadOnlySpan<double> x)
    {
        double max = 0;
        foreach (var v in x) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}

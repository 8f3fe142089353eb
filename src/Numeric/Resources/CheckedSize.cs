namespace FimVerify.Numeric.Resources;

/// <summary>
/// Size arithmetic for counts of elements and bytes, in 64 bits with overflow checks: the estimates saturate at
/// <see cref="long.MaxValue"/> (a size no machine has, so the request is refused as too large rather than wrapped to a
/// small number), and <see cref="ArrayLength"/> turns a count into an array length or refuses it in one sentence.
/// </summary>
public static class CheckedSize
{
    /// <summary>The product of non-negative counts, saturated at <see cref="long.MaxValue"/>.</summary>
    public static long Multiply(params ReadOnlySpan<long> factors)
    {
        long product = 1;
        foreach (long f in factors)
        {
            if (f < 0) throw new ArgumentOutOfRangeException(nameof(factors), "sizes are non-negative");
            if (f == 0) return 0;
            if (product > long.MaxValue / f) product = long.MaxValue;
            else product *= f;
        }
        return product;
    }

    /// <summary>The sum of non-negative counts, saturated at <see cref="long.MaxValue"/>.</summary>
    public static long Add(params ReadOnlySpan<long> terms)
    {
        long sum = 0;
        foreach (long t in terms)
        {
            if (t < 0) throw new ArgumentOutOfRangeException(nameof(terms), "sizes are non-negative");
            sum = t > long.MaxValue - sum ? long.MaxValue : sum + t;
        }
        return sum;
    }

    /// <summary>The bytes of <paramref name="count"/> doubles.</summary>
    public static long Doubles(long count) => Multiply(count, sizeof(double));

    /// <summary>A count rounded up from a double (a width ratio times a width), saturated; NaN and negatives are errors.</summary>
    public static long Ceiling(double value)
    {
        if (double.IsNaN(value) || value < 0) throw new ArgumentOutOfRangeException(nameof(value), "sizes are non-negative");
        return value >= long.MaxValue ? long.MaxValue : (long)Math.Ceiling(value);
    }

    /// <summary>
    /// <paramref name="count"/> as the length of one .NET array, or <see cref="ResourceLimitException"/> naming
    /// <paramref name="what"/> when it exceeds <see cref="Array.MaxLength"/>.
    /// </summary>
    public static int ArrayLength(long count, string what)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "sizes are non-negative");
        if (count > Array.MaxLength)
            throw new ResourceLimitException($"{what} would need an array of {Format.Count(count)} numbers, more than the {Format.Count(Array.MaxLength)} one array can hold");
        return (int)count;
    }

    /// <summary>Human-readable sizes for messages.</summary>
    public static class Format
    {
        public static string Bytes(long bytes)
        {
            if (bytes == long.MaxValue) return "more than 9 EB (beyond 64-bit arithmetic)";
            string[] units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"];
            double v = bytes;
            int u = 0;
            while (v >= 1000 && u < units.Length - 1) { v /= 1000; u++; }
            return u == 0 ? $"{bytes} bytes" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{v:0.#} {units[u]}");
        }

        public static string Count(long n) => n == long.MaxValue ? "more than 9.2·10¹⁸"
            : n < 100_000 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : n.ToString("0.0e+0", System.Globalization.CultureInfo.InvariantCulture);
    }
}

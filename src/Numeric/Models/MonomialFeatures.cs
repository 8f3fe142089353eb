namespace FimVerify.Numeric.Models;

/// <summary>
/// The degree-m symmetric tensor power of a vector in monomial coordinates: φ_m(w)_α = √(m!/α!)·w^α over the multi-indices
/// α ∈ ℕ^d with |α| = m, so that φ_m(w)·φ_m(v) = (w·v)^m (the multinomial theorem). There are C(d + m − 1, m) of them, so
/// the Hadamard power T^{∘m} of a Gram matrix of unit vectors is the Gram matrix of their features, of rank at most that.
/// </summary>
public sealed class MonomialFeatures
{
    public int D { get; }
    public int Degree { get; }
    public int Count { get; }

    private readonly int[] _exponents; // Count × D
    private readonly double[] _weights; // √(m!/α!)

    public MonomialFeatures(int d, int degree)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), "d must be at least 1");
        if (degree < 0 || degree > 170) throw new ArgumentOutOfRangeException(nameof(degree), "the degree must lie in 0..170");
        D = d; Degree = degree;
        var exponents = new List<int>();
        var alpha = new int[d];
        Enumerate(alpha, 0, degree, exponents);
        _exponents = [.. exponents];
        Count = _exponents.Length / d;
        _weights = new double[Count];
        for (int k = 0; k < Count; k++)
        {
            // m!/α! = C(m, α₁)·C(m − α₁, α₂)·…, exactly in integers, then rounded once to double.
            var multinomial = System.Numerics.BigInteger.One;
            int left = degree;
            for (int l = 0; l < d; l++)
            {
                multinomial *= Binomial(left, _exponents[k * d + l]);
                left -= _exponents[k * d + l];
            }
            _weights[k] = Math.Sqrt((double)multinomial);
        }
    }

    /// <summary>C(d + m − 1, m), the number of monomials of degree m in d variables.</summary>
    public static long CountOf(int d, int degree)
    {
        long c = 1;
        for (int k = 1; k <= degree; k++) c = c * (d - 1 + k) / k;
        return c;
    }

    /// <summary>The exponent of variable l in monomial k.</summary>
    public int Exponent(int k, int l) => _exponents[k * D + l];

    /// <summary>destination[k] = scale·φ_m(w)_k for the d entries of w (destination has <see cref="Count"/> entries);
    /// <paramref name="powers"/> is scratch of (Degree + 1)·d entries.</summary>
    public void Evaluate(ReadOnlySpan<double> w, double scale, Span<double> destination, Span<double> powers)
    {
        int d = D, m = Degree;
        for (int l = 0; l < d; l++)
        {
            double x = 1;
            for (int e = 0; e <= m; e++) { powers[l * (m + 1) + e] = x; x *= w[l]; }
        }
        for (int k = 0; k < Count; k++)
        {
            double v = scale * _weights[k];
            for (int l = 0; l < d; l++) v *= powers[l * (m + 1) + _exponents[k * d + l]];
            destination[k] = v;
        }
    }

    private static void Enumerate(int[] alpha, int position, int remaining, List<int> into)
    {
        if (position == alpha.Length - 1)
        {
            alpha[position] = remaining;
            into.AddRange(alpha);
            return;
        }
        for (int e = remaining; e >= 0; e--)
        {
            alpha[position] = e;
            Enumerate(alpha, position + 1, remaining - e, into);
        }
    }

    private static System.Numerics.BigInteger Binomial(int n, int k)
    {
        var c = System.Numerics.BigInteger.One;
        for (int j = 1; j <= k; j++) c = c * (n - k + j) / j;
        return c;
    }
}

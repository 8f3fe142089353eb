using System.Numerics;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// Symmetric tensor powers of a vector in monomial coordinates, for every degree m ≤ MaxDegree at once:
/// φ_m(w)_α = √(m!/α!)·w^α over the multi-indices α ∈ ℕ^d with |α| = m, so that φ_m(w)·φ_m(v) = (w·v)^m (the multinomial
/// theorem). Degree m has C(d + m − 1, m) of them, so the Hadamard power T^{∘m} of a Gram matrix of unit vectors is the Gram
/// matrix of their degree-m features, of rank at most that. Monomials are stored degree by degree; each is its parent (one
/// exponent lower) times one coordinate, so evaluating all of them costs one multiplication each.
/// </summary>
public sealed class MonomialFeatures
{
    public int D { get; }
    public int MaxDegree { get; }
    /// <summary>Total number of monomials of degree ≤ MaxDegree.</summary>
    public int Count { get; }

    private readonly int[] _offsets;   // degree m occupies [_offsets[m], _offsets[m + 1])
    private readonly int[] _exponents; // Count × D
    private readonly int[] _parent, _variable;
    private readonly double[] _weights; // √(m!/α!)

    public MonomialFeatures(int d, int maxDegree)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), "d must be at least 1");
        if (maxDegree < 0 || maxDegree > 170) throw new ArgumentOutOfRangeException(nameof(maxDegree), "the degree must lie in 0..170");
        D = d; MaxDegree = maxDegree;
        var exponents = new List<int>();
        _offsets = new int[maxDegree + 2];
        for (int m = 0; m <= maxDegree; m++)
        {
            Enumerate(new int[d], 0, m, exponents);
            _offsets[m + 1] = exponents.Count / d;
        }
        _exponents = [.. exponents];
        Count = _offsets[^1];
        var index = new Dictionary<string, int>();
        for (int k = 0; k < Count; k++) index[Key(k)] = k;
        _parent = new int[Count];
        _variable = new int[Count];
        _weights = new double[Count];
        for (int k = 0; k < Count; k++)
        {
            int degree = 0;
            for (int l = 0; l < d; l++) degree += _exponents[k * d + l];
            // m!/α! = C(m, α₁)·C(m − α₁, α₂)·…, exactly in integers, then rounded once to double.
            var multinomial = BigInteger.One;
            int left = degree;
            for (int l = 0; l < d; l++)
            {
                multinomial *= Binomial(left, _exponents[k * d + l]);
                left -= _exponents[k * d + l];
            }
            _weights[k] = Math.Sqrt((double)multinomial);
            if (degree == 0) { _parent[k] = -1; continue; }
            int last = d - 1;
            while (_exponents[k * d + last] == 0) last--;
            _exponents[k * d + last]--;
            _parent[k] = index[Key(k)];
            _exponents[k * d + last]++;
            _variable[k] = last;
        }
    }

    /// <summary>C(d + m − 1, m), the number of monomials of degree m in d variables.</summary>
    public static long CountOf(int d, int degree)
    {
        long c = 1;
        for (int k = 1; k <= degree; k++) c = c * (d - 1 + k) / k;
        return c;
    }

    /// <summary>Where degree m starts in <see cref="Evaluate"/>'s output.</summary>
    public int Offset(int degree) => _offsets[degree];

    /// <summary>How many monomials have degree m.</summary>
    public int CountOfDegree(int degree) => _offsets[degree + 1] - _offsets[degree];

    /// <summary>The exponent of variable l in monomial k.</summary>
    public int Exponent(int k, int l) => _exponents[k * D + l];

    /// <summary>
    /// destination[k] = √(m!/α!)·w^α for every monomial k (degree m = |α| ≤ MaxDegree, degree by degree); <paramref name="scratch"/>
    /// holds <see cref="Count"/> entries (the unweighted monomials).
    /// </summary>
    public void Evaluate(ReadOnlySpan<double> w, Span<double> destination, Span<double> scratch)
    {
        if (w.Length < D || destination.Length < Count || scratch.Length < Count) throw new ArgumentException("w needs d entries, destination and scratch Count entries");
        scratch[0] = 1;
        destination[0] = _weights[0];
        for (int k = 1; k < Count; k++)
        {
            double v = scratch[_parent[k]] * w[_variable[k]];
            scratch[k] = v;
            destination[k] = _weights[k] * v;
        }
    }

    private string Key(int k) => string.Join(",", _exponents.AsSpan(k * D, D).ToArray());

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

    private static BigInteger Binomial(int n, int k)
    {
        var c = BigInteger.One;
        for (int j = 1; j <= k; j++) c = c * (n - k + j) / j;
        return c;
    }
}

using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// The constant C of Lemma 2 / Theorem 3 (failure probability ≤ C·D/(δ²p)). Every Gram entry of the M direction
/// vectors is an average over the p i.i.d. columns g_i = √p W^(i) ~ N(0, I_d) of a product f_a(g)f_b(g); Chebyshev
/// per entry and a union bound over the D = M(M+1)/2 entries give the bound with C = max_ab Var(f_a f_b). The value
/// comes either from an exact derivation (symbolic layer) or from a Monte Carlo estimate, and says which.
/// </summary>
public sealed record Lemma2Constant(int D, double Value, string Source, bool IsEstimate, double StandardError, string WorstEntry)
{
    /// <summary>A derived (exact) value, e.g. from the symbolic layer.</summary>
    public static Lemma2Constant Derived(int d, double value, string source, string worstEntry) =>
        new(d, value, source, false, 0.0, worstEntry);

    /// <summary>
    /// C(d) derived exactly by the symbolic layer (the largest per-column variance of a Gram entry, from Gaussian
    /// and sphere moments). This C is ours: the paper states the bound without a value.
    /// </summary>
    public static Lemma2Constant FromSymbolicLayer(int d)
    {
        var (value, entry) = FimVerify.Symbolic.LemmaConstants.chebyshevConstantWithEntry(d);
        return Derived(d, value.ToDouble(), $"derived exactly: C({d}) = {value} (ours, not the paper's)", entry);
    }

    /// <summary>D = (d+1)(d+2)(d² + 3d + 4)/8 = M(M+1)/2.</summary>
    public static double EntryCount(int d) => (d + 1.0) * (d + 2) * ((double)d * d + 3 * d + 4) / 8.0;

    /// <summary>The stated failure bound C·D/(δ²p).</summary>
    public double Bound(double delta, long p) => Value * EntryCount(D) / (delta * delta * p);
}

/// <summary>
/// The per-column functions f_a(g), g ~ N(0, I_d), r = ‖g‖, whose averages are the Gram entries of the direction
/// vectors (√p W^(i) = g_i): v⁽⁰⁾: r/√d; W_l: g_l; v^(α,β): √d g_α g_β / r; v^(γ): √(d/2)(g_γ² − r²/d)/r,
/// in the order of <see cref="DirectionVectors"/>.
/// </summary>
public static class ColumnFunctions
{
    public static void Evaluate(ReadOnlySpan<double> g, Span<double> f)
    {
        int d = g.Length;
        double r2 = 0;
        foreach (var x in g) r2 += x * x;
        double r = Math.Sqrt(r2), sd = Math.Sqrt(d);
        int k = 0;
        f[k++] = r / sd;
        for (int l = 0; l < d; l++) f[k++] = g[l];
        for (int a = 0; a < d; a++)
            for (int b = a + 1; b < d; b++) f[k++] = sd * g[a] * g[b] / r;
        for (int c = 0; c < d; c++) f[k++] = Math.Sqrt(d / 2.0) * (g[c] * g[c] - r2 / d) / r;
    }

    public static string[] Names(int d)
    {
        var names = new List<string> { "v0" };
        for (int l = 0; l < d; l++) names.Add($"W{l + 1}");
        for (int a = 0; a < d; a++) for (int b = a + 1; b < d; b++) names.Add($"v({a + 1},{b + 1})");
        for (int c = 0; c < d; c++) names.Add($"v({c + 1})");
        return names.ToArray();
    }
}

/// <summary>Monte Carlo estimate of C(d) = max over Gram entries of the per-column variance, and of the entry means.</summary>
public static class Lemma2ConstantEstimator
{
    public const int Chunks = 16;

    public sealed record Estimate(Lemma2Constant Constant, double[,] Means, double[,] Variances);

    public static Estimate MonteCarlo(int d, long columns, SeedSequence seed)
    {
        if (d < 2) throw new ArgumentOutOfRangeException(nameof(d), "d must be at least 2");
        if (columns < 2 * Chunks) throw new ArgumentOutOfRangeException(nameof(columns), $"at least {2 * Chunks} columns are needed");
        int m = DirectionVectors.Count(d);
        var sums = new double[Chunks][];
        var squares = new double[Chunks][];
        var counts = new long[Chunks];
        Parallel.For(0, Chunks, c =>
        {
            long count = columns / Chunks + (c < columns % Chunks ? 1 : 0);
            var rng = seed.Child("lemma2-constant").Child(c).CreateSampler();
            var g = new double[d];
            var f = new double[m];
            var s1 = new double[m * m];
            var s2 = new double[m * m];
            for (long n = 0; n < count; n++)
            {
                rng.FillGaussian(g);
                ColumnFunctions.Evaluate(g, f);
                for (int a = 0; a < m; a++)
                    for (int b = a; b < m; b++)
                    {
                        double x = f[a] * f[b];
                        s1[a * m + b] += x; s2[a * m + b] += x * x;
                    }
            }
            sums[c] = s1; squares[c] = s2; counts[c] = count;
        });
        var means = new double[m, m];
        var variances = new double[m, m];
        double worst = -1; string worstName = "";
        var perChunkWorst = new double[Chunks];
        var names = ColumnFunctions.Names(d);
        for (int a = 0; a < m; a++)
            for (int b = a; b < m; b++)
            {
                double s = 0, q = 0;
                for (int c = 0; c < Chunks; c++)
                {
                    s += sums[c][a * m + b]; q += squares[c][a * m + b];
                    double mc = sums[c][a * m + b] / counts[c];
                    perChunkWorst[c] = Math.Max(perChunkWorst[c], squares[c][a * m + b] / counts[c] - mc * mc);
                }
                double mean = s / columns;
                double variance = (q / columns - mean * mean) * columns / (columns - 1.0);
                means[a, b] = means[b, a] = mean;
                variances[a, b] = variances[b, a] = variance;
                if (variance > worst) { worst = variance; worstName = a == b ? $"‖{names[a]}‖²" : $"{names[a]}·{names[b]}"; }
            }
        // Spread of the per-chunk maxima: a rough standard error for the estimated maximum.
        double chunkMean = perChunkWorst.Average();
        double se = Math.Sqrt(perChunkWorst.Sum(x => (x - chunkMean) * (x - chunkMean)) / (Chunks - 1) / Chunks);
        var constant = new Lemma2Constant(d, worst,
            $"Monte Carlo estimate from {columns} Gaussian columns (max over the {m * (m + 1) / 2} Gram entries of the per-column variance)",
            true, se, worstName);
        return new Estimate(constant, means, variances);
    }
}

/// <summary>
/// The O(1/d) slack that ξ absorbs (MATH.md §1, re-derived here): with g = r u, u uniform on the sphere and
/// independent of r, E u_α²u_β² = 1/(d(d+2)) and E u_γ⁴ = 3/(d(d+2)), E r² = d give E‖v^(α,β)‖² = d/(d+2),
/// E‖v^(γ)‖² = (d−1)/(d+2), E v^(γ)·v^(γ') = −1/(d+2). Lemma 2's centres (1, 1 and −1/(d−1)) are off the means by
/// ξ(d−2) = 2/(d+2) and ξ(d−1) = 3/(d+2) (the dot products by ξ(d−1)/(d−1)); with these ξ, Chebyshev around the
/// means implies every inequality of Lemma 2. The means come from the symbolic layer's exact Gram-entry moments;
/// tests check them by Monte Carlo.
/// </summary>
public static class Lemma2Slack
{
    private static double Mean(FimVerify.Symbolic.Direction a, FimVerify.Symbolic.Direction b, int d) =>
        FimVerify.Symbolic.DirectionVectorMoments.gramEntry(a, b).Mean.Evaluate(FimVerify.Symbolic.Rational.OfInt(d)).ToDouble();

    public static double PairNormMean(int d) => Mean(FimVerify.Symbolic.Direction.NewPair(0, 1), FimVerify.Symbolic.Direction.NewPair(0, 1), d);
    public static double DiagonalNormMean(int d) => Mean(FimVerify.Symbolic.Direction.NewGamma(0), FimVerify.Symbolic.Direction.NewGamma(0), d);
    public static double DiagonalDotMean(int d) => Mean(FimVerify.Symbolic.Direction.NewGamma(0), FimVerify.Symbolic.Direction.NewGamma(1), d);
    /// <summary>ξ(d₁), d₁ = d − 2: 1 − E‖v^(α,β)‖².</summary>
    public static double XiPair(int d) => 1 - PairNormMean(d);
    /// <summary>ξ(d₂), d₂ = d − 1: 1 − E‖v^(γ)‖² (and (d−1)·|E v^(γ)·v^(γ') + 1/(d−1)|, the same number).</summary>
    public static double XiDiagonal(int d) => 1 - DiagonalNormMean(d);
}

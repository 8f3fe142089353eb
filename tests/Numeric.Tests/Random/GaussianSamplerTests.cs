using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;
using MathNet.Numerics;
using Xunit;

namespace FimVerify.Numeric.Tests.Random;

/// <summary>
/// The vectorised Box–Muller sampler: the same bits as its scalar reference and however the draws are split; the kernel's
/// ln, cos and sin against the library's; and its output against N(0, 1) by exact tests whose false-alarm rates hold at
/// the sample size used (no asymptotic approximation): the mean (exactly normal), the sum of squares (exactly χ²_n), the
/// empirical CDF (Dvoretzky–Kiefer–Wolfowitz with Massart's constant, P(sup|F_n − Φ| &gt; ε) ≤ 2e^(−2nε²) for every n), and
/// counts whose law is exactly binomial under independence (tails, the Box–Muller pair's quadrant and radius, signs of
/// neighbours). Bonferroni over the nine decisions: total false-alarm rate α = 10⁻⁶ for any seed.
/// </summary>
public class GaussianSamplerTests
{
    private const double Alpha = 1e-6;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(100_003)]
    public void SimdPathGivesTheBitsOfTheScalarReference(int length)
    {
        var seed = SeedSequence.FromSeed(3).Child("simd-vs-scalar");
        var fast = new double[length];
        var slow = new double[length];
        seed.CreateSampler().FillGaussian(fast, 0.37);
        seed.CreateReferenceSampler().FillGaussian(slow, 0.37);
        for (int k = 0; k < length; k++)
            Assert.True(BitConverter.DoubleToInt64Bits(fast[k]) == BitConverter.DoubleToInt64Bits(slow[k]), $"draw {k}: {fast[k]:R} vs {slow[k]:R}");
    }

    [Fact]
    public void DrawsFormOneSequenceHoweverTheyAreSplit()
    {
        var seed = SeedSequence.FromSeed(4);
        var whole = new double[1000];
        seed.CreateSampler().FillGaussian(whole);
        var sampler = seed.CreateSampler();
        var pieces = new List<double>();
        int[] sizes = [3, 1, 0, 16, 29, 7, 100, 1, 250];
        foreach (int size in sizes)
        {
            var part = new double[size];
            sampler.FillGaussian(part);
            pieces.AddRange(part);
            pieces.Add(sampler.NextGaussian());
            sampler.NextUniform(); // the uniform stream is separate: it does not disturb the normals
        }
        var rest = new double[whole.Length - pieces.Count];
        sampler.FillGaussian(rest);
        pieces.AddRange(rest);
        Assert.Equal(whole, pieces.ToArray());
    }

    [Fact]
    public void UniformStreamIsNotDisturbedByNormalDraws()
    {
        var seed = SeedSequence.FromSeed(5);
        var plain = seed.CreateSampler();
        var mixed = seed.CreateSampler();
        var scratch = new double[37];
        for (int k = 0; k < 100; k++)
        {
            mixed.FillGaussian(scratch);
            mixed.NextGaussian();
            Assert.Equal(plain.NextUInt64(), mixed.NextUInt64());
        }
    }

    [Fact]
    public void TransformMatchesTheLibraryLogCosAndSin()
    {
        // Deterministic: the kernel's polynomials against Math.Log, Math.Cos and Math.Sin, at random words and at the edges
        // (u = 1, the smallest u, g at the quadrant and octant boundaries).
        var rng = SeedSequence.FromSeed(6).CreateSampler();
        var words = new List<(ulong, ulong)>();
        for (int k = 0; k < 200_000; k++) words.Add((rng.NextUInt64(), rng.NextUInt64()));
        foreach (ulong a in new[] { 0UL, 1UL << 12, ulong.MaxValue, ulong.MaxValue - (1UL << 12), 1UL << 63 })
            for (int eighth = 0; eighth <= 8; eighth++)
            {
                ulong b = (ulong)eighth << 61;
                words.AddRange([(a, b), (a, b + (1UL << 12)), (a, b - (1UL << 12))]);
            }
        double worst = 0;
        foreach (var (a, b) in words)
        {
            var (z0, z1) = BoxMullerKernel.TransformScalar(a, b);
            var (r0, r1) = BoxMullerKernel.TransformReference(a, b);
            worst = Math.Max(worst, Math.Max(Math.Abs(z0 - r0), Math.Abs(z1 - r1)) / Math.Max(1, Math.Abs(r0) + Math.Abs(r1)));
        }
        Assert.True(worst <= 4e-15, $"worst relative difference {worst:E3}");
        // The extreme tail: u = 2⁻⁵² gives ρ = √(104 ln 2).
        Assert.Equal(Math.Sqrt(104 * Math.Log(2)), BoxMullerKernel.TransformScalar(ulong.MaxValue, 0).Z0, 13);
    }

    [Fact]
    public void DrawsAreStandardNormalByExactTests()
    {
        const int n = 1 << 21;
        var z = new double[n];
        SeedSequence.FromSeed(2026).Child("gaussian-sampler-quality").CreateSampler().FillGaussian(z);
        const int decisions = 9;
        double each = Alpha / decisions; // two-sided decisions put each/2 in each tail
        var failures = new List<string>();

        // 1. Σz ~ N(0, n) exactly.
        double sum = z.Sum();
        double pMean = SpecialFunctions.Erfc(Math.Abs(sum) / Math.Sqrt(2.0 * n));
        if (pMean < each) failures.Add($"mean: Σz/√n = {sum / Math.Sqrt(n):G4}, p = {pMean:E2}");

        // 2. Σz² ~ χ²_n exactly (GammaTail: log-space upper tail, tested against mpmath).
        double squares = z.Sum(x => x * x);
        double upper = Math.Pow(10, GammaTail.Log10ChiSquareUpper(n, squares));
        if (Math.Min(upper, 1 - upper) < each / 2) failures.Add($"variance: Σz²/n = {squares / n:G6}, P(χ² > Σz²) = {upper:E2}");

        // 3. DKW: sup|F_n − Φ| ≤ ε with probability ≥ 1 − 2e^(−2nε²).
        var sorted = (double[])z.Clone();
        Array.Sort(sorted);
        double sup = 0;
        for (int i = 0; i < n; i++)
        {
            double phi = 0.5 * SpecialFunctions.Erfc(-sorted[i] / Math.Sqrt(2));
            sup = Math.Max(sup, Math.Max((i + 1.0) / n - phi, phi - (double)i / n));
        }
        double epsilon = Math.Sqrt(Math.Log(2 / each) / (2.0 * n));
        if (sup > epsilon) failures.Add($"DKW: sup|F_n − Φ| = {sup:E3} > ε = {epsilon:E3}");

        // 4–5. Tail counts: #{|z| > c} ~ Binomial(n, erfc(c/√2)).
        foreach (double c in new[] { 3.0, 4.0 })
            Binomial($"P(|z| > {c})", z.Count(x => Math.Abs(x) > c), n, SpecialFunctions.Erfc(c / Math.Sqrt(2)), each, failures);

        // 6–7. The Box–Muller pair of lane j in block b: (z[16b + j], z[16b + 8 + j]) independent standard normals, so both positive
        // with probability 1/4 and z₀² + z₁² > 2 ln 4 with probability e^(−ln 4) = 1/4.
        int pairs = n / 2, bothPositive = 0, outside = 0;
        for (int b = 0; b < n / 16; b++)
            for (int j = 0; j < 8; j++)
            {
                double z0 = z[16 * b + j], z1 = z[16 * b + 8 + j];
                if (z0 > 0 && z1 > 0) bothPositive++;
                if (z0 * z0 + z1 * z1 > 2 * Math.Log(4)) outside++;
            }
        Binomial("pair quadrant", bothPositive, pairs, 0.25, each, failures);
        Binomial("pair radius", outside, pairs, 0.25, each, failures);

        // 8–9. Neighbours: adjacent lanes (disjoint pairs k = 2i, 2i + 1) and the same lane one block apart agree in sign with probability 1/2.
        int adjacent = 0, nextBlock = 0;
        for (int i = 0; i + 1 < n; i += 2) if (z[i] * z[i + 1] > 0) adjacent++;
        int blockPairs = 0;
        for (int b = 0; b + 1 < n / 16; b += 2)
            for (int k = 0; k < 16; k++, blockPairs++) if (z[16 * b + k] * z[16 * (b + 1) + k] > 0) nextBlock++;
        Binomial("adjacent lanes' signs", adjacent, n / 2, 0.5, each, failures);
        Binomial("same lane, next block's signs", nextBlock, blockPairs, 0.5, each, failures);

        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    /// <summary>Two-sided exact binomial test at level α (α/2 in each tail).</summary>
    private static void Binomial(string name, long count, long n, double p, double alpha, List<string> failures)
    {
        double low = ClopperPearson.LowerTail(count, n, p), high = ClopperPearson.UpperTail(count, n, p);
        if (Math.Min(low, high) < alpha / 2) failures.Add($"{name}: {count}/{n} = {(double)count / n:G5} vs {p:G5} (P ≤ {low:E2}, P ≥ {high:E2})");
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Verification;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;
using MathNet.Numerics.Distributions;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>Parameters of the Lemma 1 check (validated by the caller's front end and again here).</summary>
public sealed record Lemma1Parameters(int D, int P, long Samples, long Seed, double FalseAlarmRate = 1e-3);

/// <summary>The outcome of comparing Lemma 1 with Monte Carlo entrywise (eigenvalues ascending).</summary>
/// <param name="DeviationLog">t = ln(2m/α): each side of each entry is tested at α/(2m), so P(some entry beyond its bound) ≤ 2m·e^(−t) = α.</param>
/// <param name="WorstRatio">The largest |Ĵ − J| over its entry's Bernstein bound (that side's): > 1 refutes.</param>
/// <param name="DetectableRelativeError">The smallest e such that an error of e·J_ij in every entry is refuted with probability ≥ 0.9
/// (the best-resolved entry; the 0.9 from the normal approximation of Ĵ under the alternative — the false-alarm rate needs none).</param>
/// <param name="MedianDetectableRelativeError">The same for the median entry (information).</param>
public sealed record Lemma1Result(
    Lemma1Parameters Parameters,
    int EntriesCompared,
    double DeviationLog,
    double WorstRatio,
    int WorstRow,
    int WorstColumn,
    int EntriesBeyondThreshold,
    double DetectableRelativeError,
    double MedianDetectableRelativeError,
    double MaxDiagonalIdentityError,
    double MaxAsymmetry,
    double SmallestEigenvalue,
    double Trace,
    string EigenBackend,
    double[] Eigenvalues,
    SymmetricMatrix Fisher,
    MonteCarloFisherEstimate MonteCarlo)
{
    /// <summary>Consistent: no entry beyond its bound.</summary>
    public bool Consistent => EntriesBeyondThreshold == 0;

    /// <summary>FAIL when an entry is beyond its bound; UNDERPOWERED when not even an error of <see cref="Lemma1Check.Resolution"/>·J could be seen.</summary>
    public Verdict Verdict => !Consistent ? Verdict.Fail : DetectableRelativeError <= Lemma1Check.Resolution ? Verdict.Pass : Verdict.Underpowered;
}

/// <summary>
/// Lemma 1 against Monte Carlo, entry by entry, with a finite-sample bound that holds at every sample size (no central limit
/// theorem: the products ReLU(u)ReLU(v) are heavy-tailed enough that a z-test 5σ out in the tail raised false alarms at 1000
/// samples, and an entry whose samples were all 0 gave |z| = ∞). Bernstein's inequality (Boucheron–Lugosi–Massart, Thm 2.10):
/// if E[(Y − μ)₊^q] ≤ (q!/2)σ²c^(q−2) for all q ≥ 3, the mean of n i.i.d. copies satisfies P(Ȳ − μ ≥ √(2σ²t/n) + ct/n) ≤ e^(−t).
/// Under the lemma, μ = J_ij, and σ² and the scale c come from Y's own distribution (<see cref="ReluProductMoments"/>: its
/// exact moments by quadrature of a polar integral, independent of Lemma 1's closed form): c⁺ for the upper tail, and c⁻ = μ/3
/// for the lower one ((μ − Y)₊ ≤ μ since Y ≥ 0, so E[(μ − Y)₊^q] ≤ μ^(q−2)σ² ≤ (q!/2)σ²(μ/3)^(q−2)). Each side of each of the
/// m = p(p+1)/2 entries is tested at e^(−t) = α/(2m): the family-wise false-alarm rate is at most α for every n, whatever the
/// correlation between entries. The bound is about 20% wider than the CLT's at 200,000 samples; at 1000 it detects a 60%
/// error in J, at 100 none (UNDERPOWERED).
/// </summary>
public static class Lemma1Check
{
    /// <summary>A run that cannot detect an error of this size (relative to J, in its best-resolved entry) is UNDERPOWERED: J off by a factor 2.</summary>
    public const double Resolution = 1.0;

    /// <summary>t = ln(2m/α): the exponent of Bernstein's bound for each side of each of m entries.</summary>
    public static double DeviationLog(int comparisons, double falseAlarmRate) => Math.Log(2.0 * comparisons / falseAlarmRate);

    /// <summary>Bernstein's bound on |Ȳ − μ| at exponent t: √(2σ²t/n) + ct/n.</summary>
    public static double BernsteinBound(double variance, double scale, double t, long samples) =>
        Math.Sqrt(2 * variance * t / samples) + scale * t / samples;

    /// <summary>The check; <paramref name="progress"/> follows the Monte Carlo batches (the rest is one closed form and one eigen-solve).</summary>
    public static Lemma1Result Run(Lemma1Parameters parameters, IProgress<ProgressStep>? progress = null)
    {
        var (d, p) = (parameters.D, parameters.P);
        if (d < 1 || p < 1) throw new ArgumentOutOfRangeException(nameof(parameters), "d and p must be positive");
        if (parameters.FalseAlarmRate is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(parameters), "the false-alarm rate must lie in (0, 1)");
        var root = SeedSequence.FromSeed(parameters.Seed);
        var net = ShallowReluNetwork.Sample(d, p, root);
        var mc = MonteCarloFisher.Estimate(net, parameters.Samples, root, progress: progress);
        return Decide(parameters, net, net.FisherByLemma1(), mc);
    }

    /// <summary>The decision for <paramref name="j"/> (Lemma 1's J, or a candidate under test) against the Monte Carlo estimate of <paramref name="net"/>'s J.</summary>
    public static Lemma1Result Decide(Lemma1Parameters parameters, ShallowReluNetwork net, SymmetricMatrix j, MonteCarloFisherEstimate mc)
    {
        int p = net.P, d = net.D;
        int m = p * (p + 1) / 2;
        long n = mc.Samples;
        double t = DeviationLog(m, parameters.FalseAlarmRate);
        double z90 = Normal.InvCDF(0, 1, 0.9);
        var unit = net.UnitColumns();
        var ratio = new double[p * p];
        var detect = new double[p * p];
        Parallel.For(0, p, i =>
        {
            for (int k = i; k < p; k++)
            {
                double a = net.ColumnNorms[i], b = net.ColumnNorms[k];
                double cosine = 0;
                for (int l = 0; l < d; l++) cosine += unit[l * p + i] * unit[l * p + k];
                var moments = new ReluProductMoments(a, b, i == k ? 1 : cosine);
                double variance = moments.Variance;
                // A rounding allowance keeps an entry whose samples are all exactly 0 (θ = π) from failing on J's 1e-17.
                double slack = 1e-12 * a * b;
                double upper = BernsteinBound(variance, moments.BernsteinScale(), t, n) + slack;
                double lower = BernsteinBound(variance, moments.Mean / 3, t, n) + slack;
                double deviation = mc.Mean[i, k] - j[i, k];
                ratio[i * p + k] = deviation >= 0 ? deviation / upper : -deviation / lower;
                detect[i * p + k] = j[i, k] > 0 ? (Math.Max(upper, lower) + z90 * Math.Sqrt(variance / n)) / j[i, k] : double.PositiveInfinity;
            }
        });
        double worst = 0; int wi = 0, wj = 0, beyond = 0;
        var detectable = new List<double>(m);
        for (int i = 0; i < p; i++)
            for (int k = i; k < p; k++)
            {
                double r = ratio[i * p + k];
                if (r > 1) beyond++;
                if (r > worst) { worst = r; wi = i; wj = k; }
                detectable.Add(detect[i * p + k]);
            }
        detectable.Sort();
        double diagError = 0;
        for (int i = 0; i < p; i++)
            diagError = Math.Max(diagError, Math.Abs(j[i, i] - 0.5 * net.ColumnNorms[i] * net.ColumnNorms[i]));
        var eig = DenseSymmetricEigen.Eigenvalues(j);
        return new Lemma1Result(parameters, m, t, worst, wi, wj, beyond, detectable[0], detectable[detectable.Count / 2], diagError,
            j.MaxAsymmetry(), eig[0], j.Trace(), DenseSymmetricEigen.BackendFor(j.N), eig, j, mc);
    }
}

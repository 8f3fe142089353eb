using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;
using MathNet.Numerics.Distributions;

namespace FimVerify.Numeric.Verification;

/// <summary>Parameters of the Lemma 1 check (validated by the caller's front end and again here).</summary>
public sealed record Lemma1Parameters(int D, int P, long Samples, long Seed, double FalseAlarmRate = 1e-3);

/// <summary>The outcome of comparing Lemma 1 with Monte Carlo entrywise (eigenvalues ascending).</summary>
public sealed record Lemma1Result(
    Lemma1Parameters Parameters,
    int EntriesCompared,
    double Threshold,
    double WorstStandardizedDeviation,
    int WorstRow,
    int WorstColumn,
    int EntriesBeyondThreshold,
    double MaxDiagonalIdentityError,
    double MaxAsymmetry,
    double SmallestEigenvalue,
    double Trace,
    string EigenBackend,
    double[] Eigenvalues,
    SymmetricMatrix Fisher,
    MonteCarloFisherEstimate MonteCarlo)
{
    /// <summary>Consistent: no entry beyond the Bonferroni threshold.</summary>
    public bool Consistent => EntriesBeyondThreshold == 0;
}

/// <summary>
/// Lemma 1 against Monte Carlo. Decision rule: each of the m = p(p+1)/2 distinct entries gives
/// z = (Ĵ − J)/se, asymptotically N(0, 1) by the CLT; the claim is rejected when max |z| exceeds
/// Φ⁻¹(1 − α/(2m)). By the union bound the false-alarm rate is at most α whatever the correlation
/// between entries (up to the CLT approximation).
/// </summary>
public static class Lemma1Check
{
    public static double BonferroniThreshold(int comparisons, double falseAlarmRate) =>
        // The upper quantile as −z(q) of the tiny tail q itself: 1 − q rounds to 1 below q ≈ 1e-17, and z(1) = ∞ made every
        // deviation pass (the fuzz test found α = 1e-300 decided by a threshold of ∞).
        -Normal.InvCDF(0, 1, falseAlarmRate / (2.0 * comparisons));

    /// <summary>The check; <paramref name="progress"/> follows the Monte Carlo batches (the rest is one closed form and one eigen-solve).</summary>
    public static Lemma1Result Run(Lemma1Parameters parameters, IProgress<ProgressStep>? progress = null)
    {
        var (d, p) = (parameters.D, parameters.P);
        if (d < 1 || p < 1) throw new ArgumentOutOfRangeException(nameof(parameters), "d and p must be positive");
        if (parameters.FalseAlarmRate is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(parameters), "the false-alarm rate must lie in (0, 1)");
        var root = SeedSequence.FromSeed(parameters.Seed);
        var net = ShallowReluNetwork.Sample(d, p, root);
        var j = net.FisherByLemma1();
        var mc = MonteCarloFisher.Estimate(net, parameters.Samples, root, progress: progress);

        int m = p * (p + 1) / 2;
        double threshold = BonferroniThreshold(m, parameters.FalseAlarmRate);
        double worst = 0; int wi = 0, wj = 0, beyond = 0;
        for (int i = 0; i < p; i++)
            for (int k = i; k < p; k++)
            {
                double se = mc.StandardError[i, k];
                double diff = mc.Mean[i, k] - j[i, k];
                // A zero standard error can only come with a zero estimate (all samples gave 0).
                double z = se > 0 ? Math.Abs(diff) / se : (diff == 0 ? 0 : double.PositiveInfinity);
                if (z > threshold) beyond++;
                if (z > worst) { worst = z; wi = i; wj = k; }
            }
        double diagError = 0;
        for (int i = 0; i < p; i++)
            diagError = Math.Max(diagError, Math.Abs(j[i, i] - 0.5 * net.ColumnNorms[i] * net.ColumnNorms[i]));
        var eig = DenseSymmetricEigen.Eigenvalues(j);
        return new Lemma1Result(parameters, m, threshold, worst, wi, wj, beyond, diagError,
            j.MaxAsymmetry(), eig[0], j.Trace(), DenseSymmetricEigen.BackendFor(j.N), eig, j, mc);
    }
}

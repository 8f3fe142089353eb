using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Spectra;

/// <summary>SLQ settings: K probes of the given distribution, m Lanczos steps each, probe k from seed.Child("slq-probe").Child(k).</summary>
public sealed record SlqSettings(int Probes, int Steps, ProbeDistribution Distribution = ProbeDistribution.Rademacher);

/// <summary>
/// One Gauss quadrature rule per probe; the density and the moments are averages over them. <see cref="Seed"/> is the run's
/// seed (probe k drew from Seed/"slq-probe"/k), so checks can regenerate the probes.
/// </summary>
public sealed record SlqResult(IReadOnlyList<QuadratureRule> Rules, SlqSettings Settings)
{
    public SeedSequence? Seed { get; init; }

    public SpectralDensity Density(double sigma, DensityGrid grid) => new(Rules, sigma, grid);

    /// <summary>The quadrature moment Σ_k w_k τ_k^power of every probe (an unbiased sample of tr(A^power)/n).</summary>
    public double[] ProbeMoments(int power) => Rules.Select(r => r.Moment(power)).ToArray();
}

/// <summary>
/// Stochastic Lanczos Quadrature (Golub–Meurant; as in PyHessian): for a unit start vector v, m Lanczos steps
/// give a tridiagonal T whose eigenpairs (τ_k, y_k) are the nodes and weights y_k[0]² of the Gauss rule for the
/// spectral measure of A seen from v; averaging over random v estimates φ(t) = (1/n) Σ δ(t − λ_i).
/// The probes run in lockstep (every Lanczos step is one block product of all of them), in groups whose bases fit
/// in <see cref="BasisBudget"/> doubles; a probe's rule does not depend on the grouping.
/// </summary>
public static class StochasticLanczosQuadrature
{
    /// <summary>Doubles the lockstep bases of one group may hold (2 GiB).</summary>
    public const long BasisBudget = 1L << 28;

    /// <summary>The SLQ rules; <paramref name="progress"/> counts the lockstep Lanczos steps of every group of probes.</summary>
    public static SlqResult Run(ISymmetricOperator op, SlqSettings settings, SeedSequence seed, ProgressCounter? progress = null)
    {
        if (settings.Probes < 1) throw new ArgumentException("SLQ needs at least one probe");
        if (settings.Steps < 1) throw new ArgumentException("SLQ needs at least one Lanczos step");
        int n = op.Dimension, steps = EffectiveSteps(op, settings);
        int group = Group(op, settings);
        var rules = new QuadratureRule[settings.Probes];
        for (int first = 0; first < settings.Probes; first += group)
        {
            int count = Math.Min(group, settings.Probes - first);
            var starts = new double[(long)count * n];
            for (int k = 0; k < count; k++)
                ProbeVectors.Draw(settings.Distribution, n, seed.Child("slq-probe"), first + k).CopyTo(starts, (long)k * n);
            var tridiagonals = LanczosSolver.Tridiagonalise(op, starts, count, steps, progress);
            for (int k = 0; k < count; k++) rules[first + k] = LanczosQuadrature.FromTridiagonal(tridiagonals[k]);
        }
        return new SlqResult(rules, settings) { Seed = seed };
    }

    /// <summary>Lanczos steps per probe: the asked number, capped at the dimension.</summary>
    public static int EffectiveSteps(ISymmetricOperator op, SlqSettings settings) => Math.Min(settings.Steps, op.Dimension);

    /// <summary>Lockstep steps of a whole run (one per step of each group of probes): what progress counts.</summary>
    public static long LockstepSteps(ISymmetricOperator op, SlqSettings settings)
    {
        int group = Group(op, settings);
        return (long)((settings.Probes + group - 1) / group) * EffectiveSteps(op, settings);
    }

    private static int Group(ISymmetricOperator op, SlqSettings settings) => GroupSize(op.Dimension, settings);

    /// <summary>Probes per lockstep group for an operator of the given dimension (what one block product multiplies).</summary>
    public static int GroupSize(int dimension, SlqSettings settings) =>
        (int)Math.Clamp(BasisBudget / ((long)Math.Min(settings.Steps, dimension) * dimension), 1, Math.Max(1, settings.Probes));
}

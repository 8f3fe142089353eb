using System.Globalization;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.NaturalGradient;

/// <summary>
/// One metric at one width, over trials: RMS (and max) of the distances and linearised residuals of
/// <see cref="NaturalGradientOutcome"/>; medians of the real-step residuals and pre-activation changes, which can be heavy-tailed.
/// </summary>
public sealed record NaturalGradientRow(int Width, NaturalGradientMetric Metric, double Alpha, double SourceAlpha, double MeanDiagonal,
    double RmsDistance, double MaxDistance, double RmsSourceDistance, double RmsLinearResidual, double MaxLinearResidual,
    double MedianStepResidual, double MedianSourceStepResidual, double MedianLargestPreactivationChange)
{
    /// <summary>The trials' outcomes at this width, for the limit estimates.</summary>
    public IReadOnlyList<NaturalGradientOutcome> Outcomes { get; init; } = [];

}

/// <summary>The outcome: rows by width and metric, our claims (they set the verdict) and the checks of seed 002's own statements.</summary>
public sealed record NaturalGradientSweepResult(IReadOnlyList<NaturalGradientRow> Rows, IReadOnlyList<ClaimDecision> Claims,
    IReadOnlyList<ClaimDecision> SourceChecks)
{
    /// <summary>None of our claims is refuted.</summary>
    public bool NoneRefuted => Claims.All(c => c.Verdict != Verdict.Fail);

    /// <summary>PASS/FAIL for our claims, CONFIRMED/REFUTED for a source's statement; UNDERPOWERED and UNDECIDED as they are.</summary>
    public static string Word(Verdict verdict, bool sourceCheck) => verdict switch
    {
        Verdict.Pass => sourceCheck ? "CONFIRMED" : "PASS",
        Verdict.Fail => sourceCheck ? "REFUTED" : "FAIL",
        Verdict.Undecided => "UNDECIDED",
        Verdict.Underpowered => "UNDERPOWERED",
        _ => "VACUOUS",
    };
}

/// <summary>
/// The isotropic condition Θ̄ = αI and its consequence, one NGD step with η = 1/α solving the training set, over
/// growing width M (depth L, N samples, one output). Each claim goes through the decision layer (false-alarm rate α per claim,
/// default 10⁻³):
/// <list type="bullet">
/// <item>exact cases (<see cref="NaturalGradientScales.IsExact"/>): ‖Θ̄/α − I‖₂ ≤ <see cref="RoundingTolerance"/> in every
///   trial at every width (a deterministic claim: one trial beyond refutes it);</item>
/// <item>the asymptotic cases vanish at least like M^(−1/4) (<see cref="DecayClaim"/>; the theory's rate is the central limit
///   theorem's M^(−1/2), the minimum half of it): ReLU unit-wise ‖Θ̄/α − I‖₂ (the diagonal counts active units, binomial); one
///   step's residual ‖f₁ − y‖/‖f₀ − y‖ of the real network after θ − G⁺∇L/α (the NTK regime's M^(−1/2) nonlinearity) — for
///   unit-wise the claim is made for the linearised step ‖(I − Θ̄/α) r‖/‖r‖ only (deterministic to rounding for exact activations),
///   and the real step is a source check; and the largest change of a hidden pre-activation in that step (the NTK regime).</item>
/// </list>
/// A decay claim is UNDERPOWERED unless the sweep would refute a statistic that does not decay at all with probability 0.9.
/// Source checks (printed, not part of the verdict): where seed 002's α differs from ours, whether ‖Θ̄/α_source − I‖ vanishes
/// (CONFIRMED) or not (REFUTED) by the same rule; and whether the real unit-wise step solves the training set (both rules of the
/// other metrics). Trial k at width M uses seed/"ngd"/M/k.
/// </summary>
public static class NaturalGradientSweep
{
    /// <summary>Exact identities are met to this relative accuracy (pseudo-inverses of N×N Grams with condition ≲ 10⁴).</summary>
    public const double RoundingTolerance = 1e-8;

    /// <summary>Distances and residuals vanish at the central-limit rate M^(−1/2); the claims accept half of it.</summary>
    public const double MinimumDecay = 0.25;

    private const string DecayReason = "finite-width effects of the NTK regime and the binomial unit counts are O(M^(−1/2)); at least half that rate is claimed";

    /// <summary>The sweep and its decisions; <paramref name="progress"/> counts the networks (every width's trials).</summary>
    public static NaturalGradientSweepResult Run(IActivation activation, int depth, IReadOnlyList<int> widths, double sigmaW2, double sigmaB2,
        int samples, int trials, SeedSequence seed, IProgress<ProgressStep>? progress = null, double alpha = 1e-3)
    {
        if (widths.Count < 1) throw new ArgumentException("give at least one width");
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), "at least one trial is needed");
        var sorted = widths.Distinct().Order().ToList();
        foreach (int m in sorted)
            foreach (var metric in NaturalGradientScales.All)
                if (NaturalGradientScales.RankConditionViolation(metric, Enumerable.Repeat(m, depth).Append(1).ToArray(), samples) is string why)
                    throw new ArgumentException($"the {NaturalGradientScales.Name(metric)} scale needs full-rank factors, but {why} at width {m}");
        var rows = new List<NaturalGradientRow>();
        var counter = new ProgressCounter(progress, $"natural-gradient networks at M = {string.Join(", ", sorted)}", (long)sorted.Count * trials);
        foreach (int m in sorted)
        {
            var outcomes = TrialRunner.Map(trials, k =>
            {
                var outcome = NaturalGradientExperiment.Run(activation, depth, m, sigmaW2, sigmaB2, samples, seed.Child("ngd").Child(m).Child(k));
                counter.Advance();
                return outcome;
            });
            for (int j = 0; j < NaturalGradientScales.All.Length; j++)
            {
                var o = outcomes.Select(t => t[j]).ToArray();
                rows.Add(new NaturalGradientRow(m, o[0].Metric, o[0].Alpha, o[0].SourceAlpha, o.Average(x => x.MeanDiagonal),
                    Rms(o, x => x.Distance), o.Max(x => x.Distance), Rms(o, x => x.SourceDistance),
                    Rms(o, x => x.LinearResidual), o.Max(x => x.LinearResidual), Median(o, x => x.StepResidual), Median(o, x => x.SourceStepResidual),
                    Median(o, x => x.LargestPreactivationChange)) { Outcomes = o });
            }
        }

        string tag = $"ngd.{activation.Name}";
        var claims = new List<ClaimDecision>();
        var checks = new List<ClaimDecision>();
        long networks = (long)sorted.Count * trials;
        foreach (var metric in NaturalGradientScales.All)
        {
            var mine = rows.Where(r => r.Metric == metric).ToList();
            string name = NaturalGradientScales.Name(metric), id = $"{tag}.{name}";
            bool exact = NaturalGradientScales.IsExact(metric, activation);
            double a0 = mine[0].Alpha;
            string alphaText = metric switch
            {
                NaturalGradientMetric.Exact => "1",
                NaturalGradientMetric.LayerWise => "L",
                NaturalGradientMetric.Kfac => "N(L−1) + 1",
                _ => exact ? "1 + Σ_{l<L} M_l" : "1 + M(L−1)/2",
            };
            if (exact)
            {
                long beyond = mine.Sum(r => r.Outcomes.Count(o => !(o.Distance <= RoundingTolerance)));
                claims.Add(ClaimDecision.Of(ClaimVerdict.Decide(Claim.Always($"{id}.isotropic", $"{name}: Θ̄ = αI with α = {alphaText} exactly (‖Θ̄/α − I‖₂ ≤ {G(RoundingTolerance)})"),
                    beyond, networks, alpha), $"max ‖Θ̄/α − I‖₂ = {G(mine.Max(r => r.MaxDistance))} (α = {G(a0)} at M = {mine[0].Width})"));
            }
            else claims.Add(Vanishing($"{id}.isotropic", $"{name}: Θ̄ → αI with α = {alphaText} as M grows (‖Θ̄/α − I‖₂ → 0)", mine, o => o.Distance, alpha));

            if (metric != NaturalGradientMetric.UnitWise)
            {
                claims.Add(Vanishing($"{id}.one-step", $"{name}: one step with η = 1/α solves the training set as M grows (residual → 0)", mine, o => o.StepResidual, alpha));
                claims.Add(Vanishing($"{id}.ntk-regime", $"{name}: the step stays in the NTK regime (largest hidden pre-activation change → 0)", mine, o => o.LargestPreactivationChange, alpha));
            }
            else if (exact)
            {
                long beyond = mine.Sum(r => r.Outcomes.Count(o => !(o.LinearResidual <= RoundingTolerance)));
                claims.Add(ClaimDecision.Of(ClaimVerdict.Decide(Claim.Always($"{id}.linearised-step", $"{name}: the linearised step with η = 1/α solves the training set exactly (‖(I − Θ̄/α) r‖/‖r‖ ≤ {G(RoundingTolerance)})"),
                    beyond, networks, alpha), $"max = {G(mine.Max(r => r.MaxLinearResidual))}"));
            }
            else claims.Add(Vanishing($"{id}.linearised-step", $"{name}: the linearised step with η = 1/α solves the training set as M grows (residual → 0)", mine, o => o.LinearResidual, alpha));

            if (double.IsFinite(mine[0].SourceAlpha) && mine.Any(r => r.SourceAlpha != r.Alpha))
            {
                string sourceText = metric == NaturalGradientMetric.Kfac ? "N·L" : "M(L−1)/2";
                checks.Add(Vanishing($"{tag}.seed-002.{name}.alpha", $"seed 002: {name} α = {sourceText} (Θ̄/α → I as M grows)", mine, o => o.SourceDistance, alpha,
                    "one step with η = 1/α_source leaves a median residual " + string.Join(", ", mine.Select(r => G(r.MedianSourceStepResidual)))));
            }
            if (metric == NaturalGradientMetric.UnitWise)
            {
                var step = Vanishing("", "", mine, o => o.StepResidual, alpha);
                var lazy = Vanishing("", "", mine, o => o.LargestPreactivationChange, alpha);
                var verdict = new[] { step.Verdict, lazy.Verdict }.Contains(Verdict.Fail) ? Verdict.Fail
                    : new[] { step.Verdict, lazy.Verdict }.Contains(Verdict.Undecided) ? Verdict.Undecided
                    : new[] { step.Verdict, lazy.Verdict }.Contains(Verdict.Underpowered) ? Verdict.Underpowered : Verdict.Pass;
                checks.Add(new ClaimDecision($"{tag}.seed-002.unit-wise.one-step", "seed 002: unit-wise NGD solves the training set in one step (conditions 1 and 2)",
                    "the two rules of the other metrics: the step's residual and its largest pre-activation change both tend to 0", 
                    $"residual: {step.Detail}; largest hidden pre-activation change: {lazy.Detail}", verdict));
            }
        }
        return new NaturalGradientSweepResult(rows, claims, checks);
    }

    /// <summary>"quantity → 0 as M grows": its trial mean decays at least like M^(−<see cref="MinimumDecay"/>).</summary>
    private static ClaimDecision Vanishing(string name, string statement, List<NaturalGradientRow> rows, Func<NaturalGradientOutcome, double> quantity,
        double alpha, string? extra = null)
    {
        var trials = rows.Select(r => ((double)r.Width, (IReadOnlyList<double>)r.Outcomes.Select(quantity).ToArray())).ToList();
        string values = string.Join(", ", trials.Select(t => $"{G(t.Item2.Average())} (M = {t.Item1})"));
        var v = DecayVerdict.FromTrials(new DecayClaim(string.IsNullOrEmpty(name) ? "ngd" : name, statement, MinimumDecay, DecayReason), trials, alpha);
        return ClaimDecision.Of(v, $"means {values}" + (extra is null ? "" : $"; {extra}"));
    }

    private static double Rms(NaturalGradientOutcome[] o, Func<NaturalGradientOutcome, double> f) => Math.Sqrt(o.Average(x => f(x) * f(x)));

    private static double Median(NaturalGradientOutcome[] o, Func<NaturalGradientOutcome, double> f)
    {
        var v = o.Select(f).Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}

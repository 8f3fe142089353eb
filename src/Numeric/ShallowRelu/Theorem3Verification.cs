using FimVerify.Numeric.Verification;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>A claim's verdict with the smallest constants consistent with its observations.</summary>
/// <param name="SmallestC">Smallest C not refuted: (lower confidence bound of the failure rate)·δ²p/D.</param>
/// <param name="SmallestXi">For claims carrying ξ: the smallest ξ consistent with the stated bound (null otherwise).</param>
/// <param name="XiForZeroFailures">For claims carrying ξ: the largest ξ any trial needed (no failure at or above it).</param>
public sealed record Theorem3ClaimResult(ClaimVerdict Verdict, double SmallestC, double? SmallestXi, double? XiForZeroFailures);

public sealed record Theorem3Report(Theorem3Parameters Parameters, long Seed, double Alpha, Shard Shard, TrialLog Log,
    IReadOnlyList<Theorem3ClaimResult> Results, double EntryCount, double ExactTraceFailureProbability, double ExactTraceFailureLog10Probability);

/// <summary>The library entry point behind `verify theorem3`: runs the trials and derives verdicts and constants.</summary>
public static class Theorem3Verification
{
    public const long DefaultConstantColumns = 1_000_000;

    /// <summary>
    /// C(d): the value given, else the symbolic layer's exact derivation; the labelled Monte Carlo estimate
    /// (<see cref="EstimatedConstant"/>) is the independent evidence tests hold it against.
    /// </summary>
    public static Lemma2Constant ConstantFor(int d, Lemma2Constant? given = null) =>
        given ?? Lemma2Constant.FromSymbolicLayer(d);

    /// <summary>A Monte Carlo estimate of C(d) from a fixed stream, labelled as an estimate.</summary>
    public static Lemma2Constant EstimatedConstant(int d, long columns = DefaultConstantColumns) =>
        Lemma2ConstantEstimator.MonteCarlo(d, columns, SeedSequence.FromSeed(0x1E33A2)).Constant;

    public static Theorem3Report Run(Theorem3Parameters parameters, long trials, long seed, double alpha, Shard shard = default,
        IProgress<ProgressStep>? progress = null)
    {
        var experiment = new Theorem3Experiment(parameters);
        var log = TrialRunner.Run(experiment, seed, trials, shard, progress: progress, stage: StageName(parameters));
        return Analyse(parameters, log, seed, alpha, shard.Count == 0 ? Shard.All : shard);
    }

    /// <summary>The progress stage of one run: "Theorem 3 trials at p = P" (Lemma 2 only when J is not evaluated).</summary>
    public static string StageName(Theorem3Parameters parameters) =>
        $"{(parameters.WithJ ? "Theorem 3" : "Lemma 2")} trials at p = {parameters.P}";

    public static Theorem3Report Analyse(Theorem3Parameters parameters, TrialLog log, long seed, double alpha, Shard shard)
    {
        double entries = Lemma2Constant.EntryCount(parameters.D);
        var verdicts = log.Verdicts(alpha);
        var results = verdicts.Select((v, i) =>
        {
            double smallestC = v.Claim.Kind == BoundKind.Exactly ? double.NaN
                : ConsistentConstants.SmallestC(v.Failures, v.Trials, alpha, parameters.Delta, parameters.P, entries);
            double? xi = null, xiZero = null;
            if (Theorem3Experiment.XiMeasurement.TryGetValue(i, out var name) && i < verdicts.Count)
            {
                var needed = log.Measurement(name);
                xi = ConsistentConstants.SmallestXi(needed, v.Claim.Bound, alpha);
                xiZero = needed.Max();
            }
            return new Theorem3ClaimResult(v, smallestC, xi, xiZero);
        }).ToList();
        return new Theorem3Report(parameters, seed, alpha, shard, log, results, entries,
            Theorem3Experiment.TraceFailureProbability(parameters.D, parameters.P, parameters.Delta),
            Theorem3Experiment.TraceFailureLog10Probability(parameters.D, parameters.P, parameters.Delta));
    }
}

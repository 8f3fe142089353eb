using System.Collections.Concurrent;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Verification;

/// <summary>
/// A family of claims evaluated jointly on one random instance per trial (a theorem asserts its inequalities
/// simultaneously, so they share the instance). Measurements are named per-trial numbers (worst deviations, the
/// slack a trial needed) from which later analysis derives the smallest consistent constants.
/// </summary>
public interface ITrialExperiment
{
    /// <summary>The address of the experiment's randomness under the run seed.</summary>
    string Name { get; }
    IReadOnlyList<Claim> Claims { get; }
    IReadOnlyList<string> MeasurementNames { get; }
    /// <summary>Evaluates every claim on the instance drawn from <paramref name="seed"/>; must use no other randomness.</summary>
    TrialOutcome Run(SeedSequence seed);
}

/// <summary>
/// One trial's result: Failed[c] for claim c, Measurements[m] for measurement m. A claim that a trial can leave undecided
/// (its quantity known only to lie in an interval that straddles the threshold) has a measurement named
/// <see cref="TrialLog.UndecidedPrefix"/> + claim name, 1 in the trials it left undecided (Failed is false there), 0 otherwise;
/// kept among the measurements, it travels through shards and merges like every other number.
/// </summary>
public sealed record TrialOutcome(bool[] Failed, double[] Measurements);

/// <summary>Which trials a process runs: trial k belongs to shard k mod Count. Shard(0, 1) is all of them.</summary>
public readonly record struct Shard(int Index, int Count)
{
    public static Shard All => new(0, 1);

    public IEnumerable<long> Trials(long total)
    {
        if (Count < 1 || Index < 0 || Index >= Count) throw new ArgumentOutOfRangeException(nameof(Index), "a shard is i/N with 0 ≤ i < N");
        for (long k = Index; k < total; k += Count) yield return k;
    }

    /// <summary>How many of the trials 0 … total − 1 are this shard's.</summary>
    public long CountOf(long total) => total <= Index ? 0 : (total - Index + Count - 1) / Count;
}

/// <summary>
/// Runs trials. Trial k draws only from SeedSequence.FromSeed(run).Child(experiment).Child(k), so its outcome is
/// the same whatever the thread count, the shard, or which other trials run; logs of disjoint shards merge exactly.
/// </summary>
public static class TrialRunner
{
    public static SeedSequence TrialSeed(long runSeed, string experiment, long trial) =>
        SeedSequence.FromSeed(runSeed).Child(experiment).Child(trial);

    /// <summary>Runs the shard's trials in parallel; <paramref name="progress"/> counts them under <paramref name="stage"/> (default "NAME trials").</summary>
    public static TrialLog Run(ITrialExperiment experiment, long runSeed, long trials, Shard shard = default, int maxDegreeOfParallelism = -1,
        IProgress<ProgressStep>? progress = null, string? stage = null)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), "at least one trial is needed");
        if (shard.Count == 0) shard = Shard.All;
        var results = new ConcurrentDictionary<long, TrialOutcome>();
        var counter = new ProgressCounter(progress, stage ?? $"{experiment.Name} trials", shard.CountOf(trials));
        // At most one trial per core by default, as the resource estimates assume (each trial's memory is held while it runs).
        Parallel.ForEach(shard.Trials(trials), new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Resources.ExperimentCosts.Concurrency }, k =>
        {
            using var _ = Resources.KernelThreads.Sequential(); // the trials keep the cores busy
            results[k] = RunOne(experiment, TrialSeed(runSeed, experiment.Name, k), k);
            counter.Advance();
        });
        return new TrialLog(experiment.Claims, experiment.MeasurementNames, new SortedDictionary<long, TrialOutcome>(results));
    }

    /// <summary>
    /// body(0) … body(count − 1), one per core at a time, each with its kernels on its own thread (<see cref="Resources.KernelThreads"/>);
    /// the results in index order. For sweeps whose trials depend only on their index: the same results on any thread count.
    /// </summary>
    public static T[] Map<T>(int count, Func<int, T> body)
    {
        var results = new T[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Resources.ExperimentCosts.Concurrency }, k =>
        {
            using var _ = Resources.KernelThreads.Sequential();
            results[k] = body(k);
        });
        return results;
    }

    /// <summary>Trial k on the given stream, its outcome checked: the experiment's shape, finite measurements.</summary>
    public static TrialOutcome RunOne(ITrialExperiment experiment, SeedSequence seed, long trial)
    {
        var outcome = experiment.Run(seed);
        if (outcome.Failed.Length != experiment.Claims.Count || outcome.Measurements.Length != experiment.MeasurementNames.Count)
            throw new InvalidOperationException($"experiment '{experiment.Name}' returned an outcome of the wrong shape");
        foreach (var m in outcome.Measurements)
            if (!double.IsFinite(m)) throw new NumericalException($"trial {trial} of '{experiment.Name}' produced a non-finite measurement");
        return outcome;
    }
}

/// <summary>Outcomes by trial index; shards merge by union.</summary>
public sealed class TrialLog(IReadOnlyList<Claim> claims, IReadOnlyList<string> measurementNames, SortedDictionary<long, TrialOutcome> outcomes)
{
    public IReadOnlyList<Claim> Claims { get; } = claims;
    public IReadOnlyList<string> MeasurementNames { get; } = measurementNames;
    public IReadOnlyDictionary<long, TrialOutcome> Outcomes => outcomes;
    public long Trials => outcomes.Count;

    public TrialLog Merge(TrialLog other)
    {
        if (!Claims.Select(c => c.Name).SequenceEqual(other.Claims.Select(c => c.Name)))
            throw new ArgumentException("only logs of the same experiment merge");
        var all = new SortedDictionary<long, TrialOutcome>(outcomes);
        foreach (var (k, o) in other.Outcomes)
            if (!all.TryAdd(k, o)) throw new ArgumentException($"trial {k} appears in both logs (overlapping shards)");
        return new TrialLog(Claims, MeasurementNames, all);
    }

    public long Failures(int claim) => outcomes.Values.LongCount(o => o.Failed[claim]);

    /// <summary>Prefix of the measurement that marks the trials a claim left undecided.</summary>
    public const string UndecidedPrefix = "undecided.";

    /// <summary>Trials in which the claim was neither confirmed nor refuted (0 for claims every trial decides).</summary>
    public long Undecided(int claim)
    {
        int m = MeasurementNames.ToList().IndexOf(UndecidedPrefix + Claims[claim].Name);
        return m < 0 ? 0 : outcomes.Values.LongCount(o => o.Measurements[m] != 0);
    }

    /// <summary>The values of one measurement in trial order.</summary>
    public double[] Measurement(string name)
    {
        int m = MeasurementNames.ToList().IndexOf(name);
        if (m < 0) throw new ArgumentException($"no measurement named '{name}'");
        return outcomes.Values.Select(o => o.Measurements[m]).ToArray();
    }

    public IReadOnlyList<ClaimVerdict> Verdicts(double alpha) =>
        Claims.Select((c, i) => ClaimVerdict.Decide(c, Failures(i), Undecided(i), Trials, alpha)).ToList();
}

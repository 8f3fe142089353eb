using System.Collections.Concurrent;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>The trials of one instance at one size: its experiment (every claim of the instance), how many, and where they start in the run's numbering.</summary>
public sealed record ClaimTrials(ClaimExperiment Experiment, long Trials, long Offset)
{
    public ClaimInstance Instance => Experiment.Instance;
    public long Size => Experiment.Size;
}

/// <summary>
/// The trials of a claim file, numbered g = 0 … Trials − 1 instance after instance and size after size (file order, sizes
/// increasing; a claim that states its own model is an instance of its own). Trial k of an instance at size x draws only from the
/// stream (seed, instance name, x, k) and evaluates every claim of the instance on that one random instance, so its outcome does
/// not depend on the thread count, on the shard (--shard i/N runs the g with g mod N = i) or on the other instances of the file;
/// shards merge exactly.
/// </summary>
public sealed class ClaimPlan
{
    private ClaimPlan(ClaimFile file, long seed, IReadOnlyList<ClaimTrials> families)
    {
        File = file; Seed = seed; Families = families;
    }

    public ClaimFile File { get; }
    /// <summary>The run seed: --seed when given, else the file's.</summary>
    public long Seed { get; }
    /// <summary>Every claim at every size, in numbering order.</summary>
    public IReadOnlyList<ClaimTrials> Families { get; }
    public long Trials => Families.Sum(f => f.Trials);

    /// <param name="seed">--seed, which wins over the file's seed.</param>
    public static ClaimPlan Create(ClaimFile file, long? seed = null)
    {
        var families = new List<ClaimTrials>();
        long offset = 0;
        foreach (var instance in file.Instances)
        {
            var claims = file.Claims.Where(c => c.Instance == instance).ToList();
            for (int i = 0; i < instance.Sizes.Count; i++)
            {
                families.Add(new ClaimTrials(new ClaimExperiment(instance, i, claims), instance.Trials[i], offset));
                offset += instance.Trials[i];
            }
        }
        return new ClaimPlan(file, seed ?? file.Seed, families);
    }

    /// <summary>Trial k of an instance at size x: the stream (seed, instance name, x, k).</summary>
    public static SeedSequence TrialSeed(long runSeed, string instance, long size, long trial) =>
        SeedSequence.FromSeed(runSeed).Child(instance).Child(size).Child(trial);

    /// <summary>
    /// What the shard's trials of one instance need: the trials of all its sizes run in one parallel loop (<see cref="Run"/>), so
    /// the largest trial's memory is held by every concurrent trial, and the work adds up.
    /// </summary>
    public ResourceEstimate Estimate(ClaimInstance instance, Shard shard)
    {
        var families = Families.Where(f => f.Instance == instance).ToList();
        long mine = families.Sum(f => CountMine(f, shard));
        var largest = families.Aggregate(ResourceEstimate.None, (a, f) => a.Then(f.Experiment.Point.PerTrial));
        return new ResourceEstimate(largest.Bytes, 0, largest.LargestArray).Repeated(mine, ExperimentCosts.Concurrency)
            .Plus(families.Sum(f => f.Experiment.Point.PerTrial.Operations * CountMine(f, shard)));
    }

    /// <summary>How an instance is named in messages: "claim 'x'" for a claim's own, "instance 'x'" otherwise.</summary>
    public static string Describe(ClaimInstance instance) => instance.Implicit ? $"claim '{instance.Name}'" : $"instance '{instance.Name}'";

    /// <summary>
    /// Refuses, before anything runs, an instance whose trials in <paramref name="shard"/> exceed <paramref name="limits"/> (the one
    /// resource policy of every command): a <see cref="ClaimDefinitionException"/> naming its line and the estimate.
    /// </summary>
    public void CheckBudget(ResourceLimits limits, Shard shard)
    {
        foreach (var instance in File.Instances)
        {
            try { limits.Require(Estimate(instance, shard), Describe(instance), $"choose a smaller {instance.Model.SizeSymbol}, matrix or fewer trials, or split the run with --shard i/N"); }
            catch (ResourceLimitException e) { throw File.Document.Error(instance.Line, e.Message.TrimEnd('.') + "."); }
        }
    }

    /// <summary>How many of the family's trials belong to the shard (counted, not enumerated: a claim may state 10⁸ trials).</summary>
    public static long CountMine(ClaimTrials family, Shard shard)
    {
        if (shard.Count == 0) shard = Shard.All;
        long first = ((shard.Index - family.Offset) % shard.Count + shard.Count) % shard.Count;   // the first k with (offset + k) mod N = i
        return first >= family.Trials ? 0 : (family.Trials - 1 - first) / shard.Count + 1;
    }

    /// <summary>The family's trials k whose global number g = offset + k belongs to the shard.</summary>
    public static IEnumerable<long> Mine(ClaimTrials family, Shard shard)
    {
        if (shard.Count == 0) shard = Shard.All;
        for (long k = 0; k < family.Trials; k++)
            if ((family.Offset + k) % shard.Count == shard.Index) yield return k;
    }

    /// <summary>
    /// Runs the shard's trials (all by default), claim after claim, each claim's trials in parallel; <paramref name="progress"/>
    /// shows one stage per claim. Outcomes are keyed by the global number g.
    /// </summary>
    public IReadOnlyDictionary<long, TrialOutcome> Run(Shard shard = default, IProgress<ProgressStep>? progress = null)
    {
        var results = new ConcurrentDictionary<long, TrialOutcome>();
        foreach (var instance in File.Instances)
        {
            var work = Families.Where(f => f.Instance == instance).SelectMany(f => Mine(f, shard).Select(k => (Family: f, Trial: k))).ToList();
            var counter = new ProgressCounter(progress, $"{Describe(instance).Replace("'", "")} trials", work.Count);
            Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = ExperimentCosts.Concurrency }, item =>
            {
                var (f, k) = item;
                using var _ = KernelThreads.Sequential(); // the trials keep the cores busy
                var seed = TrialSeed(Seed, instance.Name, f.Size, k);
                results[f.Offset + k] = TrialRunner.RunOne(f.Experiment, seed, k);
                counter.Advance();
            });
        }
        return new SortedDictionary<long, TrialOutcome>(results);
    }

    /// <summary>The family of the run's trial g.</summary>
    public ClaimTrials FamilyOf(long g) => Families.First(f => g >= f.Offset && g < f.Offset + f.Trials);

    /// <summary>The family's log from the outcomes of every one of its trials (keyed by g).</summary>
    public static TrialLog Log(ClaimTrials family, IReadOnlyDictionary<long, TrialOutcome> outcomes)
    {
        var byTrial = new SortedDictionary<long, TrialOutcome>();
        for (long k = 0; k < family.Trials; k++)
            byTrial[k] = outcomes.TryGetValue(family.Offset + k, out var o) ? o
                : throw new ArgumentException($"trial {family.Offset + k} ({Describe(family.Instance)}, trial {k}) has no outcome");
        return new TrialLog(family.Experiment.Claims, family.Experiment.MeasurementNames, byTrial);
    }
}

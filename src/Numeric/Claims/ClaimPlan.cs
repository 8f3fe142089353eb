using System.Collections.Concurrent;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>The trials of one claim at one size: its experiment, how many, and where they start in the run's numbering.</summary>
public sealed record ClaimTrials(ClaimExperiment Experiment, long Trials, long Offset)
{
    public ClaimDefinition Claim => Experiment.Definition;
    public ClaimPoint Point => Experiment.Point;
}

/// <summary>
/// The trials of a claim file, numbered g = 0 … Trials − 1 claim after claim and size after size (file order, sizes increasing).
/// Trial k of a claim at size x draws only from the stream (seed, claim name, x, k), so its outcome does not depend on the thread
/// count, on the shard (--shard i/N runs the g with g mod N = i) or on the other claims of the file; shards merge exactly.
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
        foreach (var claim in file.Claims)
            foreach (var point in claim.Points)
            {
                families.Add(new ClaimTrials(new ClaimExperiment(claim, point), claim.Trials, offset));
                offset += claim.Trials;
            }
        return new ClaimPlan(file, seed ?? file.Seed, families);
    }

    /// <summary>Trial k of a claim at size x: the stream (seed, claim name, x, k).</summary>
    public static SeedSequence TrialSeed(long runSeed, string claim, long size, long trial) =>
        SeedSequence.FromSeed(runSeed).Child(claim).Child(size).Child(trial);

    /// <summary>
    /// What the shard's trials of one claim need: the trials of all its sizes run in one parallel loop (<see cref="Run"/>), so the
    /// largest trial's memory is held by every concurrent trial, and the work adds up.
    /// </summary>
    public ResourceEstimate Estimate(ClaimDefinition claim, Shard shard)
    {
        var families = Families.Where(f => f.Claim == claim).ToList();
        long mine = families.Sum(f => CountMine(f, shard));
        var largest = families.Aggregate(ResourceEstimate.None, (a, f) => a.Then(f.Point.PerTrial));
        return new ResourceEstimate(largest.Bytes, 0, largest.LargestArray).Repeated(mine, ExperimentCosts.Concurrency)
            .Plus(families.Sum(f => f.Point.PerTrial.Operations * CountMine(f, shard)));
    }

    /// <summary>
    /// Refuses, before anything runs, a claim whose trials in <paramref name="shard"/> exceed <paramref name="limits"/> (the one
    /// resource policy of every command): a <see cref="ClaimDefinitionException"/> naming the claim's line and the estimate.
    /// </summary>
    public void CheckBudget(ResourceLimits limits, Shard shard)
    {
        foreach (var claim in File.Claims)
        {
            try { limits.Require(Estimate(claim, shard), $"claim '{claim.Name}'", $"choose a smaller {claim.Model.SizeSymbol}, matrix or fewer trials, or split the run with --shard i/N"); }
            catch (ResourceLimitException e) { throw File.Document.Error(claim.Line, e.Message.TrimEnd('.') + "."); }
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
        foreach (var claim in File.Claims)
        {
            var work = Families.Where(f => f.Claim == claim).SelectMany(f => Mine(f, shard).Select(k => (Family: f, Trial: k))).ToList();
            var counter = new ProgressCounter(progress, $"claim {claim.Name} trials", work.Count);
            Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = ExperimentCosts.Concurrency }, item =>
            {
                var (f, k) = item;
                using var _ = KernelThreads.Sequential(); // the trials keep the cores busy
                var seed = TrialSeed(Seed, claim.Name, f.Point.Size, k);
                results[f.Offset + k] = TrialRunner.RunOne(f.Experiment, seed, k);
                counter.Advance();
            });
        }
        return new SortedDictionary<long, TrialOutcome>(results);
    }

    /// <summary>The family's log from the outcomes of every one of its trials (keyed by g).</summary>
    public static TrialLog Log(ClaimTrials family, IReadOnlyDictionary<long, TrialOutcome> outcomes)
    {
        var byTrial = new SortedDictionary<long, TrialOutcome>();
        for (long k = 0; k < family.Trials; k++)
            byTrial[k] = outcomes.TryGetValue(family.Offset + k, out var o) ? o
                : throw new ArgumentException($"trial {family.Offset + k} (claim '{family.Claim.Name}', trial {k}) has no outcome");
        return new TrialLog(family.Experiment.Claims, family.Experiment.MeasurementNames, byTrial);
    }
}

using System.Collections.Concurrent;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Report;

/// <summary>A family of independent trials a section needs: one experiment, how many trials, and trial k's stream.</summary>
public sealed record TrialFamily(ITrialExperiment Experiment, long Trials, Func<long, SeedSequence> Seed)
{
    /// <summary>Trial k on the stream (run seed, experiment name, k), as `verify` commands address them.</summary>
    public static TrialFamily Addressed(ITrialExperiment experiment, long trials, long runSeed) =>
        new(experiment, trials, k => TrialRunner.TrialSeed(runSeed, experiment.Name, k));
}

/// <summary>
/// What a trial-based section needs: its trial families and the section built from their logs. The section's trials are
/// numbered j = 0 … Trials − 1, the families' trials one after another; a sharded report runs some of them per process
/// and the merge builds the section from the union, through the same <see cref="Finish"/> as the unsharded run.
/// </summary>
public sealed record SectionTrials(IReadOnlyList<TrialFamily> Families, Func<IReadOnlyList<TrialLog>, ReportSection> Finish)
{
    public long Trials => Families.Sum(f => f.Trials);

    /// <summary>The family and its trial k of the section's trial j.</summary>
    public (TrialFamily Family, long Trial) Locate(long j)
    {
        foreach (var f in Families)
        {
            if (j < f.Trials) return (f, j);
            j -= f.Trials;
        }
        throw new ArgumentOutOfRangeException(nameof(j), "no such trial in this section");
    }

    /// <summary>Runs the section's trials j (in parallel: each depends only on its stream); <paramref name="progress"/> counts them.</summary>
    public IReadOnlyDictionary<long, TrialOutcome> Run(IReadOnlyCollection<long> trials, IProgress<ProgressStep>? progress = null)
    {
        var results = new ConcurrentDictionary<long, TrialOutcome>();
        var counter = new ProgressCounter(progress, "trials", trials.Count);
        // One trial per core at most, as the resource estimates assume (each trial's memory is held while it runs).
        Parallel.ForEach(trials, new ParallelOptions { MaxDegreeOfParallelism = ExperimentCosts.Concurrency }, j =>
        {
            var (family, k) = Locate(j);
            using var _ = KernelThreads.Sequential(); // the trials keep the cores busy
            results[j] = TrialRunner.RunOne(family.Experiment, family.Seed(k), k);
            counter.Advance();
        });
        return results;
    }

    /// <summary>The families' logs from the outcomes of every trial j.</summary>
    public IReadOnlyList<TrialLog> Logs(IReadOnlyDictionary<long, TrialOutcome> outcomes)
    {
        var logs = new List<TrialLog>();
        long offset = 0;
        foreach (var f in Families)
        {
            var byTrial = new SortedDictionary<long, TrialOutcome>();
            for (long k = 0; k < f.Trials; k++) byTrial[k] = outcomes[offset + k];
            logs.Add(new TrialLog(f.Experiment.Claims, f.Experiment.MeasurementNames, byTrial));
            offset += f.Trials;
        }
        return logs;
    }

    /// <summary>The unsharded section: every trial, then <see cref="Finish"/>.</summary>
    public SectionWork RunAll() => progress => Finish(Logs(Run(All(Trials), progress)));

    private static List<long> All(long count)
    {
        var all = new List<long>();
        for (long j = 0; j < count; j++) all.Add(j);
        return all;
    }
}

/// <summary>A part whose work is independent addressed trials, so that a sharded report can split it across processes.</summary>
public interface ITrialReportPart : IReportPart
{
    /// <summary>Reads and validates the settings as <see cref="IReportPart.Prepare"/> does, and returns the trials to run.</summary>
    SectionTrials PrepareTrials(ReportContext context, PartSettings settings);
}

using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// What `merge` was asked to produce: the output format, for report parts the report folder and JUnit file, and where the
/// sections a report merge runs itself show their progress.
/// </summary>
public sealed record MergeOptions(OutputFormat Format, string? OutputDirectory, string? Junit, ProgressReporter Progress)
{
    /// <summary>--strict: exit 1 also when a claim is UNDERPOWERED or UNDECIDED, as the unsharded command does with it.</summary>
    public bool Strict { get; init; }

    /// <summary>Refuses the report-only options for parts of another experiment.</summary>
    public void EnsureNotReportOptions(PartialResult part)
    {
        if (OutputDirectory is not null || Junit is not null)
            throw part.Bad($"holds a {part.Experiment} run, but --out and --junit apply to the parts of `fimverify report` only");
    }
}

/// <summary>
/// A trial-based experiment whose shards `merge` combines: it reads its parameters and per-trial payloads from
/// <see cref="PartialResult"/>s and prints exactly what the unsharded command prints.
/// </summary>
public interface IShardedExperiment
{
    /// <summary>The "experiment" tag of its partial files.</summary>
    string Tag { get; }

    /// <summary>
    /// Combines parts already checked by <see cref="PartialMerge"/> (one experiment, identical parameters, disjoint trials
    /// covering 0 … K−1) and renders the unsharded output; returns the unsharded command's exit code.
    /// </summary>
    int Merge(IReadOnlyList<PartialResult> parts, MergeOptions options, TextWriter stdout);
}

/// <summary>Every experiment `merge` knows, by tag.</summary>
public static class ShardedExperiments
{
    public static IReadOnlyList<IShardedExperiment> All { get; } =
        [new Theorem3Partial(), new Theorem3SweepPartial(), new FimStatsPartial(), new ReportPartial(), new ClaimsPartial()];

    public static IShardedExperiment? Find(string tag) => All.FirstOrDefault(e => e.Tag == tag);
}

using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Resources;

namespace FimVerify.Cli.Report;

/// <summary>What every part of a report run shares: where to write, how big to go, and the run seed.</summary>
/// <param name="OutputDirectory">Where the sections write their plots: the report folder's staging area until the run is published.</param>
public sealed record ReportContext(string OutputDirectory, bool Quick, long Seed)
{
    /// <summary>A path inside the output directory for a plot or data file.</summary>
    public string PathFor(string fileName) => Path.Combine(OutputDirectory, fileName);

    /// <summary>The number of shards the trial-based sections are split into (1 unsharded), or 0 for a merge, which runs none.</summary>
    public long ShardCount { get; init; } = 1;

    /// <summary>How many of a family's <paramref name="trials"/> this process runs (at most): all, a shard's share, or none (a merge).</summary>
    public long TrialsRun(long trials) => ShardCount == 0 ? 0 : (trials + ShardCount - 1) / ShardCount;

    /// <summary>What the sections prepared so far need, one after another (the largest memory, the summed work).</summary>
    public ResourceEstimate Reserved => _ledger.Total;

    private readonly Ledger _ledger = new();

    /// <summary>
    /// Checks a section's estimate against the limits now, while the run is being prepared (so a refusal names the section's
    /// own sizes before any section runs), and adds it to <see cref="Reserved"/>.
    /// </summary>
    public void Reserve(ResourceEstimate estimate, string what, string hint)
    {
        ResourceLimits.Check(estimate, what, hint);
        _ledger.Total = _ledger.Total.Then(estimate);
    }

    private sealed class Ledger
    {
        public ResourceEstimate Total;
    }
}

/// <summary>The work of one prepared section; it reports its stages to <paramref name="progress"/> (null: nobody watches).</summary>
public delegate ReportSection SectionWork(IProgress<ProgressStep>? progress);

/// <summary>One claim family of the default suite (Lemma 1, Theorem 2, …).</summary>
public interface IReportPart
{
    string Id { get; }
    string Title { get; }

    /// <summary>
    /// Reads and validates the part's parameters (suite fields or defaults), reserves what they need
    /// (<see cref="ReportContext.Reserve"/>), and returns the work to run: every configuration error and every request too
    /// large for the machine surfaces before any long computation starts.
    /// </summary>
    SectionWork Prepare(ReportContext context, PartSettings settings);
}

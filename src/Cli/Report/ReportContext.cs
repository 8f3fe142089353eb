using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Progress;

namespace FimVerify.Cli.Report;

/// <summary>What every part of a report run shares: where to write, how big to go, and the run seed.</summary>
public sealed record ReportContext(string OutputDirectory, bool Quick, long Seed)
{
    /// <summary>A path inside the output directory for a plot or data file.</summary>
    public string PathFor(string fileName) => Path.Combine(OutputDirectory, fileName);
}

/// <summary>The work of one prepared section; it reports its stages to <paramref name="progress"/> (null: nobody watches).</summary>
public delegate ReportSection SectionWork(IProgress<ProgressStep>? progress);

/// <summary>One claim family of the default suite (Lemma 1, Theorem 2, …).</summary>
public interface IReportPart
{
    string Id { get; }
    string Title { get; }

    /// <summary>
    /// Reads and validates the part's parameters (suite fields or defaults) and returns the work to run:
    /// every configuration error surfaces before any long computation starts.
    /// </summary>
    SectionWork Prepare(ReportContext context, PartSettings settings);
}

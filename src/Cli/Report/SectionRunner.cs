using System.Diagnostics;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Progress;

namespace FimVerify.Cli.Report;

/// <summary>Runs prepared sections in reading order, each timed, with their progress shown by one reporter.</summary>
public static class SectionRunner
{
    public static List<ReportSection> RunAll(IReadOnlyList<(IReportPart Part, SectionWork Work)> parts, ProgressReporter progress) =>
        progress.RunEach(parts.Select(p => (p.Part.Title, (Func<IProgress<ProgressStep>?, ReportSection>)(sink => Timed(p.Work, sink)))).ToList(),
            s => MarkdownReport.Word(s.Verdict), s => s.Seconds);

    private static ReportSection Timed(SectionWork work, IProgress<ProgressStep>? sink)
    {
        var clock = Stopwatch.StartNew();
        var section = work(sink);
        var done = section with { Seconds = clock.Elapsed.TotalSeconds };
        // The next section shares no arrays with this one: hand its kept arrays and its garbage back before it starts, so the
        // process's peak memory is one section's, not the sum of what the collector had not yet reclaimed.
        Numeric.Resources.RecycledArrays.Clear();
        GC.Collect();
        return done;
    }
}

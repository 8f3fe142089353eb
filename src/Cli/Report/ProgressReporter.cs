using Spectre.Console;

namespace FimVerify.Cli.Report;

/// <summary>
/// Runs the parts of a report with visible progress on stderr: a Spectre.Console progress display on a
/// terminal, one plain line per part when stderr is redirected (logs, CI). stdout stays clean for --format json.
/// </summary>
public static class ProgressReporter
{
    public static List<ReportSection> RunAll(IReadOnlyList<(IReportPart Part, Func<ReportSection> Work)> parts, TextWriter log)
    {
        var results = new List<ReportSection>();
        if (!Console.IsErrorRedirected && log == Console.Error)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.Progress().AutoClear(false).Start(ctx =>
            {
                foreach (var (part, work) in parts)
                {
                    var task = ctx.AddTask(Markup.Escape(part.Title), maxValue: 1);
                    task.IsIndeterminate = true;
                    var section = Timed(work);
                    task.IsIndeterminate = false;
                    task.Description = Markup.Escape($"{part.Title}: {MarkdownReport.Word(section.Verdict)}");
                    task.Increment(1);
                    results.Add(section);
                }
            });
        }
        else
        {
            for (int k = 0; k < parts.Count; k++)
            {
                var (part, work) = parts[k];
                log.WriteLine($"[{k + 1}/{parts.Count}] {part.Title} …");
                var section = Timed(work);
                log.WriteLine($"[{k + 1}/{parts.Count}] {part.Title}: {MarkdownReport.Word(section.Verdict)} in {section.Seconds:F1} s");
                results.Add(section);
            }
        }
        return results;
    }

    private static ReportSection Timed(Func<ReportSection> work)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var section = work();
        return section with { Seconds = clock.Elapsed.TotalSeconds };
    }
}

using Spectre.Console;

namespace FimVerify.Cli.Report;

/// <summary>
/// Runs the parts of a report with visible progress on stderr: a Spectre.Console progress display on a
/// terminal, one plain line per part when stderr is redirected (logs, CI). stdout stays clean for --format json.
/// </summary>
public static class ProgressReporter
{
    public static List<ReportSection> RunAll(IReadOnlyList<IReportPart> parts, ReportContext context, TextWriter log)
    {
        var results = new List<ReportSection>();
        if (!Console.IsErrorRedirected && log == Console.Error)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.Progress().AutoClear(false).Start(ctx =>
            {
                foreach (var part in parts)
                {
                    var task = ctx.AddTask(Markup.Escape(part.Title), maxValue: 1);
                    task.IsIndeterminate = true;
                    var section = Timed(part, context);
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
                log.WriteLine($"[{k + 1}/{parts.Count}] {parts[k].Title} …");
                var section = Timed(parts[k], context);
                log.WriteLine($"[{k + 1}/{parts.Count}] {parts[k].Title}: {MarkdownReport.Word(section.Verdict)} in {section.Seconds:F1} s");
                results.Add(section);
            }
        }
        return results;
    }

    private static ReportSection Timed(IReportPart part, ReportContext context)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var section = part.Run(context);
        return section with { Seconds = clock.Elapsed.TotalSeconds };
    }
}

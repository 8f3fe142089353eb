using Spectre.Console;

namespace FimVerify.Cli.Report;

/// <summary>
/// Runs the parts of a report with visible progress on stderr: a Spectre.Console progress display on a
/// terminal, one plain line per part when stderr is redirected (logs, CI). stdout stays clean for --format json.
/// </summary>
public static class ProgressReporter
{
    public static List<ReportSection> RunAll(IReadOnlyList<(IReportPart Part, Func<ReportSection> Work)> parts, TextWriter log) =>
        Run(parts.Select(p => (p.Part.Title, (Func<ReportSection>)(() => Timed(p.Work)))).ToList(),
            s => MarkdownReport.Word(s.Verdict), s => s.Seconds, log);

    /// <summary>Runs each item in turn, showing its title while it runs and then <paramref name="describe"/> of its result.</summary>
    public static List<T> Run<T>(IReadOnlyList<(string Title, Func<T> Work)> items, Func<T, string> describe, Func<T, double> seconds, TextWriter log)
    {
        var results = new List<T>();
        if (!Console.IsErrorRedirected && log == Console.Error)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.Progress().AutoClear(false).Start(ctx =>
            {
                foreach (var (title, work) in items)
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                    task.IsIndeterminate = true;
                    var result = work();
                    task.IsIndeterminate = false;
                    task.Description = Markup.Escape($"{title}: {describe(result)}");
                    task.Increment(1);
                    results.Add(result);
                }
            });
        }
        else
        {
            for (int k = 0; k < items.Count; k++)
            {
                var (title, work) = items[k];
                log.WriteLine($"[{k + 1}/{items.Count}] {title} …");
                var result = work();
                log.WriteLine($"[{k + 1}/{items.Count}] {title}: {describe(result)} in {seconds(result):F1} s");
                results.Add(result);
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

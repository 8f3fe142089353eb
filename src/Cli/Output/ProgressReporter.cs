using System.Runtime.CompilerServices;
using FimVerify.Cli.CommandLine;
using FimVerify.Numeric.Progress;
using Spectre.Console;

namespace FimVerify.Cli.Output;

/// <summary>
/// Shows long work on stderr, never on stdout: the stages the library reports through IProgress&lt;ProgressStep&gt;
/// (trials, networks, Monte Carlo batches, Lanczos steps) and, for a report, one item per section. A Spectre.Console
/// progress display when stderr is the process's own terminal; plain lines when it is redirected (a log, CI, the
/// StringWriter of an in-process run); nothing with --quiet. Rendering only reads the counts, so no number depends on it.
/// </summary>
public sealed class ProgressReporter(TextWriter log, bool quiet = false)
{
    /// <summary>The help line of --quiet, indented like the commands' own options.</summary>
    public const string Synopsis = """
          --quiet          no progress on stderr (by default bars on a terminal, plain lines when stderr is redirected)
        """;

    /// <summary>Reads --quiet; progress goes to <paramref name="stderr"/>.</summary>
    public static ProgressReporter Read(ArgumentReader args, TextWriter stderr) => new(stderr, args.Flag("--quiet"));

    private bool OnTerminal => log == Console.Error && !Console.IsErrorRedirected;

    /// <summary>Runs one piece of work, showing the stages it reports (the sink is null with --quiet).</summary>
    public T Run<T>(Func<IProgress<ProgressStep>?, T> work) => Show(view => work(view));

    /// <summary>
    /// Runs the items in turn, each shown by its title while it runs (with the stages it reports under it) and then
    /// by <paramref name="describe"/> of its result and <paramref name="seconds"/>.
    /// </summary>
    public List<T> RunEach<T>(IReadOnlyList<(string Title, Func<IProgress<ProgressStep>?, T> Work)> items, Func<T, string> describe, Func<T, double> seconds) =>
        Show(view =>
        {
            var results = new List<T>();
            for (int k = 0; k < items.Count; k++)
            {
                var (title, work) = items[k];
                view?.BeginItem(k, items.Count, title);
                var result = work(view);
                view?.EndItem(k, items.Count, title, describe(result), seconds(result));
                results.Add(result);
            }
            return results;
        });

    private T Show<T>(Func<ProgressView?, T> body)
    {
        if (quiet) return body(null);
        if (!OnTerminal) return body(new PlainProgressView(log));
        return ShowOnTerminal(body);
    }

    /// <summary>Apart from <see cref="Show"/>, so that a quiet or redirected run never loads Spectre.Console (a few ms of start-up).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T ShowOnTerminal<T>(Func<ProgressView?, T> body)
    {
        // Interactive: stderr is known to be a terminal here, even when stdout is redirected to a file (Spectre would look at stdout).
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes });
        T result = default!;
        console.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => result = body(new TerminalProgressView(context)));
        return result;
    }
}

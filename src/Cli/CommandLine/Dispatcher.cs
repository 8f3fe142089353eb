using System.Reflection;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric;
using FimVerify.Numeric.Files;
using FimVerify.Numeric.Resources;

namespace FimVerify.Cli;

/// <summary>
/// Selects a command by its words, handles --help, --version, --no-cache (every command: derive closed forms afresh rather than read
/// the per-user derivation cache), --plain (an option of every command: plain text, not
/// tables, on a terminal) and --quiet on commands that print no progress, and maps errors to exit codes.
/// </summary>
public static class Dispatcher
{
    public const int Holds = 0, ClaimFailed = 1, BadInput = 2;

    private const string PlainSwitch = "--plain", QuietSwitch = "--quiet", NoCacheSwitch = "--no-cache";

    public static int Run(IReadOnlyList<ICommand> commands, string[] args, TextWriter stdout, TextWriter stderr)
    {
        bool cacheWasOn = Symbolic.DerivationCache.isEnabled();
        try
        {
            bool plain = args.Contains(PlainSwitch);
            if (plain) args = [.. args.Where(a => a != PlainSwitch)];
            stdout = TerminalOutput.For(stdout, plain);
            // --no-cache (every command): derive every closed form afresh instead of reading the per-user derivation cache.
            if (args.Contains(NoCacheSwitch))
            {
                args = [.. args.Where(a => a != NoCacheSwitch)];
                Symbolic.DerivationCache.setEnabled(false);
            }
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                stdout.WriteLine(Overview(commands));
                return Holds;
            }
            if (args[0] == "--version")
            {
                stdout.WriteLine($"fimverify {Version}");
                return Holds;
            }
            var command = commands
                .Where(c => Matches(c.Path, args))
                .OrderByDescending(c => c.Path.Split(' ').Length)
                .FirstOrDefault();
            if (command is null)
            {
                var group = commands.Where(c => c.Path.Split(' ')[0] == args[0]).Select(c => c.Path).ToList();
                string hint = group.Count > 0 ? $" Did you mean one of: {string.Join(", ", group)}?" : " Run 'fimverify --help' for the list.";
                string what = string.Join(' ', args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)));
                throw new UsageException($"Unknown command '{(what.Length > 0 ? what : args[0])}'.{hint}");
            }
            var rest = args.Skip(command.Path.Split(' ').Length).ToArray();
            if (rest.Contains("--help") || rest.Contains("-h"))
            {
                stdout.WriteLine(command.Help.TrimEnd());
                stdout.WriteLine(TerminalOutput.Synopsis);
                return Holds;
            }
            // --quiet is accepted by every command, so scripts can pass it uniformly: a command without progress is quiet already.
            if (command is not ILongRunningCommand) rest = [.. rest.Where(a => a != QuietSwitch)];
            var reader = new ArgumentReader(rest);
            return command is ILongRunningCommand withProgress ? withProgress.Run(reader, stdout, stderr) : command.Run(reader, stdout);
        }
        catch (Exception e)
        {
            stderr.WriteLine($"fimverify: {Describe(e)}");
            return BadInput;
        }
        finally
        {
            Symbolic.DerivationCache.setEnabled(cacheWasOn); // --no-cache is for this run (in-process callers run many)
        }
    }

    /// <summary>
    /// One sentence for everything a run can end in short of a result: bad input, a refused request (resources), numerical
    /// trouble, a file problem, memory exhausted despite the estimate, and, last, an internal error (a bug: the sentence says so,
    /// and the tests' fuzzing fails on it) — never a stack trace. Exceptions from parallel loops are unwrapped first.
    /// </summary>
    public static string Describe(Exception e)
    {
        if (e is AggregateException aggregate && aggregate.Flatten().InnerExceptions is [var first, ..]) e = first;
        if (e is TargetInvocationException { InnerException: { } inner }) e = inner;
        return e switch
        {
            UsageException or ResourceLimitException or UnusableFileException => Sentence(e.Message),
            NumericalException => $"numerical trouble: {Sentence(e.Message)}",
            // Library-level validation that the command's own checks did not anticipate.
            ArgumentException => $"invalid input: {Sentence(FirstSentence(e.Message))}",
            // A file that cannot be read or written (permissions, a full disk, a vanished folder) is the user's to fix.
            IOException or UnauthorizedAccessException => $"file error: {Sentence(e.Message)}",
            OutOfMemoryException or InsufficientExecutionStackException =>
                "ran out of memory: this request needs more than its estimate allowed for; please report the command line (FIMVERIFY_MEMORY_LIMIT lowers the limit requests are checked against).",
            _ => $"internal error ({e.GetType().Name}: {Sentence(FirstSentence(e.Message))}); please report the command line.",
        };
    }

    private static string Sentence(string message)
    {
        string s = message.Trim();
        return s.Length == 0 ? "(no message)." : s.EndsWith('.') || s.EndsWith('?') || s.EndsWith('!') ? s : s + ".";
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static bool Matches(string path, string[] args)
    {
        var words = path.Split(' ');
        return args.Length >= words.Length && words.Select((w, k) => w == args[k]).All(b => b);
    }

    public static string Version =>
        typeof(Dispatcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static string Overview(IReadOnlyList<ICommand> commands)
    {
        int width = commands.Max(c => c.Path.Length) + 2;
        var lines = commands.Select(c => $"  {c.Path.PadRight(width)}{c.Summary}");
        return $"""
            fimverify {Version}: a symbolic/numeric verifier for theorems about the Fisher information of neural networks.

            Usage: fimverify <command> [options]   (fimverify <command> --help for its options and an example)

            Commands:
            {string.Join(Environment.NewLine, lines)}

            {TerminalOutput.Synopsis}

            Exit codes: 0 every claim holds, 1 a claim failed, 2 bad input or numerical trouble.
            """;
    }
}

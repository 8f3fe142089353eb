using System.Runtime.CompilerServices;
using System.Text;
using Spectre.Console;

namespace FimVerify.Cli.Output;

/// <summary>
/// Stdout when it is an interactive terminal: text passes through unchanged, and <see cref="ResultTable"/>s are drawn by
/// <see cref="Console"/>, a Spectre.Console console on the same writer. Every other stdout (a pipe, a file, CI, the
/// in-process runner's StringWriter) stays a plain TextWriter, so its bytes do not depend on tables existing.
/// </summary>
public sealed class TerminalOutput(TextWriter inner, IAnsiConsole console) : TextWriter
{
    /// <summary>The environment variable that asks for plain text on a terminal too (any value but empty or 0), as --plain does.</summary>
    public const string PlainVariable = "FIMVERIFY_PLAIN";

    /// <summary>The help line on --plain, which every command takes.</summary>
    public const string Synopsis =
        "Output: tables on a terminal, plain text when stdout is redirected; --plain (or FIMVERIFY_PLAIN=1) prints the plain text on a terminal too, NO_COLOR keeps the tables uncoloured; --quiet (any command) silences progress on stderr; --no-cache (any command) derives closed forms afresh instead of reading the per-user derivation cache ($XDG_CACHE_HOME/fimverify).";

    public TextWriter Inner { get; } = inner;
    public IAnsiConsole Console { get; } = console;

    public override Encoding Encoding => Inner.Encoding;
    public override IFormatProvider FormatProvider => Inner.FormatProvider;
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine { get => Inner.NewLine; set => Inner.NewLine = value; }
    public override void Write(char value) => Inner.Write(value);
    public override void Write(char[] buffer, int index, int count) => Inner.Write(buffer, index, count);
    public override void Write(ReadOnlySpan<char> buffer) => Inner.Write(buffer);
    public override void Write(string? value) => Inner.Write(value);
    public override void WriteLine() => Inner.WriteLine();
    public override void WriteLine(string? value) => Inner.WriteLine(value);
    public override void Flush() => Inner.Flush();

    /// <summary>
    /// The stdout a command writes to: a <see cref="TerminalOutput"/> when <paramref name="stdout"/> is the process's own
    /// interactive terminal and plain text was not asked for (<paramref name="plain"/>, <see cref="PlainVariable"/>);
    /// the plain writer otherwise (a given TerminalOutput gives back its inner writer when plain text is asked for).
    /// </summary>
    public static TextWriter For(TextWriter stdout, bool plain)
    {
        plain |= Environment.GetEnvironmentVariable(PlainVariable) is { Length: > 0 } v && v != "0";
        if (stdout is TerminalOutput terminal) return plain ? terminal.Inner : terminal;
        if (plain || stdout != System.Console.Out || System.Console.IsOutputRedirected) return stdout;
        return OnTerminal(stdout);
    }

    /// <summary>Apart from <see cref="For"/>, so that a redirected stdout never loads Spectre.Console (a few ms of start-up).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TerminalOutput OnTerminal(TextWriter stdout) =>
        // Spectre detects ANSI support, the colour system (none under NO_COLOR) and the width from the terminal.
        new(stdout, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) }));
}

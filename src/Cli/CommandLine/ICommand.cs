namespace FimVerify.Cli.CommandLine;

/// <summary>
/// One CLI command. Commands are thin: they read their options, call one library entry point and render.
/// </summary>
public interface ICommand
{
    /// <summary>The words that select the command, e.g. "derive jij".</summary>
    string Path { get; }
    /// <summary>One line for the command list.</summary>
    string Summary { get; }
    /// <summary>The option synopsis and a worked example, shown by --help.</summary>
    string Help { get; }
    /// <summary>Runs the command; returns the process exit code (0 holds, 1 a claim failed).</summary>
    int Run(ArgumentReader args, TextWriter stdout);
}

/// <summary>
/// A command whose work can run longer than a moment: the dispatcher also hands it stderr, where it shows progress
/// through <see cref="Output.ProgressReporter"/> (stdout carries its output alone, byte for byte as without progress).
/// </summary>
public interface ILongRunningCommand : ICommand
{
    /// <summary>Runs the command with progress on <paramref name="stderr"/>; returns the exit code as <see cref="ICommand.Run"/>.</summary>
    int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr);

    int ICommand.Run(ArgumentReader args, TextWriter stdout) => Run(args, stdout, TextWriter.Null);
}

namespace FimVerify.Numeric.Files;

/// <summary>An input or output file that cannot be used as asked: one sentence naming it (exit code 2).</summary>
public sealed class UnusableFileException(string message) : IOException(message);

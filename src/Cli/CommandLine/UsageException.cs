namespace FimVerify.Cli.CommandLine;

/// <summary>Bad input from the user: printed as one sentence on stderr, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

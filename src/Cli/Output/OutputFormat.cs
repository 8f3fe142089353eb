using FimVerify.Cli.CommandLine;

namespace FimVerify.Cli.Output;

public enum OutputFormat { Text, Json, Latex }

public static class OutputFormats
{
    /// <summary>Reads --format, offering only the formats a command supports.</summary>
    public static OutputFormat Read(ArgumentReader args, params OutputFormat[] supported)
    {
        var names = supported.Select(f => f.ToString().ToLowerInvariant()).ToArray();
        string v = args.Choice("--format", names, names[0]);
        return supported[Array.IndexOf(names, v)];
    }
}

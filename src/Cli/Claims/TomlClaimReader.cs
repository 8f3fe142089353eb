using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Claims;
using Tomlyn.Syntax;

namespace FimVerify.Cli.Claims;

/// <summary>
/// Reads a claim file (TOML) into a <see cref="ClaimDocument"/> through Tomlyn's syntax tree, which keeps every line: run-level
/// keys (seed, alpha, title), one [constants] table, and [[claim]] tables. The engine validates the rest
/// (<see cref="ClaimFile.Read"/>); every error names the file, the line and the key (exit 2).
/// </summary>
public static class TomlClaimReader
{
    /// <summary>Claim files larger than this are refused unread (a claim file is a few kilobytes).</summary>
    public const long MaxBytes = 1 << 20;

    public static ClaimFile Load(string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"The claim file '{path}' is a folder, not a file.");
        if (!File.Exists(path)) throw new UsageException($"The claim file '{path}' does not exist.");
        if (!string.Equals(System.IO.Path.GetExtension(path), ".toml", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"The claim file '{path}' must be TOML and end in .toml.");
        string text;
        try
        {
            if (new FileInfo(path).Length > MaxBytes) throw new UsageException($"The claim file '{path}' is larger than {MaxBytes >> 20} MiB; a claim file is a few kilobytes.");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UsageException($"Cannot read the claim file '{path}': {e.Message}"); }
        return FromText(path, text);
    }

    /// <summary>Reads and validates a claim file's text (also how `merge` rebuilds a sharded run's claims).</summary>
    public static ClaimFile FromText(string path, string text)
    {
        try { return ClaimFile.Read(Read(path, text)); }
        catch (ClaimDefinitionException e) { throw new UsageException(e.Message); }
    }

    public static ClaimDocument Read(string path, string text)
    {
        var doc = TomlSuiteReader.Parse(path, text);
        string file = System.IO.Path.GetFileName(path);
        UsageException Error(int line, string message) => new($"{file}:{line}: {message}");
        var run = Fields(file, doc.KeyValues);
        ClaimTable? constants = null;
        var claims = new List<ClaimTable>();
        foreach (var table in doc.Tables)
        {
            int line = table.Span.Start.Line + 1;
            string name = table.Name?.ToString().Trim() ?? "";
            switch (table)
            {
                case TableArraySyntax when name == "claim":
                    claims.Add(new ClaimTable(line, Fields(file, table.Items)));
                    break;
                case TableSyntax when name == "constants":
                    if (constants is not null) throw Error(line, "the table [constants] appears twice.");
                    constants = new ClaimTable(line, Fields(file, table.Items));
                    break;
                case TableArraySyntax:
                    throw Error(line, $"unknown table [[{name}]]: a claim file has [[claim]] tables and one [constants] table.");
                default:
                    throw Error(line, $"unknown table [{name}]: a claim file has [[claim]] tables and one [constants] table{(name == "claim" ? " (write [[claim]], with double brackets)" : "")}.");
            }
        }
        return new ClaimDocument(path, text, run, constants ?? ClaimTable.Empty, claims);
    }

    /// <summary>The key-value pairs of a table or an inline table, each with its line; an inline table's value is a <see cref="ClaimTable"/>.</summary>
    private static Dictionary<string, ClaimField> Fields(string file, IEnumerable<KeyValueSyntax> items)
    {
        var fields = new Dictionary<string, ClaimField>(StringComparer.Ordinal);
        foreach (var kv in items)
        {
            int line = kv.Span.Start.Line + 1;
            string key = (kv.Key?.ToString() ?? "").Trim().Trim('"');
            object value = TomlSuiteReader.Convert(file, line, key, kv.Value,
                t => new ClaimTable(line, Fields(file, t.Items.Select(item => item.KeyValue).OfType<KeyValueSyntax>())));
            if (!fields.TryAdd(key, new ClaimField(key, value, line)))
                throw new UsageException($"{file}:{line}: the key '{key}' is given twice.");
        }
        return fields;
    }
}

using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Claims;
using Tomlyn.Syntax;

namespace FimVerify.Cli.Claims;

/// <summary>
/// Reads a claim file (TOML) into a <see cref="ClaimDocument"/> through Tomlyn's syntax tree, which keeps every line: run-level
/// keys (seed, alpha, title, description), one [parameters] and one [constants] table, and [[instance]], [[claim]] and [[plot]]
/// tables. The engine validates the rest
/// (<see cref="ClaimFile.Read"/>); every error names the file, the line and the key (exit 2).
/// </summary>
public static class TomlClaimReader
{
    /// <summary>Claim files larger than this are refused unread (a claim file is a few kilobytes).</summary>
    public const long MaxBytes = 1 << 20;

    public static ClaimFile Load(string path) => FromText(path, ReadText(path));

    /// <summary>A claim file as written, checked to be a readable TOML file of a bounded size (validated when it is run).</summary>
    public static ClaimDocument LoadDocument(string path) => Read(path, ReadText(path));

    private static string ReadText(string path)
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
        return text;
    }

    /// <summary>Reads and validates a claim file's text (also how `merge` rebuilds a sharded run's claims), its parameters at their defaults.</summary>
    public static ClaimFile FromText(string path, string text) => Validated(() => ClaimFile.Read(Read(path, text)));

    /// <summary>Reads and validates a claim file with its parameters' values.</summary>
    public static ClaimFile FromDocument(ClaimDocument document, IReadOnlyDictionary<string, object>? values) => Validated(() => ClaimFile.Read(document, values));

    /// <summary>A claim file's errors as the CLI's (one sentence, exit code 2).</summary>
    public static T Validated<T>(Func<T> read)
    {
        try { return read(); }
        catch (ClaimDefinitionException e) { throw new UsageException(e.Message); }
    }

    public static ClaimDocument Read(string path, string text)
    {
        var doc = TomlSuiteReader.Parse(path, text);
        string file = System.IO.Path.GetFileName(path);
        UsageException Error(int line, string message) => new($"{file}:{line}: {message}");
        var run = Fields(file, doc.KeyValues);
        ClaimTable? constants = null, parameters = null;
        var claims = new List<ClaimTable>();
        var instances = new List<ClaimTable>();
        var plots = new List<ClaimTable>();
        foreach (var table in doc.Tables)
        {
            int line = table.Span.Start.Line + 1;
            string name = table.Name?.ToString().Trim() ?? "";
            switch (table)
            {
                case TableArraySyntax when name == "claim":
                    claims.Add(new ClaimTable(line, Fields(file, table.Items)));
                    break;
                case TableArraySyntax when name == "instance":
                    instances.Add(new ClaimTable(line, Fields(file, table.Items)));
                    break;
                case TableArraySyntax when name == "plot":
                    plots.Add(new ClaimTable(line, Fields(file, table.Items)));
                    break;
                case TableSyntax when name == "constants":
                    if (constants is not null) throw Error(line, "the table [constants] appears twice.");
                    constants = new ClaimTable(line, Fields(file, table.Items));
                    break;
                case TableSyntax when name == "parameters":
                    if (parameters is not null) throw Error(line, "the table [parameters] appears twice.");
                    parameters = new ClaimTable(line, Fields(file, table.Items));
                    break;
                case TableArraySyntax:
                    throw Error(line, $"unknown table [[{name}]]: {Tables}.");
                default:
                    throw Error(line, $"unknown table [{name}]: {Tables}{(name is "claim" or "instance" or "plot" ? $" (write [[{name}]], with double brackets)" : "")}.");
            }
        }
        return new ClaimDocument(path, text, run, constants ?? ClaimTable.Empty, claims)
        {
            Parameters = parameters ?? ClaimTable.Empty, Instances = instances, Plots = plots,
        };
    }

    private const string Tables = "a claim file has [[claim]] tables, and may have [[instance]] and [[plot]] tables, one [parameters] and one [constants] table";

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

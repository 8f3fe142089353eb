using FimVerify.Cli.CommandLine;
using FimVerify.Numeric.Files;

namespace FimVerify.Cli.Report.Suite;

/// <summary>A value read from a suite file, with the line it stands on (1-based) for error messages.</summary>
public sealed record SuiteValue(object Value, int Line);

/// <summary>One [section] of a suite file: the part id and its fields.</summary>
public sealed record SuiteSection(string Id, int Line, IReadOnlyDictionary<string, SuiteValue> Fields);

/// <summary>
/// A user suite (`report --suite FILE`), TOML or JSON by extension: run-level fields (seed, quick) and one
/// table/object per section to run, holding that section's parameters. Values are long, double, bool, string
/// or a list of those.
/// </summary>
public sealed record SuiteFile(string Path, IReadOnlyDictionary<string, SuiteValue> RunFields, IReadOnlyList<SuiteSection> Sections)
{
    public static SuiteFile Load(string path)
    {
        string text;
        try { text = InputFile.ReadText(path, $"The suite file '{path}'", InputFile.SuiteLimit); }
        catch (UnusableFileException e) { throw new UsageException(e.Message + "."); }
        return FromText(path, text);
    }

    /// <summary>Parses a suite's text, TOML or JSON by the extension of <paramref name="path"/> (also how a sharded report's merge re-reads it).</summary>
    public static SuiteFile FromText(string path, string text) => (System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".toml" => TomlSuiteReader.Read(path, text),
        ".json" => JsonSuiteReader.Read(path, text),
        var ext => throw new UsageException($"The suite file '{path}' must end in .toml or .json, not '{ext}'."),
    }) with { Text = text };

    /// <summary>The suite as written.</summary>
    public string Text { get; init; } = "";

    /// <summary>The error for a field: names the file, line and field.</summary>
    public UsageException Error(int line, string message) => new($"{System.IO.Path.GetFileName(Path)}:{line}: {message}");

    public long Seed(long fallback) => RunFields.TryGetValue("seed", out var v)
        ? v.Value is long s ? s : throw Error(v.Line, "field 'seed' must be an integer.")
        : fallback;

    public bool Quick(bool fallback) => RunFields.TryGetValue("quick", out var v)
        ? v.Value is bool q ? q : throw Error(v.Line, "field 'quick' must be true or false.")
        : fallback;

    /// <summary>Rejects run-level fields other than seed and quick.</summary>
    public void EnsureKnownRunFields()
    {
        foreach (var (name, v) in RunFields)
            if (name is not ("seed" or "quick")) throw Error(v.Line, $"unknown field '{name}' (run-level fields are seed and quick; sections are tables).");
    }
}

using FimVerify.Cli.CommandLine;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace FimVerify.Cli.Report.Suite;

/// <summary>Reads a TOML suite through Tomlyn's syntax tree, which keeps every line number.</summary>
public static class TomlSuiteReader
{
    public static SuiteFile Read(string path, string text)
    {
        var doc = Parse(path, text);
        string file = System.IO.Path.GetFileName(path);
        var run = ReadFields(file, doc.KeyValues);
        var sections = new List<SuiteSection>();
        foreach (var table in doc.Tables)
        {
            int line = table.Span.Start.Line + 1;
            if (table is not TableSyntax) throw new UsageException($"{file}:{line}: arrays of tables are not used in suite files.");
            string id = table.Name?.ToString().Trim() ?? "";
            if (sections.Any(s => s.Id == id)) throw new UsageException($"{file}:{line}: section [{id}] appears twice.");
            sections.Add(new SuiteSection(id, line, ReadFields(file, table.Items)));
        }
        return new SuiteFile(path, run, sections);
    }

    /// <summary>The syntax tree of a TOML file; its first syntax error as "FILE:LINE: message" (exit 2). Shared with claim files.</summary>
    internal static DocumentSyntax Parse(string path, string text)
    {
        var doc = SyntaxParser.Parse(text, path, false);
        if (doc.HasErrors)
        {
            var first = doc.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error);
            int line = first.Span.Start.Line;
            throw new UsageException($"{System.IO.Path.GetFileName(path)}:{line + 1}: {FieldAt(text, line)}{first.Message}");
        }
        return doc;
    }

    /// <summary>
    /// Names the field (and its section) on a line the TOML parser refused, e.g. an integer out of range, since
    /// the parser's message names only the value: "field 'trials' of [theorem3]: ".
    /// </summary>
    private static string FieldAt(string text, int line)
    {
        var lines = text.Split('\n');
        if (line < 0 || line >= lines.Length) return "";
        var key = System.Text.RegularExpressions.Regex.Match(lines[line], @"^\s*([A-Za-z0-9_.\-]+|""[^""]*"")\s*=");
        if (!key.Success) return "";
        string section = "";
        for (int i = line - 1; i >= 0 && section == ""; i--)
        {
            var header = System.Text.RegularExpressions.Regex.Match(lines[i], @"^\s*\[\s*([^\[\]]+?)\s*\]");
            if (header.Success) section = $" of [{header.Groups[1].Value}]";
        }
        return $"field '{key.Groups[1].Value.Trim('"')}'{section}: ";
    }

    private static Dictionary<string, SuiteValue> ReadFields(string file, SyntaxList<KeyValueSyntax> items)
    {
        var fields = new Dictionary<string, SuiteValue>(StringComparer.Ordinal);
        foreach (var kv in items)
        {
            int line = kv.Span.Start.Line + 1;
            string key = kv.Key?.ToString().Trim() ?? "";
            if (!fields.TryAdd(key, new SuiteValue(Convert(file, line, key, kv.Value), line)))
                throw new UsageException($"{file}:{line}: field '{key}' is given twice.");
        }
        return fields;
    }

    /// <summary>
    /// A TOML value as the numbers, booleans, strings and lists of them that suite and claim files use; an inline table only
    /// where <paramref name="inlineTable"/> reads it (claim files: `sweep = { M = [...] }`). Shared with claim files.
    /// </summary>
    internal static object Convert(string file, int line, string key, ValueSyntax? value, Func<InlineTableSyntax, object>? inlineTable = null) => value switch
    {
        IntegerValueSyntax i => i.Value,
        FloatValueSyntax f => f.Value,
        BooleanValueSyntax b => b.Value,
        StringValueSyntax s => s.Value ?? "",
        ArraySyntax a => a.Items.Select(item => Convert(file, line, key, item.Value, inlineTable)).ToList(),
        InlineTableSyntax t when inlineTable is not null => inlineTable(t),
        _ => throw new UsageException(inlineTable is null
            ? $"{file}:{line}: field '{key}' has a kind of value suite files do not use (use numbers, true/false, strings or arrays)."
            : $"{file}:{line}: the key '{key}' has a kind of value claim files do not use (use numbers, true/false, strings, arrays or inline tables)."),
    };
}

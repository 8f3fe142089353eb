using System.Text;
using System.Text.Json;
using FimVerify.Cli.CommandLine;

namespace FimVerify.Cli.Report.Suite;

/// <summary>
/// Reads a JSON suite with Utf8JsonReader, counting lines from token offsets so every error names its line.
/// Shape: {"seed": 1, "quick": true, "lemma1": {"p": 100}, …}.
/// </summary>
public static class JsonSuiteReader
{
    public static SuiteFile Read(string path, string text)
    {
        string file = System.IO.Path.GetFileName(path);
        var bytes = Encoding.UTF8.GetBytes(text);
        int LineOf(long offset) => 1 + bytes.AsSpan(0, (int)Math.Min(offset, bytes.Length)).Count((byte)'\n');
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new UsageException($"{file}:1: a suite must be a JSON object.");
            var run = new Dictionary<string, SuiteValue>(StringComparer.Ordinal);
            var sections = new List<SuiteSection>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                int line = LineOf(reader.TokenStartIndex);
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    if (sections.Any(s => s.Id == name)) throw new UsageException($"{file}:{line}: section '{name}' appears twice.");
                    var fields = new Dictionary<string, SuiteValue>(StringComparer.Ordinal);
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        string key = reader.GetString()!;
                        int keyLine = LineOf(reader.TokenStartIndex);
                        reader.Read();
                        if (!fields.TryAdd(key, new SuiteValue(Value(ref reader, file, keyLine, key), keyLine)))
                            throw new UsageException($"{file}:{keyLine}: field '{key}' is given twice.");
                    }
                    sections.Add(new SuiteSection(name, line, fields));
                }
                else if (!run.TryAdd(name, new SuiteValue(Value(ref reader, file, line, name), line)))
                    throw new UsageException($"{file}:{line}: field '{name}' is given twice.");
            }
            if (reader.TokenType != JsonTokenType.EndObject)
                throw new UsageException($"{file}:{LineOf(reader.TokenStartIndex)}: expected a field name or the end of the suite object.");
            // One object and nothing after it: a second object or trailing text is a mistake, not something to ignore.
            int end = LineOf(reader.TokenStartIndex);
            if (reader.Read())
                throw new UsageException($"{file}:{LineOf(reader.TokenStartIndex)}: text after the suite object, which ends on line {end} (a suite is one JSON object).");
            return new SuiteFile(path, run, sections);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{file}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split('.')[0]}).");
        }
    }

    private static object Value(ref Utf8JsonReader reader, string file, int line, string key)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                // Not a ternary: it would widen the long to double.
                if (reader.TryGetInt64(out long l)) return l;
                return reader.GetDouble();
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.String: return reader.GetString()!;
            case JsonTokenType.StartArray:
                var list = new List<object>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(Value(ref reader, file, line, key));
                return list;
            default:
                throw new UsageException($"{file}:{line}: field '{key}' has a kind of value suite files do not use (use numbers, true/false, strings or arrays).");
        }
    }
}

using System.Text.Json;
using FimVerify.Cli.CommandLine;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// One shard's partial file as read back: its envelope checked (format, known experiment, the shard's trials exactly),
/// the parameters and per-trial payloads still JSON for the experiment to read.
/// </summary>
/// <param name="ParameterFields">The "parameters" object field by field as written, for comparing parts.</param>
public sealed record PartialResult(string File, string Experiment, long Trials, Shard Shard, JsonElement Parameters,
    IReadOnlyList<KeyValuePair<string, string>> ParameterFields, IReadOnlyDictionary<long, JsonElement> Outcomes)
{
    /// <summary>The error for a problem with this file: one sentence naming it.</summary>
    public UsageException Bad(string problem) => Problem(File, problem);

    /// <summary>A required field of a JSON object in this file.</summary>
    public JsonElement Field(JsonElement e, string name) => Field(File, e, name);

    /// <summary>A required field of the parameters.</summary>
    public JsonElement Parameter(string name) => Field(File, Parameters, name);

    /// <summary>
    /// Runs a reader of this file's content, turning a mistyped field (GetInt32 on a string…) or parameters the library
    /// rejects into one sentence naming the file.
    /// </summary>
    public T Read<T>(Func<T> read) => Guard(File, read);

    internal static T Guard<T>(string path, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
        {
            throw Problem(path, $"is not a well-formed {PartialResultFile.Format} file ({FirstClause(e.Message)})");
        }
    }

    internal static JsonElement Field(string path, JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw Problem(path, $"lacks the field \"{name}\"");

    internal static UsageException Problem(string path, string problem) => new($"The part file '{path}' {problem}.");

    private static string FirstClause(string message)
    {
        int cut = message.IndexOfAny(['.', '\n', '(']);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}

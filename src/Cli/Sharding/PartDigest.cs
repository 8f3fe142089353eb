using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// Content digests that make a partial file self-checking: every outcome carries "digest", the SHA-256 of its canonical
/// form without that field, and the file carries "digest" over the canonical form of everything else (per-trial digests
/// included). The canonical form is compact JSON with the properties in file order, strings by value and numbers by their
/// exact text, so re-indenting or re-escaping a part keeps its digests, while an edited value (a flipped "failed" flag, a
/// changed measurement or parameter) or a truncated or corrupted file is refused, naming the trial where it can. This guards
/// against accidents and careless edits, not against someone who recomputes the digests.
/// </summary>
public static class PartDigest
{
    public const string Field = "digest";

    /// <summary>The JSON text of a part with its digests added (per outcome, then for the whole file).</summary>
    public static string Sign(string json)
    {
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })!.AsObject();
        root.Remove(Field);
        if (root["outcomes"] is JsonArray outcomes)
            foreach (var o in outcomes.OfType<JsonObject>())
            {
                o.Remove(Field);
                o[Field] = Of(o);
            }
        root[Field] = Of(root);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>
    /// The first outcome whose digest is missing or does not match (its "trial" value, or null when it has none), or
    /// <c>(false, …)</c> when the outcomes match but the file's digest does not; <c>(true, null)</c> when everything matches.
    /// </summary>
    public static (bool FileMatches, JsonElement? BadOutcome) Verify(JsonElement root)
    {
        foreach (var outcome in root.GetProperty("outcomes").EnumerateArray())
            if (!Matches(outcome)) return (true, outcome);
        return (Matches(root), null);
    }

    private static bool Matches(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(Field, out var d) && d.ValueKind == JsonValueKind.String && d.GetString() == Of(e);

    /// <summary>Hex SHA-256 of the canonical form of <paramref name="e"/> without its own "digest" field.</summary>
    public static string Of(JsonElement e)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Canonical(w, e, skipDigest: true);
        return Convert.ToHexStringLower(SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length)));
    }

    private static string Of(JsonNode node) => Of(JsonDocument.Parse(node.ToJsonString()).RootElement);

    private static void Canonical(Utf8JsonWriter w, JsonElement e, bool skipDigest)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject())
                {
                    if (skipDigest && p.Name == Field) continue;
                    w.WritePropertyName(p.Name);
                    Canonical(w, p.Value, skipDigest: false);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var x in e.EnumerateArray()) Canonical(w, x, skipDigest: false);
                w.WriteEndArray();
                break;
            case JsonValueKind.String: w.WriteStringValue(e.GetString()); break;
            case JsonValueKind.Number: w.WriteRawValue(e.GetRawText(), skipInputValidation: true); break;
            case JsonValueKind.True: w.WriteBooleanValue(true); break;
            case JsonValueKind.False: w.WriteBooleanValue(false); break;
            default: w.WriteNullValue(); break;
        }
    }
}

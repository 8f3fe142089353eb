using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FimVerify.Cli.Output;

/// <summary>Writes JSON with a Utf8JsonWriter: indented, plain ASCII escapes only where JSON needs them.</summary>
public static class JsonOutput
{
    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            body(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes a double, refusing NaN and infinities (they are errors, never results).</summary>
    public static void Number(this Utf8JsonWriter w, string name, double value)
    {
        if (!double.IsFinite(value)) throw new FimVerify.Numeric.NumericalException($"the value of '{name}' is not finite ({value})");
        w.WriteNumber(name, value);
    }

    /// <summary>Writes a double array element, refusing NaN and infinities.</summary>
    public static void NumberValue(this Utf8JsonWriter w, double value)
    {
        if (!double.IsFinite(value)) throw new FimVerify.Numeric.NumericalException($"a value is not finite ({value})");
        w.WriteNumberValue(value);
    }
}

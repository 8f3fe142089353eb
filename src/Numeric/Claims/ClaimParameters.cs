using System.Globalization;
using System.Text.RegularExpressions;

namespace FimVerify.Numeric.Claims;

/// <summary>The kind of a parameter's value, fixed by the kind of its declared value.</summary>
public enum ParameterKind { Integer, Number, Text }

/// <summary>
/// The allowed values of a numeric parameter: inclusive bounds (the lower one exclusive when declared with `above`), each with
/// the text it was declared with when that was an expression of other parameters ("d" for min = "${d}"), for messages.
/// </summary>
public sealed record ParameterRange(double? Min, double? Max, bool MinExclusive, string? MinText, string? MaxText)
{
    public bool Contains(double x) =>
        double.IsFinite(x) && (Min is not double lo || (MinExclusive ? x > lo : x >= lo)) && (Max is not double hi || x <= hi);

    private static string Show(double x, string? text) =>
        text is null ? x.ToString(CultureInfo.InvariantCulture) : $"{text} = {x.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>"must lie between d = 3 and 2000", "must be greater than 0 and at most 10", "must be at least 1".</summary>
    public string Requirement => (Min, Max, MinExclusive) switch
    {
        (double lo, double hi, false) => $"must lie between {Show(lo, MinText)} and {Show(hi, MaxText)}",
        (double lo, double hi, true) => $"must be greater than {Show(lo, MinText)} and at most {Show(hi, MaxText)}",
        (double lo, null, false) => $"must be at least {Show(lo, MinText)}",
        (double lo, null, true) => $"must be greater than {Show(lo, MinText)}",
        (null, double hi, _) => $"must be at most {Show(hi, MaxText)}",
        _ => "must be a finite number",
    };
}

/// <summary>
/// One declared parameter of a claim file: a value a run may set (a report suite's field of the section, the command that runs
/// the file), with its default, its default in quick runs, its allowed range or choices. Its value replaces "${name}" in every
/// other value of the file. <see cref="SelectsInstance"/>: the value names the one [[instance]] to run ("all": every one).
/// </summary>
public sealed record ClaimParameter(string Name, int Line, ParameterKind Kind, object Default, object? QuickDefault,
    string? MinText, string? MaxText, bool MinExclusive, IReadOnlyList<string>? Choices, bool SelectsInstance, string? Description)
{
    /// <summary>The word a selecting parameter takes for "every instance".</summary>
    public const string All = "all";
}

/// <summary>
/// The [parameters] of a claim file and their substitution. A parameter is declared as an inline table,
/// `p = { value = 1000, quick = 800, min = "${d}", max = 2000, description = "…" }` (integers), `delta = { value = 0.5, above = 0 }`
/// (numbers), `activation = { value = "all", choices = ["all", "tanh"], selects = "instance" }` (text); bounds may be expressions of
/// the parameters declared before. Every other value of the file may use a parameter: a string that is exactly "${name}" becomes
/// its value (a number stays a number), and "${name}" inside a longer string (an expression, a statement) is replaced by its text.
/// </summary>
public sealed partial class ClaimParameters
{
    private static readonly IReadOnlyList<string> DeclarationKeys = ["value", "quick", "min", "max", "above", "choices", "selects", "description"];

    private ClaimParameters(IReadOnlyList<ClaimParameter> declared) { Declared = declared; }

    public IReadOnlyList<ClaimParameter> Declared { get; }

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex Reference();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();

    /// <summary>Reads the declarations (kinds, defaults, choices); bounds are evaluated when values are resolved.</summary>
    public static ClaimParameters Read(ClaimDocument document)
    {
        var declared = new List<ClaimParameter>();
        foreach (var field in document.Parameters.Fields.Values.OrderBy(f => f.Line))
        {
            if (!NamePattern().IsMatch(field.Key)) throw document.Error(field.Line, $"the parameter '{field.Key}' needs a name of letters, digits and _, starting with a letter.");
            if (field.Value is not ClaimTable table)
                throw document.Error(field.Line, $"the parameter '{field.Key}' is declared as an inline table, such as {field.Key} = {{ value = 1000, min = 10, max = 2000 }}.");
            var f = new ClaimFieldReader(document, table, $"the parameter '{field.Key}'");
            var value = f.Field("value")?.Value ?? throw f.Error("the key 'value' (its default) is required.");
            var kind = value switch
            {
                long => ParameterKind.Integer,
                double => ParameterKind.Number,
                string => ParameterKind.Text,
                _ => throw f.Error("value", "a parameter's value is a whole number, a number or a string"),
            };
            object? quick = f.Field("quick")?.Value;
            if (quick is not null && !SameKind(kind, quick)) throw f.Error("quick", $"must be of the kind of the value ({Describe(kind)})");
            string? min = BoundText(f, "min"), max = BoundText(f, "max"), above = BoundText(f, "above");
            if (min is not null && above is not null) throw f.Error("above", "give either min (inclusive) or above (exclusive), not both");
            if (kind == ParameterKind.Text && (min ?? max ?? above) is not null) throw f.Error(min is not null ? "min" : max is not null ? "max" : "above", "bounds apply to numbers; a text parameter may list its choices");
            IReadOnlyList<string>? choices = null;
            if (f.Field("choices") is { } c)
            {
                if (kind != ParameterKind.Text || c.Value is not IEnumerable<object> list || list.Any(x => x is not string) || !list.Any())
                    throw f.Error("choices", "a text parameter's choices are a non-empty list of strings");
                choices = list.Cast<string>().ToList();
            }
            bool selects = false;
            if (f.OptionalString("selects") is { } sel)
            {
                if (sel != "instance") throw f.Error("selects", "the only thing a parameter selects is \"instance\"");
                if (choices is null) throw f.Error("selects", "a parameter that selects an instance lists its choices (instance names and \"all\")");
                selects = true;
            }
            string? description = f.OptionalString("description");
            f.EnsureAllUsed(DeclarationKeys);
            var p = new ClaimParameter(field.Key, field.Line, kind, value, quick, min ?? above, max, above is not null, choices, selects, description);
            foreach (var v in new[] { value, quick }.OfType<string>())
                if (choices is not null && !choices.Contains(v)) throw f.Error(v == (string)value ? "value" : "quick", $"must be one of the choices {string.Join(", ", choices)}");
            declared.Add(p);
        }
        return new ClaimParameters(declared);
    }

    private static bool SameKind(ParameterKind kind, object v) => kind switch
    {
        ParameterKind.Integer => v is long,
        ParameterKind.Number => v is double or long,
        _ => v is string,
    };

    public static string Describe(ParameterKind kind) => kind switch
    {
        ParameterKind.Integer => "a whole number",
        ParameterKind.Number => "a number",
        _ => "a string",
    };

    private static string? BoundText(ClaimFieldReader f, string key) => f.Field(key)?.Value switch
    {
        null => null,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        string s when s.Trim().Length > 0 => s,
        var v => throw f.Error(key, $"a bound is a number or an expression of the parameters declared before, but is {ClaimFieldReader.Show(v)}"),
    };

    /// <summary>
    /// Each parameter's value in declaration order: <paramref name="given"/>'s (a suite field, a command-line option) when it gives
    /// one, else the quick default in a quick run, else the default. A given value is checked by <paramref name="given"/> itself
    /// against the range it is passed (so its errors name where it came from); defaults are checked here.
    /// </summary>
    /// <param name="given">For a parameter, its default in this run and its range: the value to use, or null to keep the default.</param>
    public IReadOnlyDictionary<string, object> Resolve(ClaimDocument document, bool quick, Func<ClaimParameter, object, ParameterRange?, object?>? given = null)
    {
        var values = new Dictionary<string, object>();
        foreach (var p in Declared)
        {
            var range = Range(document, p, values);
            object fallback = quick && p.QuickDefault is not null ? p.QuickDefault : p.Default;
            if (p.Kind == ParameterKind.Number && fallback is long l) fallback = (double)l;
            // A given value replaces the default unchecked here (the caller checked it); only a default that is used is checked, so a
            // run may move a range past the default (min_width = 2000 with max_width = 4000 leaves max_width's default 2000 unused).
            var value = given?.Invoke(p, fallback, range);
            if (value is null) Check(document, p, fallback, range, quick && p.QuickDefault is not null ? "quick" : "value");
            value ??= fallback;
            if (p.Kind == ParameterKind.Number && value is long g) value = (double)g;
            values[p.Name] = value;
        }
        return values;
    }

    /// <summary>The range of a numeric parameter, its bounds evaluated with the values of the parameters before it.</summary>
    private static ParameterRange? Range(ClaimDocument document, ClaimParameter p, IReadOnlyDictionary<string, object> before)
    {
        if (p.Kind == ParameterKind.Text) return null;
        double? Bound(string? text)
        {
            if (text is null) return null;
            // A number stays the number written (1e-300 through the expression route would come back as 9.999…E-301).
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double written)) return written;
            string substituted = SubstituteText(document, p.Line, text, before);
            try { return ClaimExpression.Parse(substituted, []).Evaluate(new Dictionary<string, double>()); }
            catch (ArgumentException e) { throw document.Error(p.Line, $"a bound of the parameter '{p.Name}': {e.Message}"); }
        }
        static string? Shown(string? text) => text is null || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null
            : Reference().Replace(text, m => m.Groups[1].Value);
        return new ParameterRange(Bound(p.MinText), Bound(p.MaxText), p.MinExclusive, Shown(p.MinText), Shown(p.MaxText));
    }

    private static void Check(ClaimDocument document, ClaimParameter p, object value, ParameterRange? range, string key)
    {
        string? problem = Problem(p, value, range);
        if (problem is not null) throw document.Error(p.Line, $"the {key} of the parameter '{p.Name}' {problem}, but is {ClaimFieldReader.Show(value)}.");
    }

    /// <summary>Why a value does not fit the parameter (its kind, range or choices), or null when it does.</summary>
    public static string? Problem(ClaimParameter p, object value, ParameterRange? range)
    {
        if (!SameKind(p.Kind, value)) return $"must be {Describe(p.Kind)}";
        if (value is string s) return p.Choices is { } c && !c.Contains(s) ? $"must be one of {string.Join(", ", c)}" : null;
        double x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return range is not null && !range.Contains(x) ? range.Requirement : null;
    }

    /// <summary>The document with every "${name}" replaced by its value (the [parameters] table itself is left out).</summary>
    public static ClaimDocument Substitute(ClaimDocument document, IReadOnlyDictionary<string, object> values)
    {
        ClaimTable Table(ClaimTable t) => new(t.Line, t.Fields.ToDictionary(kv => kv.Key, kv => kv.Value with { Value = Value(kv.Value.Line, kv.Value.Value) }));
        object Value(int line, object v) => v switch
        {
            string s => Whole(line, s),
            ClaimTable t => Table(t),
            IEnumerable<object> list => list.Select(x => Value(line, x)).ToList(),
            _ => v,
        };
        object Whole(int line, string s)
        {
            var m = Reference().Match(s);
            if (m.Success && m.Index == 0 && m.Length == s.Length) return Lookup(document, line, m.Groups[1].Value, values);
            return SubstituteText(document, line, s, values);
        }
        return new ClaimDocument(document.Path, document.Text,
            document.RunFields.ToDictionary(kv => kv.Key, kv => kv.Value with { Value = Value(kv.Value.Line, kv.Value.Value) }),
            Table(document.Constants), document.Claims.Select(Table).ToList())
        {
            Parameters = document.Parameters,
            Instances = document.Instances.Select(Table).ToList(),
            Plots = document.Plots.Select(Table).ToList(),
        };
    }

    private static string SubstituteText(ClaimDocument document, int line, string text, IReadOnlyDictionary<string, object> values) =>
        Reference().Replace(text, m => Lookup(document, line, m.Groups[1].Value, values) switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var o => o.ToString() ?? "",
        });

    private static object Lookup(ClaimDocument document, int line, string name, IReadOnlyDictionary<string, object> values) =>
        values.TryGetValue(name, out var v) ? v
        : throw document.Error(line, values.Count == 0
            ? $"\"${{{name}}}\" names a parameter, but the file declares none before it (declare it under [parameters])."
            : $"\"${{{name}}}\" names no parameter declared before it; the parameters are {string.Join(", ", values.Keys)}.");
}

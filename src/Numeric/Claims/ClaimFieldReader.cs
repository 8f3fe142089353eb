using System.Globalization;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// Typed access to the fields of one table of a claim file: every getter checks the value's kind and range and names the
/// file, the line and the key on error; <see cref="EnsureAllUsed"/> rejects keys nobody asked for.
/// </summary>
public sealed class ClaimFieldReader(ClaimDocument document, ClaimTable table, string where)
{
    private readonly HashSet<string> _used = [];

    /// <summary>How errors name the table, e.g. "claim 'relu-lambda-max'" or "[constants]".</summary>
    public string Where => where;
    public ClaimDocument Document => document;
    public int Line => table.Line;

    public bool Has(string key) => table.Fields.ContainsKey(key);

    /// <summary>The table's keys in the order they stand in the file.</summary>
    public IEnumerable<string> Keys => table.Fields.Values.OrderBy(f => f.Line).Select(f => f.Key);

    public ClaimField? Field(string key)
    {
        if (!table.Fields.TryGetValue(key, out var f)) return null;
        _used.Add(key);
        return f;
    }

    /// <summary>An error about a key of this table (at its line, or at the table's line when the key is missing).</summary>
    public ClaimDefinitionException Error(string key, string message) =>
        document.Error(table.Fields.TryGetValue(key, out var f) ? f.Line : table.Line, $"key '{key}' of {where}: {message}");

    /// <summary>An error about the table as a whole.</summary>
    public ClaimDefinitionException Error(string message) => document.Error(table.Line, $"{where}: {message}");

    private ClaimDefinitionException Wrong(ClaimField f, string requirement) =>
        document.Error(f.Line, $"key '{f.Key}' of {where} {requirement}, but is {Show(f.Value)}.");

    public static string Show(object o) => o switch
    {
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        ClaimTable t => "{" + string.Join(", ", t.Fields.Values.Select(f => $"{f.Key} = {Show(f.Value)}")) + "}",
        IEnumerable<object> list => "[" + string.Join(", ", list.Select(Show)) + "]",
        _ => o.ToString() ?? "",
    };

    public string RequiredString(string key) =>
        OptionalString(key) ?? throw Error($"the key '{key}' is required.");

    public string? OptionalString(string key)
    {
        if (Field(key) is not { } f) return null;
        return f.Value is string s && s.Trim().Length > 0 ? s : throw Wrong(f, "must be a non-empty string");
    }

    /// <summary>One of <paramref name="allowed"/>, compared exactly.</summary>
    public string Choice(string key, IReadOnlyList<string> allowed, string? fallback = null)
    {
        if (Field(key) is not { } f) return fallback ?? throw Error($"the key '{key}' is required (one of {string.Join(", ", allowed)}).");
        if (f.Value is not string s || !allowed.Contains(s)) throw Wrong(f, $"must be one of {string.Join(", ", allowed)}");
        return s;
    }

    public long? OptionalLong(string key, long min = long.MinValue, long max = long.MaxValue)
    {
        if (Field(key) is not { } f) return null;
        if (f.Value is not long x) throw Wrong(f, "must be a whole number");
        if (x < min || x > max) throw Wrong(f, max == long.MaxValue ? $"must be at least {min}" : $"must lie between {min} and {max}");
        return x;
    }

    public long RequiredLong(string key, long min = long.MinValue, long max = long.MaxValue) =>
        OptionalLong(key, min, max) ?? throw Error($"the key '{key}' is required.");

    public double? OptionalDouble(string key, double exclusiveMin = double.NegativeInfinity, double inclusiveMax = double.PositiveInfinity, bool inclusiveMin = false)
    {
        if (Field(key) is not { } f) return null;
        double x = f.Value switch { long l => l, double d => d, _ => throw Wrong(f, "must be a number") };
        bool below = inclusiveMin ? x < exclusiveMin : x <= exclusiveMin;
        if (!double.IsFinite(x) || below || x > inclusiveMax)
            throw Wrong(f, $"must be a finite number {(inclusiveMin ? "≥" : ">")} {exclusiveMin.ToString(CultureInfo.InvariantCulture)}"
                + (double.IsPositiveInfinity(inclusiveMax) ? "" : $" and ≤ {inclusiveMax.ToString(CultureInfo.InvariantCulture)}"));
        return x;
    }

    public double RequiredDouble(string key, double exclusiveMin = double.NegativeInfinity, double inclusiveMax = double.PositiveInfinity, bool inclusiveMin = false) =>
        OptionalDouble(key, exclusiveMin, inclusiveMax, inclusiveMin) ?? throw Error($"the key '{key}' is required.");

    /// <summary>A list of numbers (a single number is a list of one).</summary>
    public double[]? OptionalNumbers(string key)
    {
        if (Field(key) is not { } f) return null;
        IEnumerable<object> items = f.Value is not string && f.Value is IEnumerable<object> list ? list : [f.Value];
        return items.Select(x => x switch { long l => (double)l, double d when double.IsFinite(d) => d, _ => throw Wrong(f, "must be a list of finite numbers") }).ToArray();
    }

    /// <summary>An inline table (TOML `{ M = [250, 500] }`).</summary>
    public ClaimTable? OptionalTable(string key)
    {
        if (Field(key) is not { } f) return null;
        return f.Value as ClaimTable ?? throw Wrong(f, "must be a table such as { M = [250, 500, 1000] }");
    }

    /// <summary>Rejects keys no getter asked for, naming the keys this table knows.</summary>
    public void EnsureAllUsed(IEnumerable<string> known)
    {
        foreach (var f in table.Fields.Values)
            if (!_used.Contains(f.Key))
                throw document.Error(f.Line, $"unknown key '{f.Key}' in {where} (the keys here are {string.Join(", ", known)}).");
    }
}

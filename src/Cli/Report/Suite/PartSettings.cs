using System.Globalization;

namespace FimVerify.Cli.Report.Suite;

/// <summary>
/// The parameters of one report part: the suite section's fields when a suite gives them, defaults otherwise.
/// Every getter validates and names file, line and field on error; <see cref="EnsureAllUsed"/> rejects
/// fields the part does not know.
/// </summary>
public sealed class PartSettings
{
    private readonly SuiteFile? _suite;
    private readonly SuiteSection? _section;
    private readonly HashSet<string> _used = [];

    public PartSettings(SuiteFile? suite, SuiteSection? section) { _suite = suite; _section = section; }

    public static PartSettings Defaults { get; } = new(null, null);

    private bool TryGet(string name, out SuiteValue value)
    {
        value = null!;
        if (_section is null || !_section.Fields.TryGetValue(name, out var v)) return false;
        _used.Add(name);
        value = v;
        return true;
    }

    private Exception Error(SuiteValue v, string name, string requirement) =>
        _suite!.Error(v.Line, $"field '{name}' of [{_section!.Id}] {requirement}, but is {Show(v.Value)}.");

    private static string Show(object o) => o switch
    {
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<object> list => "[" + string.Join(", ", list.Select(Show)) + "]",
        _ => o.ToString() ?? "",
    };

    public long Long(string name, long fallback, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!TryGet(name, out var v)) return fallback;
        if (v.Value is not long x) throw Error(v, name, "must be an integer");
        if (x < min || x > max) throw Error(v, name, max == long.MaxValue ? $"must be at least {min}" : $"must lie between {min} and {max}");
        return x;
    }

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue) => (int)Long(name, fallback, min, max);

    public double Double(string name, double fallback, double exclusiveMin = double.NegativeInfinity, double inclusiveMax = double.PositiveInfinity)
    {
        if (!TryGet(name, out var v)) return fallback;
        double x = v.Value switch { long l => l, double d => d, _ => throw Error(v, name, "must be a number") };
        if (!double.IsFinite(x) || x <= exclusiveMin || x > inclusiveMax)
            throw Error(v, name, $"must be greater than {exclusiveMin.ToString(CultureInfo.InvariantCulture)}{(double.IsPositiveInfinity(inclusiveMax) ? "" : $" and at most {inclusiveMax.ToString(CultureInfo.InvariantCulture)}")}");
        return x;
    }

    /// <summary>A false-alarm rate α in [<see cref="Numeric.Verification.ClopperPearson.SmallestRate"/>, <paramref name="inclusiveMax"/>].</summary>
    public double FalseAlarmRate(string name, double fallback, double inclusiveMax)
    {
        double x = Double(name, fallback, 0, inclusiveMax);
        if (x < Numeric.Verification.ClopperPearson.SmallestRate && _section!.Fields.TryGetValue(name, out var v))
            throw Error(v, name, $"must be at least {Numeric.Verification.ClopperPearson.SmallestRate.ToString(CultureInfo.InvariantCulture)} (a smaller rate underflows when it is halved for a two-sided interval or shared among claims)");
        return x;
    }

    /// <summary>
    /// A claim file's parameter set by the suite's field of the same name (kind, range and choices as the file declares them), or
    /// null to keep <paramref name="fallback"/>.
    /// </summary>
    public object? Parameter(Numeric.Claims.ClaimParameter parameter, object fallback, Numeric.Claims.ParameterRange? range)
    {
        if (!TryGet(parameter.Name, out var v)) return null;
        object value = parameter.Kind == Numeric.Claims.ParameterKind.Number && v.Value is long l ? (double)l : v.Value;
        if (Numeric.Claims.ClaimParameters.Problem(parameter, value, range) is string problem) throw Error(v, parameter.Name, problem);
        return value;
    }

    public string String(string name, string fallback)
    {
        if (!TryGet(name, out var v)) return fallback;
        return v.Value is string s && s.Length > 0 ? s : throw Error(v, name, "must be a non-empty string");
    }

    /// <summary>A string field read by <paramref name="parse"/>; its FormatException or ArgumentException becomes the file-and-line error.</summary>
    public T Parsed<T>(string name, string fallback, Func<string, T> parse)
    {
        if (!TryGet(name, out var v)) return parse(fallback);
        if (v.Value is not string s || s.Length == 0) throw Error(v, name, "must be a non-empty string");
        try { return parse(s); }
        catch (Exception e) when (e is FormatException or ArgumentException) { throw Error(v, name, $"must be valid ({e.Message})"); }
    }

    public string Choice(string name, IReadOnlyList<string> allowed, string fallback)
    {
        if (!TryGet(name, out var v)) return fallback;
        if (v.Value is not string s || !allowed.Contains(s)) throw Error(v, name, $"must be one of {string.Join(", ", allowed)}");
        return s;
    }

    /// <summary>
    /// The error for a field whose value is valid alone but not with the others (e.g. p below d): names file, line and field
    /// when the suite gives the field, else the section and the default.
    /// </summary>
    public CommandLine.UsageException Invalid(string name, object value, string requirement) =>
        _section is not null && _section.Fields.TryGetValue(name, out var v)
            ? _suite!.Error(v.Line, $"field '{name}' of [{_section.Id}] {requirement}, but is {Show(v.Value)}.")
            : new CommandLine.UsageException($"The default {name} = {Show(value)} of [{_section?.Id ?? "this section"}] {requirement}; set {name} in the suite.");

    public void EnsureAllUsed()
    {
        if (_section is null) return;
        foreach (var (name, v) in _section.Fields)
            if (!_used.Contains(name)) throw _suite!.Error(v.Line, $"unknown field '{name}' in [{_section.Id}].");
    }
}

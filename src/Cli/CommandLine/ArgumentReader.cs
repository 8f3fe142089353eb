using System.Globalization;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.CommandLine;

/// <summary>
/// Reads `--name value` options and `--flag` switches. Every getter validates and throws
/// <see cref="UsageException"/> with one clear sentence; <see cref="EnsureAllUsed"/> rejects unknown options.
/// </summary>
public sealed class ArgumentReader
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    public ArgumentReader(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (int k = 0; k < list.Count; k++)
        {
            string a = list[k];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string name = a, value;
                int eq = a.IndexOf('=');
                if (eq > 0) { name = a[..eq]; value = a[(eq + 1)..]; }
                else if (k + 1 < list.Count && !IsOptionName(list[k + 1])) value = list[++k];
                else { Set(name, null); continue; }
                Set(name, value);
            }
            else _positionals.Add(a);
        }
    }

    private static bool IsOptionName(string s) => s.StartsWith("--", StringComparison.Ordinal) && s.Length > 2 && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private void Set(string name, string? value)
    {
        if (!_options.TryAdd(name, value)) throw new UsageException($"The option {name} is given more than once.");
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public bool Has(string name) => _options.ContainsKey(name);

    public bool Flag(string name)
    {
        if (!_options.TryGetValue(name, out var v)) return false;
        _used.Add(name);
        if (v is not null) throw new UsageException($"The switch {name} takes no value, but got '{v}'.");
        return true;
    }

    public string? OptionalString(string name)
    {
        if (!_options.TryGetValue(name, out var v)) return null;
        _used.Add(name);
        return v ?? throw new UsageException($"The option {name} needs a value.");
    }

    public string String(string name, string fallback) => OptionalString(name) ?? fallback;

    public string Choice(string name, IReadOnlyList<string> allowed, string fallback)
    {
        string v = String(name, fallback);
        if (!allowed.Contains(v)) throw new UsageException($"The option {name} must be one of {string.Join(", ", allowed)}, but got '{v}'.");
        return v;
    }

    public long Long(string name, long fallback, long min = long.MinValue, long max = long.MaxValue)
    {
        string? s = OptionalString(name);
        if (s is null) return fallback;
        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
            throw new UsageException($"The option {name} needs a whole number, but got '{s}'.");
        if (v < min || v > max)
            throw new UsageException(max == long.MaxValue
                ? $"The option {name} must be at least {min}, but got {v}."
                : $"The option {name} must lie between {min} and {max}, but got {v}.");
        return v;
    }

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue) => (int)Long(name, fallback, min, max);

    public double Double(string name, double fallback, double exclusiveMin = double.NegativeInfinity, double inclusiveMax = double.PositiveInfinity)
    {
        string? s = OptionalString(name);
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new UsageException($"The option {name} needs a finite number, but got '{s}'.");
        if (v <= exclusiveMin) throw new UsageException($"The option {name} must be greater than {exclusiveMin.ToString(CultureInfo.InvariantCulture)}, but got {s}.");
        if (v > inclusiveMax) throw new UsageException($"The option {name} must be at most {inclusiveMax.ToString(CultureInfo.InvariantCulture)}, but got {s}.");
        return v;
    }

    /// <summary>A false-alarm rate α in [<see cref="ClopperPearson.SmallestRate"/>, <paramref name="inclusiveMax"/>].</summary>
    public double FalseAlarmRate(string name, double fallback, double inclusiveMax)
    {
        double v = Double(name, fallback, 0, inclusiveMax);
        if (v < ClopperPearson.SmallestRate)
            throw new UsageException($"The option {name} must be at least {ClopperPearson.SmallestRate.ToString(CultureInfo.InvariantCulture)} (a smaller rate underflows when it is halved for a two-sided interval or shared among claims), but got {v.ToString(CultureInfo.InvariantCulture)}.");
        return v;
    }

    /// <summary>Rejects options nobody asked for and stray positional words.</summary>
    public void EnsureAllUsed(int allowedPositionals = 0)
    {
        foreach (var name in _options.Keys)
            if (!_used.Contains(name)) throw new UsageException($"Unknown option {name} (see --help).");
        if (_positionals.Count > allowedPositionals)
            throw new UsageException($"Unexpected argument '{_positionals[allowedPositionals]}' (see --help).");
    }
}

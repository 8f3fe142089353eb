using System.Globalization;
using System.Text.RegularExpressions;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// A claim's stated failure probability: an expression of the symbols fixed at each size (<see cref="ClaimExpression"/>), or a
/// distribution tail the engine evaluates in log space, so that a probability far below the smallest double keeps its digits:
/// `chi2_upper(k, x)` = P(χ²_k &gt; x) (the regularised upper incomplete gamma function Q(k/2, x/2), <see cref="GammaTail"/>).
/// The value used by the decision is the double (0 where it underflows); <see cref="Probability.Log10"/> is shown.
/// </summary>
public sealed partial class ProbabilityExpression
{
    /// <summary>The log-space tails a probability may be, with their arity.</summary>
    public static readonly IReadOnlyDictionary<string, int> Tails = new Dictionary<string, int> { ["chi2_upper"] = 2 };

    private readonly ClaimExpression? _plain;
    private readonly ClaimExpression[] _arguments = [];

    private ProbabilityExpression(string text, ClaimExpression? plain, string? tail, ClaimExpression[] arguments)
    {
        Text = text; _plain = plain; Tail = tail; _arguments = arguments;
    }

    public string Text { get; }
    /// <summary>The tail function's name, or null for a plain expression.</summary>
    public string? Tail { get; }
    /// <summary>The plain expression (null for a tail), e.g. for solving for a constant of the bound.</summary>
    public ClaimExpression? Expression => _plain;
    public IReadOnlyList<string> Symbols => _plain?.Symbols ?? _arguments.SelectMany(a => a.Symbols).Distinct().Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"^\s*([A-Za-z][A-Za-z0-9_]*)\s*\((.*)\)\s*$")]
    private static partial Regex Call();

    public static ProbabilityExpression Parse(string text, IReadOnlyCollection<string> known)
    {
        var m = Call().Match(text);
        if (!m.Success || !Tails.TryGetValue(m.Groups[1].Value, out int arity))
            return new ProbabilityExpression(text, ClaimExpression.Parse(text, known), null, []);
        var args = SplitArguments(m.Groups[2].Value);
        if (args.Count != arity)
            throw new ArgumentException($"\"{text}\": {m.Groups[1].Value} takes {arity} arguments (degrees of freedom and the point), but has {args.Count}");
        return new ProbabilityExpression(text, null, m.Groups[1].Value, args.Select(a => ClaimExpression.Parse(a, known)).ToArray());
    }

    /// <summary>Splits at the commas outside parentheses.</summary>
    private static List<string> SplitArguments(string s)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '(') depth++;
            else if (s[i] == ')') depth--;
            else if (s[i] == ',' && depth == 0) { parts.Add(s[start..i].Trim()); start = i + 1; }
        }
        parts.Add(s[start..].Trim());
        return parts;
    }

    /// <summary>The probability at the given symbol values: its value (0 where it underflows) and log₁₀ of it.</summary>
    public Probability Evaluate(IReadOnlyDictionary<string, double> values)
    {
        if (_plain is not null)
        {
            double v = _plain.Evaluate(values);
            return new Probability(v, v > 0 ? Math.Log10(v) : double.NegativeInfinity);
        }
        var a = _arguments.Select(x => x.Evaluate(values)).ToArray();
        if (!(a[0] > 0) || !double.IsFinite(a[0]) || !double.IsFinite(a[1]) || a[1] < 0)
            throw new ArgumentException($"\"{Text}\" needs degrees of freedom > 0 and a point ≥ 0, but they are {G(a[0])} and {G(a[1])}");
        double log10 = GammaTail.Log10ChiSquareUpper(a[0], a[1]);
        return new Probability(Math.Pow(10, log10), log10);
    }

    public override string ToString() => Text;

    private static string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>A probability and its decimal logarithm (kept where the value underflows a double).</summary>
public readonly record struct Probability(double Value, double Log10);

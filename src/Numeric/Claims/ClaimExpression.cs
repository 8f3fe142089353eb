using FimVerify.Symbolic;
using Microsoft.FSharp.Collections;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// An expression of a claim file (`predicted`, `probability`, a statistic's index, a constant), parsed by the symbolic layer's
/// infix parser and compiled once over the symbols it uses. Evaluation looks the symbols up by name; a value that is not a
/// finite number is reported, never used.
/// </summary>
public sealed class ClaimExpression
{
    private readonly string[] _symbols;
    private readonly Func<double[], double> _compiled;

    private ClaimExpression(string text, Expression expression, string[] symbols)
    {
        Text = text; Expression = expression; _symbols = symbols;
        _compiled = Compiler.compile(ListModule.OfArray(symbols), expression).Invoke;
    }

    /// <summary>The text as written.</summary>
    public string Text { get; }
    /// <summary>The canonical expression the symbolic layer made of it.</summary>
    public Expression Expression { get; }
    /// <summary>The free symbols, sorted.</summary>
    public IReadOnlyList<string> Symbols => _symbols;

    /// <summary>
    /// Parses <paramref name="text"/>; every free symbol must be one of <paramref name="known"/>. The error says what is wrong
    /// (a parse error with its column, or the unknown symbols and the ones available) in one sentence without the location,
    /// which the caller adds.
    /// </summary>
    public static ClaimExpression Parse(string text, IReadOnlyCollection<string> known)
    {
        var parsed = InfixParser.tryParse(text);
        if (parsed.IsError)
            throw new ArgumentException($"\"{text}\" does not parse at column {parsed.ErrorValue.Column}: {parsed.ErrorValue.Message}");
        var x = parsed.ResultValue;
        var free = ExpressionModule.symbols(x).Distinct().Order(StringComparer.Ordinal).ToArray();
        var unknown = free.Where(s => !known.Contains(s)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"\"{text}\" uses the unknown symbol{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}; "
                + $"the symbols here are {string.Join(", ", known.Order(StringComparer.Ordinal))} (and pi, e)");
        return new ClaimExpression(text, x, free);
    }

    /// <summary>The value at the given symbol values (every symbol the expression uses must be there).</summary>
    public double Evaluate(IReadOnlyDictionary<string, double> values)
    {
        var x = new double[_symbols.Length];
        for (int i = 0; i < x.Length; i++)
            x[i] = values.TryGetValue(_symbols[i], out double v) ? v : throw new InvalidOperationException($"no value for the symbol {_symbols[i]}");
        return _compiled(x);
    }

    /// <summary>True when the value can change from trial to trial (it uses one of <paramref name="perTrial"/>).</summary>
    public bool UsesAny(IReadOnlyCollection<string> perTrial) => _symbols.Any(perTrial.Contains);

    public bool Uses(string symbol) => _symbols.Contains(symbol);

    /// <summary>
    /// The expression as intercept + slope·<paramref name="symbol"/>, when it is affine in the symbol (its derivative, from the
    /// symbolic layer, no longer contains it); null otherwise. Both parts are expressions of the other symbols.
    /// </summary>
    public (ClaimExpression Intercept, ClaimExpression Slope)? AffineIn(string symbol)
    {
        var slope = Differentiate.withRespectTo(symbol, Expression);
        if (ExpressionModule.symbols(slope).Contains(symbol)) return null;
        var intercept = Substitute.one(symbol, ExpressionModule.zero, Expression);
        return (Of($"({Text}) at {symbol} = 0", intercept), Of($"∂({Text})/∂{symbol}", slope));
    }

    private static ClaimExpression Of(string text, Expression x) =>
        new(text, x, ExpressionModule.symbols(x).Distinct().Order(StringComparer.Ordinal).ToArray());

    public override string ToString() => Text;
}

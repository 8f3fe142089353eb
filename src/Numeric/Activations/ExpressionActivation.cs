using FimVerify.Symbolic;
using Microsoft.FSharp.Collections;

namespace FimVerify.Numeric.Activations;

/// <summary>
/// A user activation given as an expression in x, e.g. "x/(1 + exp(-x))". The symbolic layer parses the text,
/// differentiates it exactly (refused beyond the engine's expansion budget) and compiles both to delegates; Gaussian integrals
/// then go through quadrature.
/// </summary>
public sealed class ExpressionActivation(string expression, Func<double, double> value, Func<double, double> derivative,
    bool singularAtOrigin = false) : IActivation
{
    /// <summary>The prefix that marks an expression in an activation name: "expr:x*erf(x)".</summary>
    public const string Prefix = "expr:";

    public string Name => expression;
    public bool SingularAtOrigin => singularAtOrigin;
    public double Value(double x) => value(x);
    public double Derivative(double x) => derivative(x);

    /// <summary>Parses, differentiates (symbolically) and compiles a function of x; ArgumentException on bad text.</summary>
    public static ExpressionActivation FromText(string text)
    {
        var parsed = InfixParser.tryParse(text);
        if (parsed.IsError) throw new ArgumentException($"the activation expression '{text}' does not parse ({parsed.ErrorValue})");
        var f = parsed.ResultValue;
        var free = ExpressionModule.symbols(f); // the F# module beside the Expression type
        if (free.Any(s => s != "x"))
            throw new ArgumentException($"the activation expression '{text}' must be a function of x alone, but uses {string.Join(", ", free.Where(s => s != "x"))}");
        // Simplifying the derivative (multiplying out, the rational normal form) is checked against the engine's expansion budget
        // before any work: (1 + x)^1000 took over a minute in Simplify, and its value (2^1000 at x = 1) is beyond any quadrature.
        Expression df;
        try { df = Simplify.simplifyWithin(ExpansionBudgetModule.defaults, Differentiate.withRespectTo("x", f)); }
        catch (ExpansionBudgetException e) { throw new ArgumentException($"the activation expression '{text}' is too large to differentiate: {e.Message}", e); }
        var symbols = ListModule.OfSeq(["x"]);
        var fc = Compiler.compile(symbols, f);
        var dc = Compiler.compile(symbols, df);
        return new ExpressionActivation($"{Prefix}{text}", x => fc.Invoke([x]), x => dc.Invoke([x]));
    }
}

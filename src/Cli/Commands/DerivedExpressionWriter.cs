using System.Text.Json;
using FimVerify.Symbolic;

namespace FimVerify.Cli.Commands;

/// <summary>How the derive commands show a derived expression: re-parseable infix in text, LaTeX, and both in JSON.</summary>
public static class DerivedExpressionWriter
{
    /// <summary>{"infix": "…", "latex": "…"} under <paramref name="name"/>.</summary>
    public static void WriteExpression(this Utf8JsonWriter w, string name, Expression x, Func<string, Microsoft.FSharp.Core.FSharpOption<string>>? latexSymbol = null)
    {
        w.WriteStartObject(name);
        w.WriteString("infix", Infix.format(x));
        w.WriteString("latex", Latex(x, latexSymbol));
        w.WriteEndObject();
    }

    /// <summary>LaTeX of an expression, with optional symbol renderings.</summary>
    public static string Latex(Expression x, Func<string, Microsoft.FSharp.Core.FSharpOption<string>>? latexSymbol = null) =>
        latexSymbol is null ? FimVerify.Symbolic.Latex.format(x) : FimVerify.Symbolic.Latex.formatWith(Microsoft.FSharp.Core.FuncConvert.FromFunc(latexSymbol), x);

    /// <summary>Proof steps as {"statement", "evidence", "holds"} under "steps".</summary>
    public static void WriteSteps(this Utf8JsonWriter w, IEnumerable<ProofStep> steps)
    {
        w.WriteStartArray("steps");
        foreach (var s in steps)
        {
            w.WriteStartObject();
            w.WriteString("statement", s.Statement);
            w.WriteString("evidence", s.Evidence);
            w.WriteBoolean("holds", s.Holds);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>LaTeX text inside \text{…}, with the characters LaTeX treats specially escaped.</summary>
    public static string LatexText(string s) =>
        "\\text{" + s.Replace("\\", "\\textbackslash{}").Replace("{", "\\{").Replace("}", "\\}").Replace("_", "\\_").Replace("^", "\\^{}")
                     .Replace("#", "\\#").Replace("%", "\\%").Replace("&", "\\&").Replace("$", "\\$") + "}";
}

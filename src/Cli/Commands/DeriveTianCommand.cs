using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Symbolic;

namespace FimVerify.Cli.Commands;

/// <summary>`derive tian`: Tian's Theorem 1 by reduction to the plane and an exact arc integral, then Lemma 1.</summary>
public sealed class DeriveTianCommand : ICommand
{
    public string Path => "derive tian";
    public string Summary => "Tian's Theorem 1 E[F(e,w)] = (1/2π)[(π−θ)w + ‖w‖ sin θ e] by an exact arc integral; Lemma 1 and ReLU kernels from it.";
    public string Help => """
        Usage: fimverify derive tian [--format text|latex|json]
          --format F   text (default), latex (an align* environment), or json
        In the plane of e and w (e = (1,0), w = ‖w‖(cos θ, sin θ), x = r(cos φ, sin φ)), E r² = 2 and φ is uniform;
        both indicators are 1 on the arc φ ∈ (θ − π/2, π/2) of length π − θ. The integrand (cos φ, sin φ)(x·w) is a
        trigonometric polynomial, integrated exactly and evaluated at the arc ends; c = cos θ, s = sin θ with
        s² = 1 − c². Then J_ij = n_i e·E[F] (Lemma 1), J_ii = n_i²/2, and the ReLU Gaussian integrals of MATH.md §2.
        Exit 0 when the derived forms equal the stated ones canonically, 1 otherwise.
        Example: fimverify derive tian
        """;

    /// <summary>n_w, n_i, n_j for the norms; the rest by the default rendering (theta → \\theta).</summary>
    private static Microsoft.FSharp.Core.FSharpOption<string> TianSymbol(string name) => name switch
    {
        "nw" or "ni" or "nj" => Microsoft.FSharp.Core.FSharpOption<string>.Some($"n_{name[1]}"),
        _ => Microsoft.FSharp.Core.FSharpOption<string>.None,
    };

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Latex, OutputFormat.Json);
        args.EnsureAllUsed();
        var t = TianTheorem1.derive();
        bool holds = t.Holds && t.Lemma1Holds;
        string F(Expression x) => Infix.format(x);
        string Trig(TrigPolynomial p) => string.Join(" + ", p.Terms.Select(kv =>
            kv.Key == 0 ? $"({F(kv.Value.Item1)})" : $"({F(kv.Value.Item1)})·cos({kv.Key}φ) + ({F(kv.Value.Item2)})·sin({kv.Key}φ)"));
        var rows = new (string Name, string Value)[]
        {
            ("E r^2 (d = 2)", t.RadialSecondMoment.ToString()),
            ("integrand, e component / (r^2 nw)", Trig(t.Integrand.Item1)),
            ("integrand, e-perp component / (r^2 nw)", Trig(t.Integrand.Item2)),
            ("arc", $"({F(t.ArcLower.ToExpression(TianTheorem1.theta))}, {F(t.ArcUpper.ToExpression(TianTheorem1.theta))}), length {F(t.ArcLength)}"),
            ("E[F], e component", F(t.Result.Item1)),
            ("E[F], e-perp component", F(t.Result.Item2)),
            ("stated, e component", F(t.Stated.Item1)),
            ("stated, e-perp component", F(t.Stated.Item2)),
            ("Lemma 1: J_ij = n_i e.E[F], nw = n_j", F(t.Lemma1)),
            ("J_ii (theta = 0)", F(t.Diagonal)),
            ("ReLU I_phi[a, b], c = b/a", F(t.ReluKernel)),
            ("ReLU int Dz phi(sqrt(q) z)^2", F(t.ReluSquare)),
            ("ReLU I_phi'[a, b] = arc/(2 pi)", F(t.ReluDerivativeKernel)),
            ("ReLU int Dz phi'(sqrt(q) z)^2", F(t.ReluDerivativeSquare)),
        };
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                foreach (var (name, value) in rows) w.WriteString(name, value);
                w.WriteBoolean("theorem1Holds", t.Holds);
                w.WriteBoolean("lemma1Holds", t.Lemma1Holds);
                w.WriteEndObject();
            }));
        }
        else if (format == OutputFormat.Latex)
        {
            string X(Expression x) => DerivedExpressionWriter.Latex(x, TianSymbol);
            string TrigLatex(TrigPolynomial p) => string.Join(" + ", p.Terms.Select(kv =>
                kv.Key == 0 ? $"\\left({X(kv.Value.Item1)}\\right)"
                            : $"\\left({X(kv.Value.Item1)}\\right)\\cos({(kv.Key == 1 ? "" : kv.Key.ToString())}\\varphi) + \\left({X(kv.Value.Item2)}\\right)\\sin({(kv.Key == 1 ? "" : kv.Key.ToString())}\\varphi)"));
            stdout.WriteLine("% Tian's Theorem 1 in the plane of e and w: c = cos theta, s = sin theta, n_w = |w|, components along e and e-perp");
            stdout.WriteLine("\\begin{align*}");
            stdout.WriteLine($"\\mathbb{{E}}\\, r^2 &= {t.RadialSecondMoment} \\\\");
            stdout.WriteLine($"\\frac{{(x \\cdot e)(x \\cdot w)}}{{r^2 n_w}} &= {TrigLatex(t.Integrand.Item1)} \\\\");
            stdout.WriteLine($"\\frac{{(x \\cdot e_\\perp)(x \\cdot w)}}{{r^2 n_w}} &= {TrigLatex(t.Integrand.Item2)} \\\\");
            stdout.WriteLine($"\\varphi &\\in \\left({X(t.ArcLower.ToExpression(TianTheorem1.theta))}, {X(t.ArcUpper.ToExpression(TianTheorem1.theta))}\\right), \\quad \\text{{length }} {X(t.ArcLength)} \\\\");
            stdout.WriteLine($"\\mathbb{{E}}[F(e, w)]_e &= {X(t.Result.Item1)} \\\\");
            stdout.WriteLine($"\\mathbb{{E}}[F(e, w)]_{{e_\\perp}} &= {X(t.Result.Item2)} \\\\");
            stdout.WriteLine($"J_{{ij}} &= {X(t.Lemma1)} \\\\");
            stdout.WriteLine($"J_{{ii}} &= {X(t.Diagonal)} \\\\");
            stdout.WriteLine($"I_\\phi[a, b] &= {X(t.ReluKernel)} \\quad (c = b/a) \\\\");
            stdout.WriteLine($"\\int Dz\\, \\phi(\\sqrt{{q}} z)^2 &= {X(t.ReluSquare)} \\\\");
            stdout.WriteLine($"I_{{\\phi'}}[a, b] &= {X(t.ReluDerivativeKernel)} \\quad (\\theta = \\arccos c) \\\\");
            stdout.WriteLine($"\\int Dz\\, \\phi'(\\sqrt{{q}} z)^2 &= {X(t.ReluDerivativeSquare)}");
            stdout.WriteLine("\\end{align*}");
            stdout.WriteLine($"% Theorem 1: derived = stated {(t.Holds ? "HOLDS (canonical equality)" : "FAILS")}; Lemma 1 {(t.Lemma1Holds ? "HOLDS" : "FAILS")}.");
        }
        else
        {
            stdout.WriteLine("Tian's Theorem 1 (c = cos θ, s = sin θ, nw = ‖w‖; components along e and e⊥ in the plane of e and w):");
            foreach (var (name, value) in rows) stdout.WriteLine($"  {name,-40} {value}");
            stdout.WriteLine($"Theorem 1: derived = stated {(t.Holds ? "HOLDS (canonical equality)" : "FAILS")}; Lemma 1 {(t.Lemma1Holds ? "HOLDS" : "FAILS")}.");
        }
        return holds ? Dispatcher.Holds : Dispatcher.ClaimFailed;
    }
}

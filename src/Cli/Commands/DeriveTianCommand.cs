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
        Usage: fimverify derive tian [--format text|json]
          --format F   text (default) or json
        In the plane of e and w (e = (1,0), w = ‖w‖(cos θ, sin θ), x = r(cos φ, sin φ)), E r² = 2 and φ is uniform;
        both indicators are 1 on the arc φ ∈ (θ − π/2, π/2) of length π − θ. The integrand (cos φ, sin φ)(x·w) is a
        trigonometric polynomial, integrated exactly and evaluated at the arc ends; c = cos θ, s = sin θ with
        s² = 1 − c². Then J_ij = n_i e·E[F] (Lemma 1), J_ii = n_i²/2, and the ReLU Gaussian integrals of MATH.md §2.
        Exit 0 when the derived forms equal the stated ones canonically, 1 otherwise.
        Example: fimverify derive tian
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
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
        else
        {
            stdout.WriteLine("Tian's Theorem 1 (c = cos θ, s = sin θ, nw = ‖w‖; components along e and e⊥ in the plane of e and w):");
            foreach (var (name, value) in rows) stdout.WriteLine($"  {name,-40} {value}");
            stdout.WriteLine($"Theorem 1: derived = stated {(t.Holds ? "HOLDS (canonical equality)" : "FAILS")}; Lemma 1 {(t.Lemma1Holds ? "HOLDS" : "FAILS")}.");
        }
        return holds ? Dispatcher.Holds : Dispatcher.ClaimFailed;
    }
}

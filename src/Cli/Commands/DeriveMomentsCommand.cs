using System.Globalization;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Symbolic;

namespace FimVerify.Cli.Commands;

/// <summary>`derive moments`: exact means and per-column variances of the direction vectors' Gram entries, and C(d).</summary>
public sealed class DeriveMomentsCommand : ICommand
{
    public string Path => "derive moments";
    public string Summary => "Exact E and Var of every Gram entry of Theorem 2's direction vectors as functions of d; our Lemma 2 constant C(d).";
    public string Help => """
        Usage: fimverify derive moments [--d D] [--format text|latex|json]
          --d D        also evaluate at this input dimension (1 … 10000) and give C(d) and D
          --format F   text (default), latex, or json
        Each Gram entry a·b of v⁽⁰⁾, W_l, v^(α,β), v^(γ) is an average over the p i.i.d. columns √p W^(i) ~ N(0, I_d),
        so its mean and per-column variance are exact Gaussian/sphere moments (with d symbolic). C(d), the largest
        per-column variance, makes Chebyshev + a union bound over the D = (d+1)(d+2)(d²+3d+4)/8 entries give
        failure probability ≤ C(d)·D/(δ²p). This C(d) is OURS: the paper gives no value for its constant.
        Example: fimverify derive moments --d 10
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        int? d = args.Has("--d") ? args.Int("--d", 0, 1, 10_000) : null;
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Latex, OutputFormat.Json);
        args.EnsureAllUsed();

        var entries = DirectionVectorMoments.allGramEntries().ToList();
        var dq = d is int v ? RationalModule.ofInt(v) : Rational.Zero;
        bool Exists(GramEntryMoments e) => d is null || e.MinimumDimension <= d;

        switch (format)
        {
            case OutputFormat.Json:
                stdout.WriteLine(JsonOutput.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("gramEntries");
                    foreach (var e in entries.Where(Exists))
                    {
                        w.WriteStartObject();
                        w.WriteString("left", e.Left.ToString());
                        w.WriteString("right", e.Right.ToString());
                        w.WriteNumber("validForDAtLeast", Math.Max(1, e.MinimumDimension));
                        w.WriteString("mean", e.Mean.Format("d"));
                        w.WriteString("perColumnVariance", e.Variance.Format("d"));
                        if (d is not null)
                        {
                            w.WriteString("meanAtD", e.Mean.Evaluate(dq).ToString());
                            w.WriteString("varianceAtD", e.Variance.Evaluate(dq).ToString());
                            w.Number("varianceAtDValue", e.Variance.Evaluate(dq).ToDouble());
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    if (d is int dd)
                    {
                        var c = LemmaConstants.chebyshevConstant(dd);
                        w.WriteNumber("d", dd);
                        w.WriteString("chebyshevConstant", c.ToString());
                        w.Number("chebyshevConstantValue", c.ToDouble());
                        w.WriteString("gramEntryCount", LemmaConstants.gramEntryCount(dd).ToString());
                        w.WriteString("note", "C(d) is derived by FimVerify (Chebyshev + union bound over the Gram entries); the paper does not give its constant.");
                    }
                    w.WriteEndObject();
                }));
                break;
            case OutputFormat.Latex:
                stdout.WriteLine("\\begin{array}{llll} a & b & \\mathbb{E}[a\\cdot b] & p\\operatorname{Var}[a\\cdot b] \\\\");
                foreach (var e in entries.Where(Exists))
                    stdout.WriteLine($"{e.Left} & {e.Right} & {e.Mean.ToLatex("d")} & {e.Variance.ToLatex("d")} \\\\");
                stdout.WriteLine("\\end{array}");
                break;
            default:
                stdout.WriteLine("Gram entries of the direction vectors (z = √p W^(i) ~ N(0, I_d), u = z/|z|); exact in d:");
                stdout.WriteLine($"  {"a",-8} {"b",-8} {"d ≥",3}  {"E[a·b]",-14} {"p·Var[a·b] (per column)",-60}{(d is null ? "" : $" at d = {d}")}");
                foreach (var e in entries.Where(Exists))
                {
                    string at = d is null ? "" : $" {e.Variance.Evaluate(dq)} ≈ {e.Variance.Evaluate(dq).ToDouble().ToString("G6", CultureInfo.InvariantCulture)}";
                    stdout.WriteLine($"  {e.Left,-8} {e.Right,-8} {Math.Max(1, e.MinimumDimension),3}  {e.Mean.Format("d"),-14} {e.Variance.Format("d"),-60}{at}");
                }
                stdout.WriteLine("E‖v0‖² = 1, E‖W_l‖² = 1, E‖v(α,β)‖² = d/(d+2), E‖v(γ)‖² = (d−1)/(d+2) (the diagonal entries above).");
                if (d is int d2)
                {
                    var c = LemmaConstants.chebyshevConstant(d2);
                    stdout.WriteLine($"C({d2}) = {c} ≈ {c.ToDouble().ToString("G6", CultureInfo.InvariantCulture)} (largest per-column variance), D = {LemmaConstants.gramEntryCount(d2)}:");
                    stdout.WriteLine($"  P(some Gram entry is off its mean by ≥ δ) ≤ C·D/(δ²p) = {(c.ToDouble() * (double)LemmaConstants.gramEntryCount(d2)).ToString("G6", CultureInfo.InvariantCulture)}/(δ²p).");
                }
                stdout.WriteLine("Note: this C(d) is OURS (Chebyshev + union bound over the Gram entries); the paper states the bound without a value.");
                break;
        }
        return Dispatcher.Holds;
    }
}

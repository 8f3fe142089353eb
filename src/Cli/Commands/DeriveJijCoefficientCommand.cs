using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Symbolic;

namespace FimVerify.Cli.Commands;

/// <summary>`derive jij-coefficient`: the general tail coefficient of κ, guessed from the series and proved.</summary>
public sealed class DeriveJijCoefficientCommand : ICommand
{
    public string Path => "derive jij-coefficient";
    public string Summary => "General coefficient C(2n,n)/(4ⁿ(2n+1)(2n+2)·2π) of J_ij's arcsin expansion, found from the series and proved.";
    public string Help => """
        Usage: fimverify derive jij-coefficient [--terms N] [--format text|latex|json]
          --terms N    series order used to guess and check the coefficient (24 … 5000, default 200)
          --format F   text (default), latex (the result in align*, the steps as an enumerate), or json
        J_ij = A_ij/(2π) + (W^(i)·W^(j))/4 + Σ_(n≥0) κ_(2n+2) (W^(i)·W^(j))^(2n+2)/A_ij^(2n+1). The term ratio of κ_(2n+2)
        is fitted by exact linear algebra to the series, checked against every coefficient up to t^N, and then
        proved for all n by identities of rational functions in n that follow from the binomial recurrences of
        (1 − z²)^(−1/2) and √(1 − z). Also proves every tail coefficient > 0 and the odd part = t/4.
        Exit 0 when every step holds, 1 otherwise.
        Example: fimverify derive jij-coefficient --terms 400
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        int terms = args.Int("--terms", 200, 24, 5000);
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Latex, OutputFormat.Json);
        args.EnsureAllUsed();

        var dv = KappaTailCoefficient.derive(terms);
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("order", dv.Order);
                w.WriteString("termRatio", dv.GuessedRatio.Format("n"));
                w.WriteString("generalCoefficient", "binomial(2*n, n)/(4^n*(2*n + 1)*(2*n + 2)*2*pi)");
                w.WriteSteps(dv.Steps);
                w.WriteBoolean("proved", dv.Proved);
                w.WriteEndObject();
            }));
        }
        else if (format == OutputFormat.Latex)
        {
            stdout.WriteLine("\\begin{align*}");
            stdout.WriteLine("J_{ij} &= \\frac{A_{ij}}{2\\pi} + \\frac{W^{(i)} \\cdot W^{(j)}}{4} + \\sum_{n \\ge 0} \\kappa_{2n+2} \\frac{(W^{(i)} \\cdot W^{(j)})^{2n+2}}{A_{ij}^{2n+1}} \\\\");
            stdout.WriteLine($"\\frac{{\\kappa_{{2n+4}}}}{{\\kappa_{{2n+2}}}} &= {dv.GuessedRatio.ToLatex("n")} \\\\");
            stdout.WriteLine("\\kappa_{2n+2} &= \\frac{\\binom{2n}{n}}{4^n (2n+1)(2n+2) \\cdot 2\\pi} \\quad (n \\ge 0)");
            stdout.WriteLine("\\end{align*}");
            stdout.WriteLine("\\begin{enumerate}");
            foreach (var s in dv.Steps)
                stdout.WriteLine($"\\item[{(s.Holds ? "HOLDS" : "FAILS")}] {DerivedExpressionWriter.LatexText(s.Statement)} --- by: {DerivedExpressionWriter.LatexText(s.Evidence)}");
            stdout.WriteLine("\\end{enumerate}");
            stdout.WriteLine(dv.Proved ? "% PROVED for every n >= 0" : "% NOT PROVED: a step failed");
        }
        else
        {
            stdout.WriteLine("J_ij = A_ij/(2π) + (W^(i)·W^(j))/4 + Σ_(n≥0) κ_(2n+2) (W^(i)·W^(j))^(2n+2) / A_ij^(2n+1)");
            int k = 1;
            foreach (var s in dv.Steps)
            {
                stdout.WriteLine($"{k++,2}. [{(s.Holds ? "HOLDS" : "FAILS")}] {s.Statement}");
                stdout.WriteLine($"      by: {s.Evidence}");
            }
            stdout.WriteLine(dv.Proved
                ? "PROVED: κ_(2n+2) = C(2n,n)/(4ⁿ(2n+1)(2n+2)·2π) for every n ≥ 0; all tail coefficients > 0; odd part t/4."
                : "NOT PROVED: a step failed (see above).");
        }
        return dv.Proved ? Dispatcher.Holds : Dispatcher.ClaimFailed;
    }
}

using System.Globalization;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.ShallowRelu;

namespace FimVerify.Cli.Commands;

/// <summary>`verify theorem2`: the decomposition J = main + R of Theorem 2 on one sampled W.</summary>
public sealed class VerifyTheorem2Command : ICommand
{
    public string Path => "verify theorem2";
    public string Summary => "Theorem 2 on one W: J = main + R with R the exact series tail, R ⪰ 0, tr(main)/tr J = 1/2 + 3/(2π).";
    public string Help => """
        Usage: fimverify verify theorem2 [--d D] [--p P] [--seed S] [--format text|json]
          --d D        input dimension, at least 2 (default 3)
          --p P        hidden units, d ≤ p ≤ 3000 (J and R are formed densely; default 200)
          --seed S     run seed (default 1); W is drawn from the stream (S, "theorem2", 0)
          --format F   text (default) or json: {"claims":[{"name","bound","vacuous","failures","trials","ci","verdict"}], …}
        The main part is assembled from the direction vectors v⁽⁰⁾, W_l, v^(α,β), v^(γ); R = J − main is compared with
        the series tail Σ_{m≥4} c_m t^m whose exact coefficients come from the symbolic layer (to t^80 within its rigorous
        truncation bound on every entry, to t^200 on the entries with |t_ij| ≤ 0.9, where that bound is below rounding, and
        against the closed-form sum κ(t) − c₀ − c₁t − c₂t² on the others, so a wrong tail shows everywhere). Each identity holds for
        every W, so each is a deterministic claim (bound 0): a single violation is a FAIL.
        Exit code 0 when all hold, 1 when one fails, 2 on bad input.
        Example: fimverify verify theorem2 --d 3 --p 200 --seed 1
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        int d = args.Int("--d", 3, 2, 1000);
        int p = args.Int("--p", 200, 1, 3000);
        long seed = args.Long("--seed", 1);
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        args.EnsureAllUsed();
        if (p < d) throw new UsageException($"The option --p must be at least d = {d}, but got {p}.");

        ResourceLimits.Check(ExperimentCosts.Theorem2(d, p), $"verify theorem2 at d = {d}, p = {p}", "reduce --d or --p");
        var m = Theorem2Check.Measure(d, p, seed);
        var verdicts = Theorem2Check.Verdicts(m);
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("theorem", "theorem2");
                w.WriteNumber("d", d); w.WriteNumber("p", p); w.WriteNumber("seed", seed);
                w.Number("traceJ", m.TraceJ);
                w.Number("traceRatio", m.TraceRatio);
                w.Number("theoreticalTraceRatio", m.TheoreticalTraceRatio);
                w.Number("seriesTailDiscrepancy", m.SeriesTailDiscrepancy);
                w.WriteNumber("seriesTerms", m.SeriesTerms);
                w.Number("innerSeriesTailDiscrepancy", m.InnerSeriesTailDiscrepancy);
                w.WriteNumber("innerEntries", m.InnerEntries);
                w.WriteNumber("innerSeriesTerms", m.InnerSeriesTerms);
                w.Number("nearOneTailDiscrepancy", m.NearOneTailDiscrepancy);
                w.WriteNumber("nearOneEntries", m.NearOneEntries);
                w.Number("diagonalRemainderError", m.DiagonalRemainderError);
                w.Number("remainderSmallestEigenvalue", m.RemainderSmallestEigenvalue);
                w.Number("maxDiagonalVectorSum", m.MaxDiagonalVectorSum);
                w.WriteString("eigenBackend", m.EigenBackend);
                ClaimReport.WriteClaims(w, verdicts);
                w.WriteEndObject();
            }));
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            stdout.WriteLine($"Theorem 2 on one W: d = {d}, p = {p}, seed {seed}");
            stdout.WriteLine(string.Format(c, "  tr J = {0:F6};  tr(main)/tr J = {1:F15} (theory 1/2 + 3/(2π) = {2:F15})", m.TraceJ, m.TraceRatio, m.TheoreticalTraceRatio));
            stdout.WriteLine(string.Format(c, "  R vs series tail (κ to t^{0}): worst |error|/tolerance = {1:0.###e+0}; diagonal of R relative error {2:0.###e+0}", m.SeriesTerms - 1, m.SeriesTailDiscrepancy, m.DiagonalRemainderError));
            stdout.WriteLine(string.Format(c, "  the same on the {0} entries with |t_ij| ≤ {1} (κ to t^{2}, truncation below rounding): worst |error|/tolerance = {3:0.###e+0}",
                m.InnerEntries, Theorem2Check.InnerCosine, m.InnerSeriesTerms - 1, m.InnerSeriesTailDiscrepancy));
            stdout.WriteLine(string.Format(c, "  and on the {0} entries with |t_ij| > {1} against the closed-form tail κ(t) − c₀ − c₁t − c₂t²: worst |error|/1e-13 = {2:0.###e+0}",
                m.NearOneEntries, Theorem2Check.InnerCosine, m.NearOneTailDiscrepancy));
            stdout.WriteLine(string.Format(c, "  λ_min(R) = {0:0.###e+0} (≥ −1e-10·tr J = {1:0.###e+0}; {2});  max |Σ_γ v^(γ)|/max n_i = {3:0.###e+0}", m.RemainderSmallestEigenvalue, -1e-10 * m.TraceJ, m.EigenBackend, m.MaxDiagonalVectorSum));
            ClaimReport.WriteTable(stdout, verdicts);
        }
        return ClaimReport.ExitCode(verdicts);
    }
}

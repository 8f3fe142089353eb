using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Verification;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.ShallowRelu;

namespace FimVerify.Cli.Report.Parts;

/// <summary>Theorem 2 of seed 000 on sampled W: J = main + R exactly, R ⪰ 0, tr(main)/tr J = 1/2 + 3/(2π).</summary>
public sealed class Theorem2Part : IReportPart
{
    public string Id => "theorem2";
    public string Title => "Theorem 2: J = main part + R with R ⪰ 0 (seed 000)";

    /// <summary>The input dimensions the section checks Theorem 2 at.</summary>
    private static readonly int[] Dimensions = [2, 3, 5];

    public SectionWork Prepare(ReportContext context, PartSettings settings)
    {
        int p = settings.Int("p", context.Quick ? 150 : 400, 10, 3000);
        settings.EnsureAllUsed();
        context.Reserve(Dimensions.Select(d => ExperimentCosts.Theorem2(d, p)).Aggregate(ResourceEstimate.None, (a, b) => a.Then(b)),
            $"[theorem2] at p = {p}", "reduce p in [theorem2]");
        return _ => Run(context, p);
    }

    private ReportSection Run(ReportContext context, int p)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = new List<IReadOnlyList<string>>();
        var all = new List<ClaimVerdict>();
        var claims = new List<ClaimDecision>();
        var json = new JsonArray();
        foreach (int d in Dimensions)
        {
            var m = Theorem2Check.Measure(d, p, context.Seed);
            var verdicts = Theorem2Check.Verdicts(m);
            all.AddRange(verdicts);
            rows.AddRange(verdicts.Select(v => ClaimSections.Row(v, $"d = {d}: ")));
            claims.AddRange(ClaimSections.Decisions(verdicts, $"d = {d}: "));
            json.Add((JsonNode)new JsonObject
            {
                ["d"] = d, ["p"] = p, ["traceJ"] = m.TraceJ, ["traceRatio"] = m.TraceRatio, ["theoreticalTraceRatio"] = m.TheoreticalTraceRatio,
                ["seriesTailDiscrepancy"] = m.SeriesTailDiscrepancy, ["remainderSmallestEigenvalue"] = m.RemainderSmallestEigenvalue,
                ["innerSeriesTailDiscrepancy"] = m.InnerSeriesTailDiscrepancy, ["innerEntries"] = m.InnerEntries,
                ["nearOneTailDiscrepancy"] = m.NearOneTailDiscrepancy, ["nearOneEntries"] = m.NearOneEntries,
                ["claims"] = ClaimSections.Json(verdicts),
            });
        }
        return new ReportSection(Id, Title,
            "J = (2d+1)/(4π) v⁽⁰⁾ᵀv⁽⁰⁾ + (1/4) Σ_k W_kᵀW_k + 1/(2πd)(Σ_γ v^(γ)ᵀv^(γ) + Σ_{α<β} v^(α,β)ᵀv^(α,β)) + R, with R the tail "
            + "D_n(Σ_{k≥2} a_k T^{∘2k})D_n of the exact κ series (coefficients from the symbolic layer). These hold for every W, so "
            + "each is a deterministic claim (bound 0) decided on one sampled W per d. The tail is checked on every entry within its "
            + $"rigorous truncation bound (which near |t| = 1 is the tail itself), and sharply on the entries with |t| ≤ {Theorem2Check.InnerCosine.ToString(c)}, "
            + "where the truncation error of the series to t^200 is below rounding, and against the closed-form sum of the tail on the others.",
            [new("d", "2, 3, 5"), new("p", p.ToString(c)), new("seed", context.Seed.ToString(c))],
            new ReportTable(ClaimSections.Header, rows), ClaimSections.Verdict(all), [], new JsonObject { ["runs"] = json })
        { Claims = claims, ClaimsInTable = true };
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Report.Suite;
using FimVerify.Symbolic;

namespace FimVerify.Cli.Report.Parts;

/// <summary>The exact series of Lemma 1's kernel κ, derived from arcsin, with its partial sums at t = 1.</summary>
public sealed class KappaSeriesPart : IReportPart
{
    public string Id => "kappa-series";
    public string Title => "Arcsin expansion of J_ij (Lemma 1 / Theorem 2 of seed 000)";

    public SectionWork Prepare(ReportContext context, PartSettings settings)
    {
        int terms = settings.Int("terms", context.Quick ? 40 : 400, 10, 5000);
        settings.EnsureAllUsed();
        return _ => Run(terms);
    }

    private ReportSection Run(int terms)
    {
        var c = CultureInfo.InvariantCulture;
        var series = ReluKernelSeries.kappa(terms);
        var shown = ReluKernelSeries.terms(12);
        var rows = shown.Select(t => (IReadOnlyList<string>)[t.Item1.ToString(c), t.Item2.ToString(), t.Item2.ToDouble().ToString("R", c)]).ToList();
        double partialAtOne = PowerSeries.evaluate(FSharpFunc(x => x.ToDouble()), 1.0, series);
        bool oddPartIsQuarterT = Enumerable.Range(0, terms).Where(k => k % 2 == 1)
            .All(k => series.Coeffs[k].Equals(k == 1 ? PiLaurent.OfRational(new Rational(1, 4)) : PiLaurent.Zero));
        bool tailNonNegative = Enumerable.Range(0, terms).All(k => series.Coeffs[k].AllCoefficientsNonNegative);
        var results = new JsonObject
        {
            ["terms"] = terms,
            ["coefficients"] = new JsonArray(shown.Select(t => (JsonNode)new JsonObject { ["power"] = t.Item1, ["exact"] = t.Item2.ToString(), ["value"] = t.Item2.ToDouble() }).ToArray()),
            ["partialSumAtOne"] = partialAtOne,
            ["oddPartIsQuarterT"] = oddPartIsQuarterT,
            ["allCoefficientsNonNegative"] = tailNonNegative,
        };
        bool holds = oddPartIsQuarterT && tailNonNegative && partialAtOne < 0.5 && 0.5 - partialAtOne < 0.5 * Math.Pow(terms, -1.5);
        return new ReportSection(Id, Title,
            "κ(t) = (1/2π)((π − arccos t)·t + √(1 − t²)) expanded exactly from arcsin t = ∫(1 − s²)^(−1/2) ds; "
            + "J_ij = A_ij κ(t_ij). Claims: the odd part is exactly t/4, every coefficient is ≥ 0, and the partial sums "
            + "at t = 1 increase to κ(1) = 1/2 with remainder below N^(−3/2)/2.",
            [new("terms derived", terms.ToString(c))],
            new ReportTable(["power", "exact coefficient", "value"], rows),
            holds ? SectionVerdict.Pass : SectionVerdict.Fail,
            [],
            results,
            string.Format(c, "Partial sum at t = 1 after {0} terms: {1:R} (1/2 − sum = {2:0.000e+00}).", terms, partialAtOne, 0.5 - partialAtOne));
    }

    private static Microsoft.FSharp.Core.FSharpFunc<PiLaurent, double> FSharpFunc(Func<PiLaurent, double> f) =>
        Microsoft.FSharp.Core.FuncConvert.FromFunc(f);
}

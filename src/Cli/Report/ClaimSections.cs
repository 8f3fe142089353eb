using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Report;

/// <summary>Claim verdicts as report tables, JSON and a section verdict (FAIL if any fails, VACUOUS if all are).</summary>
public static class ClaimSections
{
    public static readonly string[] Header = ["claim", "failures / trials", "Clopper–Pearson interval", "stated bound", "verdict"];

    public static IReadOnlyList<string> Row(ClaimVerdict v, string? prefix = null)
    {
        var c = CultureInfo.InvariantCulture;
        return [(prefix ?? "") + v.Claim.Name, $"{v.Failures} / {v.Trials}",
            $"[{v.Interval.Lower.ToString("0.###e+0", c)}, {v.Interval.Upper.ToString("0.###e+0", c)}]",
            v.Claim.Kind == BoundKind.Exactly ? $"= {v.Claim.Bound.ToString("G4", c)}" : $"≤ {v.Claim.Bound.ToString("G4", c)}",
            ClaimReport.VerdictWord(v.Verdict)];
    }

    public static JsonArray Json(IEnumerable<ClaimVerdict> verdicts) => new(verdicts.Select(v => (JsonNode)new JsonObject
    {
        ["name"] = v.Claim.Name, ["bound"] = v.Claim.Bound, ["vacuous"] = v.Claim.Vacuous,
        ["failures"] = v.Failures, ["trials"] = v.Trials,
        ["ci"] = new JsonArray(v.Interval.Lower, v.Interval.Upper), ["verdict"] = ClaimReport.VerdictWord(v.Verdict),
    }).ToArray());

    public static SectionVerdict Verdict(IReadOnlyCollection<ClaimVerdict> verdicts) =>
        verdicts.Any(v => v.Verdict == Numeric.Verification.Verdict.Fail) ? SectionVerdict.Fail
        : verdicts.All(v => v.Verdict == Numeric.Verification.Verdict.Vacuous) ? SectionVerdict.Vacuous
        : SectionVerdict.Pass;
}

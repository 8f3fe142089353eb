using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Report;

/// <summary>Claim verdicts as report tables, JSON and a section verdict (FAIL if any fails, else UNDECIDED if any is, VACUOUS if all are vacuous).</summary>
public static class ClaimSections
{
    public static readonly string[] Header = ["claim", "failures / trials", "Clopper–Pearson interval", "stated bound", "verdict"];

    public static IReadOnlyList<string> Row(ClaimVerdict v, string? prefix = null)
    {
        var c = CultureInfo.InvariantCulture;
        return [(prefix ?? "") + v.Claim.Name, v.Undecided > 0 ? $"{v.Failures} (+{v.Undecided} undecided) / {v.Trials}" : $"{v.Failures} / {v.Trials}",
            $"[{v.Interval.Lower.ToString("0.###e+0", c)}, {v.Interval.Upper.ToString("0.###e+0", c)}]",
            v.Claim.Kind == BoundKind.Exactly ? $"= {v.Claim.Bound.ToString("G4", c)}" : $"≤ {v.Claim.Bound.ToString("G4", c)}",
            ClaimReport.VerdictWord(v.Verdict)];
    }

    /// <summary>The claims' JSON, written by <see cref="ClaimReport.WriteClaims"/> so the report and the verify commands agree.</summary>
    public static JsonNode Json(IEnumerable<ClaimVerdict> verdicts)
    {
        string text = JsonOutput.Write(w => { w.WriteStartObject(); ClaimReport.WriteClaims(w, verdicts); w.WriteEndObject(); });
        return JsonNode.Parse(text)!["claims"]!.DeepClone();
    }

    public static SectionVerdict Verdict(IReadOnlyCollection<ClaimVerdict> verdicts) =>
        verdicts.Any(v => v.Verdict == Numeric.Verification.Verdict.Fail) ? SectionVerdict.Fail
        : verdicts.Any(v => v.Verdict == Numeric.Verification.Verdict.Undecided) ? SectionVerdict.Undecided
        : verdicts.Any(v => v.Verdict == Numeric.Verification.Verdict.Underpowered) ? SectionVerdict.Underpowered
        : verdicts.All(v => v.Verdict == Numeric.Verification.Verdict.Vacuous) ? SectionVerdict.Vacuous
        : SectionVerdict.Pass;
}

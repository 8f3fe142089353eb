using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Report;

/// <summary>
/// Claim verdicts as report tables, JSON and a section verdict: FAIL if any fails, else UNDECIDED if any is, else UNDERPOWERED if
/// any is, VACUOUS if all are vacuous, else PASS.
/// </summary>
public static class ClaimSections
{
    public static readonly string[] Header = ["claim", "failures / trials", "Clopper–Pearson interval", "stated bound", "fails at (power)", "verdict"];

    public static IReadOnlyList<string> Row(ClaimVerdict v, string? prefix = null)
    {
        var c = CultureInfo.InvariantCulture;
        return [(prefix ?? "") + v.Claim.Name, v.Undecided > 0 ? $"{v.Failures} (+{v.Undecided} undecided) / {v.Trials}" : $"{v.Failures} / {v.Trials}",
            $"[{v.Interval.Lower.ToString("0.###e+0", c)}, {v.Interval.Upper.ToString("0.###e+0", c)}]",
            v.Claim.Kind == BoundKind.Exactly ? $"= {v.Claim.Bound.ToString("G4", c)}" : $"≤ {v.Claim.Bound.ToString("G4", c)}",
            ClaimReport.FailsAt(v), ClaimReport.VerdictWord(v.Verdict)];
    }

    /// <summary>The header of the generic claims table (<see cref="DecisionRow"/>).</summary>
    public static readonly string[] DecisionHeader = ["claim", "statement", "verdict", "measured", "power"];

    /// <summary>One decided claim of any kind: name, statement, verdict, detail, power.</summary>
    public static IReadOnlyList<string> DecisionRow(ClaimDecision d) =>
        [d.Name, d.Statement, ClaimReport.VerdictWord(d.Verdict), d.Detail, d.PowerText];

    /// <summary>Probability verdicts as decided claims (prefixed names, e.g. "p = 1000: eigen.gap").</summary>
    public static IEnumerable<ClaimDecision> Decisions(IEnumerable<ClaimVerdict> verdicts, string? prefix = null) =>
        verdicts.Select(v => ClaimDecision.Of(v) with { Name = (prefix ?? "") + v.Claim.Name });

    /// <summary>The claims' JSON, written by <see cref="ClaimReport.WriteClaims"/> so the report and the verify commands agree.</summary>
    public static JsonNode Json(IEnumerable<ClaimVerdict> verdicts)
    {
        string text = JsonOutput.Write(w => { w.WriteStartObject(); ClaimReport.WriteClaims(w, verdicts); w.WriteEndObject(); });
        return JsonNode.Parse(text)!["claims"]!.DeepClone();
    }

    public static SectionVerdict Verdict(IReadOnlyCollection<ClaimVerdict> verdicts) => Verdict(verdicts.Select(v => v.Verdict).ToList());

    public static SectionVerdict Verdict(IReadOnlyCollection<ClaimDecision> decisions) => Verdict(decisions.Select(d => d.Verdict).ToList());

    public static SectionVerdict Verdict(IReadOnlyCollection<Verdict> verdicts) =>
        verdicts.Contains(Numeric.Verification.Verdict.Fail) ? SectionVerdict.Fail
        : verdicts.Contains(Numeric.Verification.Verdict.Undecided) ? SectionVerdict.Undecided
        : verdicts.Contains(Numeric.Verification.Verdict.Underpowered) ? SectionVerdict.Underpowered
        : verdicts.Count > 0 && verdicts.All(v => v == Numeric.Verification.Verdict.Vacuous) ? SectionVerdict.Vacuous
        : SectionVerdict.Pass;
}

using System.Globalization;
using System.Text.Json;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Output;

/// <summary>
/// Renders claim verdicts, the one representation every verify command shares: a text table, and JSON of the shape
/// {"claims":[{"name","bound","vacuous","failures","trials","ci":[lo,hi],"verdict","power":{…}, …}]} (extra keys: statement, kind,
/// observedRate, alpha, and "undecided" when some trials left the claim undecided; "power" as in <see cref="DecisionJson.WritePower"/>).
/// Commands may add their own top-level keys next to "claims".
/// </summary>
public static class ClaimReport
{
    public static string VerdictWord(Verdict v) => v switch
    {
        Verdict.Pass => "PASS",
        Verdict.Fail => "FAIL",
        Verdict.Undecided => "UNDECIDED",
        Verdict.Underpowered => "UNDERPOWERED",
        _ => "VACUOUS",
    };

    /// <summary>
    /// Exit code: 1 when any verdict is FAIL, or with <paramref name="strict"/> when any is UNDERPOWERED or UNDECIDED (a verdict
    /// that is not a decision); else 0.
    /// </summary>
    public static int ExitCode(IEnumerable<Verdict> verdicts, bool strict = false) =>
        verdicts.Any(v => v == Verdict.Fail || strict && v is Verdict.Underpowered or Verdict.Undecided) ? 1 : 0;

    public static int ExitCode(IEnumerable<ClaimVerdict> verdicts, bool strict = false) => ExitCode(verdicts.Select(v => v.Verdict), strict);

    /// <summary>The tally of a probability claim: kind-independent keys from "bound" to "alpha".</summary>
    public static void WriteTally(Utf8JsonWriter w, ClaimVerdict v)
    {
        w.Number("bound", v.Claim.Bound);
        w.WriteBoolean("vacuous", v.Claim.Vacuous);
        w.WriteNumber("failures", v.Failures);
        if (v.Undecided > 0) w.WriteNumber("undecided", v.Undecided);
        w.WriteNumber("trials", v.Trials);
        w.Number("observedRate", v.ObservedRate);
        w.WriteStartArray("ci");
        JsonOutput.NumberValue(w, v.Interval.Lower);
        JsonOutput.NumberValue(w, v.Interval.Upper);
        w.WriteEndArray();
        w.Number("alpha", v.Alpha);
    }

    public static void WriteClaims(Utf8JsonWriter w, IEnumerable<ClaimVerdict> verdicts, Action<Utf8JsonWriter, ClaimVerdict>? extra = null)
    {
        w.WriteStartArray("claims");
        foreach (var v in verdicts)
        {
            w.WriteStartObject();
            w.WriteString("name", v.Claim.Name);
            w.WriteString("statement", v.Claim.Statement);
            w.WriteString("kind", v.Claim.Kind == BoundKind.Exactly ? "exact-probability" : "at-most");
            WriteTally(w, v);
            w.WriteString("verdict", VerdictWord(v.Verdict));
            DecisionJson.WritePower(w, v.Power);
            extra?.Invoke(w, v);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// One row per claim: name, failures/trials, CI, bound, the smallest failure count that refutes it ("fails at": "≥ k", or
    /// "none" with the trials that would give a refuting count), verdict, and an optional extra column.
    /// </summary>
    public static void WriteTable(TextWriter o, IReadOnlyList<ClaimVerdict> verdicts, Func<ClaimVerdict, string>? extra = null, string extraHeader = "")
    {
        var c = CultureInfo.InvariantCulture;
        int width = Math.Max(5, verdicts.Max(v => v.Claim.Name.Length)) + 2;
        ResultColumn[] columns =
        [
            new("claim", -width), new("failures", -16, Numeric: true), new("ci (failure rate)", -24, Numeric: true),
            new("bound", -12, Numeric: true), new("fails at", -18, Numeric: true), new("verdict", -13),
        ];
        var table = new ResultTable(extra is null ? columns : [.. columns, new(extraHeader)]) { Indent = "  ", PlainHeader = true };
        foreach (var v in verdicts)
        {
            string ci = string.Format(c, "[{0:G3}, {1:G3}]", v.Interval.Lower, v.Interval.Upper);
            string bound = string.Format(c, "{0:G4}", v.Claim.Bound);
            string tally = v.Undecided > 0 ? $"{v.Failures}(+{v.Undecided}?)/{v.Trials}" : $"{v.Failures}/{v.Trials}";
            string[] cells = [v.Claim.Name, tally, ci, bound, FailsAt(v), VerdictWord(v.Verdict)];
            table.Add(extra is null ? cells : [.. cells, extra(v)]);
        }
        table.WriteTo(o);
    }

    /// <summary>The refuting counts in a cell: "≥ 174", "≤ 15 or ≥ 47", "—" (vacuous), "none (44 trials)".</summary>
    public static string FailsAt(ClaimVerdict v)
    {
        var p = v.Power;
        if (v.Claim.Vacuous) return "—";
        if (!p.CanFail) return p.TrialsToRefute is long n ? $"none ({n} trials)" : "none";
        string upper = p.MinFailuresToFail is long k ? $"≥ {k}" : "";
        return p.MaxFailuresToFail is long j ? (upper.Length > 0 ? $"≤ {j} or {upper}" : $"≤ {j}") : upper;
    }
}

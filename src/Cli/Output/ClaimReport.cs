using System.Globalization;
using System.Text.Json;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Output;

/// <summary>
/// Renders claim verdicts, the one representation every verify command shares: a text table, and JSON of the shape
/// {"claims":[{"name","bound","vacuous","failures","trials","ci":[lo,hi],"verdict", …}]} (extra keys: statement, kind,
/// observedRate, alpha, and "undecided" when some trials left the claim undecided). Commands may add their own top-level keys next to "claims".
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

    /// <summary>Exit code: 1 when any verdict is FAIL, else 0.</summary>
    public static int ExitCode(IEnumerable<ClaimVerdict> verdicts) => verdicts.Any(v => v.Verdict == Verdict.Fail) ? 1 : 0;

    public static void WriteClaims(Utf8JsonWriter w, IEnumerable<ClaimVerdict> verdicts, Action<Utf8JsonWriter, ClaimVerdict>? extra = null)
    {
        w.WriteStartArray("claims");
        foreach (var v in verdicts)
        {
            w.WriteStartObject();
            w.WriteString("name", v.Claim.Name);
            w.WriteString("statement", v.Claim.Statement);
            w.WriteString("kind", v.Claim.Kind == BoundKind.Exactly ? "exact-probability" : "at-most");
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
            w.WriteString("verdict", VerdictWord(v.Verdict));
            extra?.Invoke(w, v);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>One row per claim: name, failures/trials, CI, bound, verdict, and an optional extra column.</summary>
    public static void WriteTable(TextWriter o, IReadOnlyList<ClaimVerdict> verdicts, Func<ClaimVerdict, string>? extra = null, string extraHeader = "")
    {
        var c = CultureInfo.InvariantCulture;
        int width = Math.Max(5, verdicts.Max(v => v.Claim.Name.Length)) + 2;
        ResultColumn[] columns =
        [
            new("claim", -width), new("failures", -16, Numeric: true), new("ci (failure rate)", -24, Numeric: true),
            new("bound", -12, Numeric: true), new("verdict", -10),
        ];
        var table = new ResultTable(extra is null ? columns : [.. columns, new(extraHeader)]) { Indent = "  ", PlainHeader = true };
        foreach (var v in verdicts)
        {
            string ci = string.Format(c, "[{0:G3}, {1:G3}]", v.Interval.Lower, v.Interval.Upper);
            string bound = string.Format(c, "{0:G4}", v.Claim.Bound);
            string tally = v.Undecided > 0 ? $"{v.Failures}(+{v.Undecided}?)/{v.Trials}" : $"{v.Failures}/{v.Trials}";
            string[] cells = [v.Claim.Name, tally, ci, bound, VerdictWord(v.Verdict)];
            table.Add(extra is null ? cells : [.. cells, extra(v)]);
        }
        table.WriteTo(o);
    }
}

using System.Globalization;
using System.Text.Json;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Claims;

/// <summary>
/// Renders the results of a claim file, the one text and JSON form of every claim whatever its model: shared by
/// `verify claims` and `merge`, so a merged run prints exactly what the unsharded run prints. Each decision (an inequality's at
/// each size, a limit's) is written in the one form of every decided claim (<see cref="DecisionJson"/>, power included); the
/// text tables are <see cref="ClaimReport"/>'s.
/// </summary>
public static class ClaimResultOutput
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Exit code: 1 when a claim FAILs (or, with <paramref name="strict"/>, is UNDERPOWERED or UNDECIDED), else 0.</summary>
    public static int ExitCode(ClaimFileResult result, bool strict) => ClaimReport.ExitCode(result.Claims.Select(c => c.Verdict), strict);

    public static void Write(ClaimFileResult result, string eigenBackend, OutputFormat format, TextWriter stdout)
    {
        if (format == OutputFormat.Json) stdout.WriteLine(JsonOutput.Write(w => WriteJson(w, result, eigenBackend)));
        else WriteText(result, stdout);
    }

    public static void WriteJson(Utf8JsonWriter w, ClaimFileResult result, string eigenBackend)
    {
        var plan = result.Plan;
        w.WriteStartObject();
        w.WriteString("file", plan.File.Document.FileName);
        if (plan.File.Title is string title) w.WriteString("title", title);
        w.WriteNumber("seed", plan.Seed);
        w.WriteNumber("trials", plan.Trials);
        w.WriteString("eigenBackend", eigenBackend);
        w.WriteStartArray("claims");
        foreach (var r in result.Claims) WriteClaim(w, r);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteClaim(Utf8JsonWriter w, ClaimResult r)
    {
        var claim = r.Claim;
        string symbol = claim.Model.SizeSymbol;
        w.WriteStartObject();
        w.WriteString("name", claim.Name);
        w.WriteString("statement", claim.Statement);
        w.WriteNumber("line", claim.Line);
        w.WriteStartObject("model");
        w.WriteString("family", claim.Model.Family);
        foreach (var (key, value) in claim.Model.Parameters) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteString("matrix", claim.Matrix);
        w.WriteString("statistic", claim.Statistic.Text);
        w.WriteString("relation", Relations.Name(claim.Relation));
        w.WriteString("predicted", claim.Predicted.Text);
        if (claim.Probability is { } probability) w.WriteString("probability", probability.Text);
        w.WriteString("sizeSymbol", symbol);
        w.WriteNumber("trialsPerSize", claim.Trials);
        w.Number("alpha", claim.Alpha);
        w.WriteString("verdict", ClaimReport.VerdictWord(r.Verdict));
        w.WriteStartArray("sizes");
        foreach (var p in r.Points)
        {
            w.WriteStartObject();
            w.WriteNumber("size", p.Point.Size);
            w.WriteString("statistic", p.Point.Statistic.Name);
            w.WriteNumber("dimension", p.Point.Dimension);
            w.WriteNumber("trials", p.Trials);
            Summary(w, "measured", p.Statistic);
            if (p.StatisticUpper is { } upper) Summary(w, "measuredUpper", upper);
            Summary(w, "predictedValue", p.Predicted);
            if (p.Point.Bound is double b) w.Number("bound", b);
            if (p.Ratio is { } ratio)
            {
                w.WriteStartObject("ratio");
                w.Number("mean", ratio.Mean);
                NumberOrNull(w, "standardError", ratio.StandardError);
                w.WriteEndObject();
            }
            if (p.Verdict is { } verdict)
            {
                // The size's decision in the one form of every decided claim (tally, verdict, power).
                w.WritePropertyName("decision");
                DecisionJson.Write(w, ClaimDecision.Of(verdict));
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (r.Limit is { } limit)
        {
            w.WritePropertyName("limit");
            DecisionJson.Write(w, ClaimDecision.Of(limit));
        }
        w.WriteEndObject();
    }

    private static void Summary(Utf8JsonWriter w, string name, TrialSummary s)
    {
        w.WriteStartObject(name);
        w.Number("mean", s.Mean);
        NumberOrNull(w, "standardError", s.StandardError);
        w.Number("min", s.Min);
        w.Number("max", s.Max);
        w.WriteEndObject();
    }

    /// <summary>A number that may be undefined (a standard error from one trial, a limit the sweep cannot estimate): null, never NaN.</summary>
    private static void NumberOrNull(Utf8JsonWriter w, string name, double x)
    {
        if (double.IsFinite(x)) w.WriteNumber(name, x); else w.WriteNull(name);
    }

    public static void WriteText(ClaimFileResult result, TextWriter o)
    {
        var plan = result.Plan;
        o.WriteLine($"{plan.File.Title ?? "claims"} ({plan.File.Document.FileName}): {plan.File.Claims.Count} claim{(plan.File.Claims.Count == 1 ? "" : "s")}, {plan.Trials} trials, seed {plan.Seed}");
        foreach (var r in result.Claims)
        {
            var claim = r.Claim;
            o.WriteLine();
            o.WriteLine($"{claim.Name}: {ClaimReport.VerdictWord(r.Verdict)}");
            o.WriteLine($"  {claim.Statement}");
            o.WriteLine($"  {claim.Model.Family} ({string.Join(", ", claim.Model.Parameters.Select(kv => $"{kv.Key} {kv.Value}"))}), matrix {claim.Matrix}, {claim.Trials} trials per size");
            if (claim.IsInequality) WriteInequality(o, r);
            else WriteLimitText(o, r);
        }
        var counts = result.Claims.GroupBy(r => ClaimReport.VerdictWord(r.Verdict)).Select(g => $"{g.Count()} {g.Key}");
        o.WriteLine();
        o.WriteLine($"{result.Claims.Count} claim{(result.Claims.Count == 1 ? "" : "s")}: {string.Join(", ", counts)}");
    }

    private static void WriteInequality(TextWriter o, ClaimResult r)
    {
        var claim = r.Claim;
        o.WriteLine($"  {claim.Formula}, failing with probability at most {claim.Probability!.Text} (α = {claim.Alpha.ToString("G3", C)}"
            + (r.Points.Count > 1 ? $", {r.PointAlpha.ToString("G3", C)} per size" : "") + ")");
        // One row per size, named by it, in the verdict table every verify command prints.
        var rows = r.Points.Select(p => p.Verdict! with { Claim = p.Verdict!.Claim with { Name = $"{claim.Model.SizeSymbol} = {p.Point.Size}" } }).ToList();
        ClaimReport.WriteTable(o, rows, v =>
        {
            var p = r.Points[IndexOf(rows, v)];
            string measured = p.StatisticUpper is { } up
                ? $"[{p.Statistic.Min.ToString("G4", C)}, {up.Max.ToString("G4", C)}]"
                : $"{p.Statistic.Mean.ToString("G5", C)} [{p.Statistic.Min.ToString("G4", C)}, {p.Statistic.Max.ToString("G4", C)}]";
            string predicted = p.Predicted.Min == p.Predicted.Max ? p.Predicted.Mean.ToString("G5", C)
                : $"{p.Predicted.Mean.ToString("G5", C)} [{p.Predicted.Min.ToString("G4", C)}, {p.Predicted.Max.ToString("G4", C)}]";
            return $"{p.Point.Statistic.Name} {measured} vs {predicted}";
        }, "measured (mean [range]) vs predicted");
    }

    private static void WriteLimitText(TextWriter o, ClaimResult r)
    {
        var claim = r.Claim;
        o.WriteLine($"  {claim.Formula}");
        var table = new ResultTable(new ResultColumn(claim.Model.SizeSymbol, -8), new ResultColumn("trials", 6, Numeric: true),
            new ResultColumn("measured (mean ± s.e.)", 26, "  ", Numeric: true), new ResultColumn("predicted", 14, "  ", Numeric: true),
            new ResultColumn("ratio (mean ± s.e.)", 24, "  ", Numeric: true)) { Indent = "  ", PlainHeader = true };
        foreach (var p in r.Points)
            table.Add($"{p.Point.Size}", $"{p.Trials}", PlusMinus(p.Statistic.Mean, p.Statistic.StandardError),
                p.Predicted.Mean.ToString("G6", C), PlusMinus(p.Ratio!.Mean, p.Ratio.StandardError));
        table.WriteTo(o);
        o.WriteLine($"  {ClaimReport.VerdictWord(r.Limit!.Verdict)}: {r.Limit.Reason}"
            + (r.Limit.DetectableRelativeError is double rel ? $" (a relative error of {rel.ToString("P1", C)}; the claim asks for {r.Limit.Claim.RequiredResolution.ToString("P1", C)})" : ""));
    }

    /// <summary>The position of this very verdict (records compare by value; two sizes may have equal ones).</summary>
    private static int IndexOf(IReadOnlyList<ClaimVerdict> verdicts, ClaimVerdict v)
    {
        for (int i = 0; i < verdicts.Count; i++) if (ReferenceEquals(verdicts[i], v)) return i;
        throw new ArgumentException("the verdict is not one of this claim's");
    }

    private static string PlusMinus(double mean, double se) =>
        double.IsFinite(se) ? $"{mean.ToString("G6", C)} ± {se.ToString("G3", C)}" : mean.ToString("G6", C);
}

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
        if (plan.File.ParameterValues.Count > 0) WriteParameters(w, plan.File.ParameterValues);
        w.WriteStartArray("instances");
        foreach (var instance in plan.File.Instances)
        {
            w.WriteStartObject();
            w.WriteString("name", instance.Name);
            w.WriteBoolean("shared", !instance.Implicit);
            WriteModel(w, instance.Model);
            w.WriteString("sizeSymbol", instance.Model.SizeSymbol);
            w.WriteStartArray("sizes");
            foreach (var r in result.Instances.Where(r => r.Instance == instance))
            {
                w.WriteStartObject();
                w.WriteNumber("size", r.Size);
                w.WriteNumber("trials", r.Trials);
                if (r.Notes is string notes) w.WriteString("notes", notes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("claims");
        foreach (var r in result.Claims) WriteClaim(w, r);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The parameters' values, each as its kind: {"p": 1000, "delta": 0.5, "activation": "all"} (also the partial files' form).</summary>
    public static void WriteParameters(Utf8JsonWriter w, IReadOnlyDictionary<string, object> values)
    {
        w.WriteStartObject("parameters");
        foreach (var (name, value) in values)
            switch (value)
            {
                case long l: w.WriteNumber(name, l); break;
                case double d: w.Number(name, d); break;
                default: w.WriteString(name, value.ToString()); break;
            }
        w.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter w, ClaimModel model)
    {
        w.WriteStartObject("model");
        w.WriteString("family", model.Family);
        foreach (var (key, value) in model.Parameters) w.WriteString(key, value);
        if (model.Derived is string derived) w.WriteString("derived", derived);
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
        w.WriteString("instance", claim.Instance.Name);
        WriteModel(w, claim.Model);
        if (claim.Matrix is not null) w.WriteString("matrix", claim.Matrix);
        if (claim.Statistic is not null) w.WriteString("statistic", claim.Statistic.Text);
        w.WriteString("relation", Relations.Name(claim.Relation));
        if (claim.Predicted is not null) w.WriteString("predicted", claim.Predicted.Text);
        if (claim.Measures.Count > 0)
        {
            w.WriteStartObject("measures");
            foreach (var m in claim.Measures) w.WriteString(m.Symbol, $"{m.Matrix} {m.Statistic.Text}");
            w.WriteEndObject();
        }
        if (claim.Members.Count > 0)
        {
            w.WriteStartArray("claims");
            foreach (var m in claim.Members) w.WriteStringValue(m);
            w.WriteEndArray();
        }
        if (claim.Probability is { } probability)
        {
            w.WriteString("probability", probability.Text);
            w.WriteString("probabilityKind", claim.ProbabilityKind == BoundKind.Exactly ? "exact" : "at-most");
        }
        w.WriteString("sizeSymbol", symbol);
        w.Number("alpha", claim.Alpha);
        w.WriteString("verdict", ClaimReport.VerdictWord(r.Verdict));
        w.WriteStartArray("sizes");
        foreach (var p in r.Points)
        {
            w.WriteStartObject();
            w.WriteNumber("size", p.Point.Size);
            if (p.Point.Statistic is { } statistic)
            {
                w.WriteString("statistic", statistic.Name);
                w.WriteNumber("dimension", p.Point.Dimension);
            }
            w.WriteNumber("trials", p.Trials);
            if (p.Statistic is { } measured) Summary(w, "measured", measured);
            if (p.StatisticUpper is { } upper) Summary(w, "measuredUpper", upper);
            if (p.Predicted is { } predicted) Summary(w, "predictedValue", predicted);
            if (p.PredictedUpper is { } predictedUpper) Summary(w, "predictedUpper", predictedUpper);
            if (p.Point.Bound is double b) w.Number("bound", b);
            if (p.Point.BoundLog10 is double log10 && double.IsFinite(log10)) w.Number("boundLog10", log10);
            if (p.Ratio is { } ratio)
            {
                w.WriteStartObject("ratio");
                w.Number("mean", ratio.Mean);
                NumberOrNull(w, "standardError", ratio.StandardError);
                w.WriteEndObject();
            }
            if (p.Consistent.Count > 0)
            {
                w.WriteStartArray("consistent");
                foreach (var c in p.Consistent)
                {
                    w.WriteStartObject();
                    w.WriteString("symbol", c.Symbol);
                    w.WriteString("in", c.InProbability ? "probability" : "predicted");
                    w.Number("smallest", c.Smallest);
                    if (c.ForZeroFailures is double z) w.Number("forZeroFailures", z);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
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
        if (r.Decay is { } decay)
        {
            w.WritePropertyName("decay");
            DecisionJson.Write(w, ClaimDecision.Of(decay));
        }
        if (r.Pooled is { } pooled)
        {
            // The claim's one decision on the trials of every size together (the sizes' own decisions are at α/sizes, for reading only).
            w.WritePropertyName("pooled");
            DecisionJson.Write(w, ClaimDecision.Of(pooled));
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
        foreach (var instance in plan.File.Instances.Where(i => !i.Implicit))
        {
            o.WriteLine();
            o.WriteLine($"instance {instance.Name}: {Describe(instance.Model)}, " + string.Join(", ", instance.Sizes.Select((x, i) => $"{instance.Model.SizeSymbol} = {x} × {instance.Trials[i]}")) + " trials");
            WriteNotes(o, result, instance);
        }
        foreach (var r in result.Claims)
        {
            var claim = r.Claim;
            o.WriteLine();
            o.WriteLine($"{claim.Name}: {ClaimReport.VerdictWord(r.Verdict)}");
            o.WriteLine($"  {claim.Statement}");
            if (claim.Instance.Implicit)
                o.WriteLine($"  {Describe(claim.Model)}, matrix {claim.Matrix}, {TrialsText(claim.Instance)}");
            else o.WriteLine($"  instance {claim.Instance.Name}" + (claim.Matrix is null ? "" : $", matrix {claim.Matrix}"));
            if (claim.IsPerTrial) WriteInequality(o, r);
            else if (r.Decay is not null) WriteDecayText(o, r);
            else WriteLimitText(o, r);
            if (claim.Instance.Implicit) WriteNotes(o, result, claim.Instance);
        }
        var counts = result.Claims.GroupBy(r => ClaimReport.VerdictWord(r.Verdict)).Select(g => $"{g.Count()} {g.Key}");
        o.WriteLine();
        o.WriteLine($"{result.Claims.Count} claim{(result.Claims.Count == 1 ? "" : "s")}: {string.Join(", ", counts)}");
    }

    private static string Describe(ClaimModel model) => $"{model.Family} ({string.Join(", ", model.Parameters.Select(kv => $"{kv.Key} {kv.Value}"))})";

    private static string TrialsText(ClaimInstance instance) => instance.Trials.Distinct().Count() == 1
        ? $"{instance.Trials[0]} trials per size" : "trials " + string.Join(", ", instance.Sizes.Select((x, i) => $"{instance.Trials[i]} at {instance.Model.SizeSymbol} = {x}"));

    private static void WriteNotes(TextWriter o, ClaimFileResult result, ClaimInstance instance)
    {
        foreach (var r in result.Instances.Where(r => r.Instance == instance && r.Notes is not null))
            o.WriteLine($"  {instance.Model.SizeSymbol} = {r.Size}: {r.Notes}");
    }

    private static void WriteInequality(TextWriter o, ClaimResult r)
    {
        var claim = r.Claim;
        string kind = claim.ProbabilityKind == BoundKind.Exactly ? "exactly" : "at most";
        o.WriteLine($"  {claim.Formula}, failing with probability {kind} {claim.Probability!.Text} (α = {claim.Alpha.ToString("G3", C)}"
            + (r.Points.Count > 1 ? $", {r.PointAlpha.ToString("G3", C)} per size" : "") + ")");
        // One row per size, named by it, in the verdict table every verify command prints.
        var rows = r.Points.Select(p => p.Verdict! with { Claim = p.Verdict!.Claim with { Name = $"{claim.Model.SizeSymbol} = {p.Point.Size}" } }).ToList();
        ClaimReport.WriteTable(o, rows, v =>
        {
            var p = r.Points[IndexOf(rows, v)];
            var cells = new List<string>();
            if (p.Statistic is { } s)
            {
                string measured = p.StatisticUpper is { } up
                    ? $"[{s.Min.ToString("G4", C)}, {up.Max.ToString("G4", C)}]"
                    : $"{s.Mean.ToString("G5", C)} [{s.Min.ToString("G4", C)}, {s.Max.ToString("G4", C)}]";
                var q = p.Predicted!;
                string predicted = p.PredictedUpper is { } pu ? $"[{q.Min.ToString("G4", C)}, {pu.Max.ToString("G4", C)}]"
                    : q.Min == q.Max ? q.Mean.ToString("G5", C) : $"{q.Mean.ToString("G5", C)} [{q.Min.ToString("G4", C)}, {q.Max.ToString("G4", C)}]";
                cells.Add($"{p.Point.Statistic!.Value.Name} {measured} vs {predicted}");
            }
            if (p.Point.BoundLog10 is double log10 && double.IsFinite(log10) && p.Point.Bound < 1e-300) cells.Add($"P = 10^{log10.ToString("F4", C)}");
            cells.AddRange(p.Consistent.Select(c => $"{c.Symbol}_min {c.Smallest.ToString("G3", C)}" + (c.ForZeroFailures is double z ? $" ({z.ToString("G3", C)} for 0 failures)" : "")));
            return string.Join("; ", cells);
        }, "measured (mean [range]) vs predicted");
        if (r.Pooled is { } pooled)
            o.WriteLine($"  pooled over the sizes: {pooled.Failures}{(pooled.Undecided > 0 ? $" (+{pooled.Undecided} undecided)" : "")} of {pooled.Trials} failed, "
                + $"bound {pooled.Claim.Bound.ToString("G4", C)} at α = {pooled.Alpha.ToString("G3", C)}: {ClaimReport.VerdictWord(pooled.Verdict)} ({ClaimReport.FailsAt(pooled)}); the sizes' rows are for reading");
    }

    private static void WriteDecayText(TextWriter o, ClaimResult r)
    {
        o.WriteLine($"  {r.Claim.Formula}");
        WriteDecayText(o, r, r.Decay!.Verdict, r.Decay.Reason);
    }

    /// <summary>The statistic's mean at each size, then the sweep's decision.</summary>
    private static void WriteDecayText(TextWriter o, ClaimResult r, Verdict verdict, string reason)
    {
        var table = new ResultTable(new ResultColumn(r.Claim.Model.SizeSymbol, -8), new ResultColumn("trials", 6, Numeric: true),
            new ResultColumn("measured (mean ± s.e.)", 26, "  ", Numeric: true)) { Indent = "  ", PlainHeader = true };
        foreach (var p in r.Points) table.Add($"{p.Point.Size}", $"{p.Trials}", PlusMinus(p.Statistic!.Mean, p.Statistic.StandardError));
        table.WriteTo(o);
        o.WriteLine($"  {ClaimReport.VerdictWord(verdict)}: {reason}");
    }

    private static void WriteLimitText(TextWriter o, ClaimResult r)
    {
        var claim = r.Claim;
        o.WriteLine($"  {claim.Formula}");
        if (claim.Relation == Relation.LimitAtLeast)
        {
            // The limit of the statistic itself (no ratio): its values, then the decision.
            WriteDecayText(o, r, r.Limit!.Verdict, r.Limit.Reason);
            return;
        }
        var table = new ResultTable(new ResultColumn(claim.Model.SizeSymbol, -8), new ResultColumn("trials", 6, Numeric: true),
            new ResultColumn("measured (mean ± s.e.)", 26, "  ", Numeric: true), new ResultColumn("predicted", 14, "  ", Numeric: true),
            new ResultColumn("ratio (mean ± s.e.)", 24, "  ", Numeric: true)) { Indent = "  ", PlainHeader = true };
        foreach (var p in r.Points)
            table.Add($"{p.Point.Size}", $"{p.Trials}", PlusMinus(p.Statistic!.Mean, p.Statistic.StandardError),
                p.Predicted!.Mean.ToString("G6", C), PlusMinus(p.Ratio!.Mean, p.Ratio.StandardError));
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

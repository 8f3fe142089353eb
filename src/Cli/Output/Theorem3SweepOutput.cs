using System.Globalization;
using FimVerify.Numeric.ShallowRelu;

namespace FimVerify.Cli.Output;

/// <summary>
/// Renders a Theorem 3 p-sweep as text or JSON. Shared by `verify theorem3-sweep` and `merge`, so a merged run prints
/// exactly what the unsharded run would. A shard's run says which shard it is; an unsharded one does not.
/// </summary>
public static class Theorem3SweepOutput
{
    public static void Write(Theorem3Sweep.Result r, OutputFormat format, TextWriter stdout)
    {
        var first = r.Reports[0];
        var (prm, constant, shard) = (first.Parameters, first.Parameters.Constant, first.Shard);
        var ps = r.Reports.Select(x => x.Parameters.P).ToList();
        long trials = first.Log.Trials;
        bool sharded = shard.Count > 1;
        var c = CultureInfo.InvariantCulture;
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("d", prm.D); w.Number("delta", prm.Delta); w.WriteNumber("trials", trials); w.WriteNumber("seed", first.Seed);
                if (sharded) w.WriteString("shard", $"{shard.Index}/{shard.Count}");
                w.Number("alpha", first.Alpha);
                w.Number("constantC", constant.Value); w.WriteBoolean("constantIsEstimate", constant.IsEstimate);
                w.WriteStartArray("trends");
                foreach (var t in r.Trends)
                {
                    w.WriteStartObject();
                    w.WriteString("name", t.Claim);
                    w.WriteStartArray("points");
                    foreach (var pt in t.Trend.Points)
                    {
                        w.WriteStartObject();
                        w.Number("p", pt.X); w.WriteNumber("failures", pt.Failures); w.WriteNumber("trials", pt.Trials);
                        if (pt.Undecided > 0) w.WriteNumber("undecided", pt.Undecided);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    if (double.IsFinite(t.Trend.FittedSlope)) w.Number("fittedSlope", t.Trend.FittedSlope);
                    w.WriteString("rule", t.Trend.Rule);
                    w.WriteString("verdict", ClaimReport.VerdictWord(t.Trend.Verdict));
                    DecisionJson.WriteTrendPower(w, t.Trend);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }));
        }
        else
        {
            string perP = sharded ? $"{trials} trials per p (shard {shard.Index}/{shard.Count})" : $"{trials} trials per p";
            stdout.WriteLine(string.Format(c, "Theorem 3 p-sweep: d = {0}, δ = {1}, {2}, seed {3}, α = {4:G3}; C = {5:F4}{6}",
                prm.D, prm.Delta, perP, first.Seed, first.Alpha, constant.Value, constant.IsEstimate ? " [ESTIMATE]" : ""));
            stdout.WriteLine("  bound C·D/(δ²p): " + string.Join(", ", ps.Select(p => string.Format(c, "p={0}: {1:G3}", p, constant.Bound(prm.Delta, p)))));
            stdout.WriteLine("  rule: " + (r.Trends.FirstOrDefault()?.Trend.Rule ?? ""));
            var table = new ResultTable(new("claim", -24), new($"failures at p = {string.Join(", ", ps)}", -40, " "),
                new("slope", -6, " slope ", Numeric: true), new("verdict", -13, " "), new("power vs a constant rate", 0, " ")) { Indent = "  " };
            foreach (var t in r.Trends)
            {
                string rates = string.Join("  ", t.Trend.Points.Select(pt => pt.Undecided > 0 ? $"{pt.Failures}(+{pt.Undecided}?)/{pt.Trials}" : $"{pt.Failures}/{pt.Trials}"));
                string slope = double.IsFinite(t.Trend.FittedSlope) ? t.Trend.FittedSlope.ToString("F2", c) : "n/a";
                string power = t.Trend.ReferenceX is double x ? string.Format(c, "{0:F2} (from p = {1})", t.Trend.ConstantRatePower, x) : "none (no failures in the tail regime)";
                table.Add(t.Claim, rates, slope, ClaimReport.VerdictWord(t.Trend.Verdict), power);
            }
            table.WriteTo(stdout);
        }
    }

    public static int ExitCode(Theorem3Sweep.Result r, bool strict = false) => ClaimReport.ExitCode(r.Trends.Select(t => t.Trend.Verdict), strict);
}

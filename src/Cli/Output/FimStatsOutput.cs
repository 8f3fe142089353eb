using System.Globalization;
using System.Text.Json;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Mlps;

namespace FimVerify.Cli.Output;

/// <summary>
/// Renders a <see cref="FimStatsResult"/> as text or JSON. Shared by `fim-stats` and `merge`, so a merged run prints
/// exactly what the unsharded run would. A shard's run says which shard it is; an unsharded one does not.
/// </summary>
public static class FimStatsOutput
{
    /// <summary>The variants by their command-line names, in the order --help lists them.</summary>
    public static readonly IReadOnlyList<(string Name, FimVariant Variant)> Variants =
    [
        ("regression", FimVariant.Regression), ("softmax", FimVariant.Softmax), ("mean-subtracted", FimVariant.MeanSubtracted),
        ("ntk", FimVariant.Ntk), ("ntk-mean-subtracted", FimVariant.NtkMeanSubtracted), ("blocks", FimVariant.Blocks), ("input", FimVariant.Input),
    ];

    public static string Name(FimVariant v) => Variants.First(x => x.Variant == v).Name;

    /// <param name="eigenBackend">The eigen-solver that measured the spectra (the merge reports the parts' one).</param>
    public static void Write(FimStatsResult r, string eigenBackend, OutputFormat format, TextWriter stdout)
    {
        var (prm, op) = (r.Parameters, r.OrderParameters);
        var shape = prm.Shape;
        string variant = Name(prm.Variant);
        bool sharded = r.Shard.Count > 1;
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("activation", prm.Activation.Name);
                w.WriteString("variant", variant);
                w.WriteNumber("depth", shape.Depth); w.WriteNumber("width", prm.Width); w.WriteNumber("samples", prm.Samples); w.WriteNumber("outputs", prm.Outputs);
                w.Number("sigmaW2", shape.SigmaW2); w.Number("sigmaB2", shape.SigmaB2);
                w.WriteNumber("seed", prm.Seed); w.WriteNumber("trials", r.TrialsRun);
                if (sharded) w.WriteString("shard", $"{r.Shard.Index}/{r.Shard.Count}");
                w.Number("alpha", op.Alpha); w.Number("kappa1", op.Kappa1); w.Number("kappa2", op.Kappa2);
                w.Number("ntkKappa1", op.NtkKappa1); w.Number("ntkKappa2", op.NtkKappa2);
                w.Number("criticalLearningRate", r.CriticalLearningRate);
                w.WriteString("eigenBackend", eigenBackend);
                w.WriteStartArray("metrics");
                foreach (var m in r.Metrics) WriteJson(w, MetricName(m, variant), m);
                w.WriteEndArray();
                if (r.MeanSubtraction is { } b) WriteJson(w, b);
                w.WriteStartArray("claims");
                foreach (var c in r.Claims)
                {
                    w.WriteStartObject(); w.WriteString("claim", ClaimName(c)); w.WriteBoolean("holds", c.Holds); w.WriteString("detail", Detail(c)); w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteString("verdict", r.Holds ? "PASS" : "FAIL");
                w.WriteEndObject();
            }));
        }
        else
        {
            string trials = sharded ? $"{r.TrialsRun} trial(s) (shard {r.Shard.Index}/{r.Shard.Count})" : $"{r.TrialsRun} trial(s)";
            stdout.WriteLine($"{prm.Activation.Name}, L = {shape.Depth}, M = {prm.Width}, T = {prm.Samples}, C = {prm.Outputs}, σ_w² = {G(shape.SigmaW2)}, σ_b² = {G(shape.SigmaB2)}, variant {variant}, {trials}, seed {prm.Seed}");
            stdout.WriteLine($"α = {G(op.Alpha)}, κ₁ = {G(op.Kappa1)}, κ₂ = {G(op.Kappa2)}, κ′₁ = {G(op.NtkKappa1)}, κ′₂ = {G(op.NtkKappa2)}, critical η = 2/λ_max = {G(r.CriticalLearningRate)}");
            foreach (var m in r.Metrics) WriteText(stdout, MetricName(m, variant), m);
            if (r.MeanSubtraction is { } b) WriteText(stdout, b);
            var claims = new ResultTable(new("verdict"), new("claim", 0, "  "), new("detail", 0, ": "));
            foreach (var c in r.Claims) claims.Add(c.Holds ? "PASS" : "FAIL", ClaimName(c), Detail(c));
            claims.WriteTo(stdout);
        }
    }

    public static int ExitCode(FimStatsResult r) => r.Holds ? 0 : 1;

    private static string MetricName(FimStatsMetric m, string variant) => m.Block is int l ? $"F_{l}{l}" : variant;
    private static string ClaimName(FimStatsClaim c) => $"trial {c.Trial}: {c.Statement}";
    private static string Detail(FimStatsClaim c) => $"{c.Quantity} = {G(c.Value)}";

    private static IEnumerable<(string Key, StatisticComparison Value)> Entries(FimStatsMetric m) =>
        [("mean", m.Mean), ("secondMoment", m.SecondMoment), ("lambdaMax", m.LambdaMax)];

    private static void WriteJson(Utf8JsonWriter w, string name, FimStatsMetric m)
    {
        w.WriteStartObject();
        w.WriteString("metric", name);
        foreach (var (key, s) in Entries(m))
        {
            w.WriteStartObject(key);
            Optional(w, "predicted", s.Predicted); w.Number("measured", s.Measured); Optional(w, "stdErr", s.StandardError); Optional(w, "ratio", s.Ratio);
            w.WriteEndObject();
        }
        w.Number("largestEigenvalue", m.Largest);
        w.WriteStartArray("topEigenvalues");
        foreach (double x in m.Top) w.WriteNumberValue(x);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteText(TextWriter o, string name, FimStatsMetric m)
    {
        ResultColumn[] numbers = [new("predicted", 14, " ", Numeric: true), new("measured", 14, " ", Numeric: true), new("± s.e.", 12, " ", Numeric: true), new("ratio", 10, " ", Numeric: true)];
        var table = new ResultTable([new(name, -12), .. numbers])
        {
            Indent = "  ",
            // The plain header names the variant ("[regression]") where the rows have their statistic, aligned with the columns.
            PlainHeaderLine = $"[{name}]".PadRight(14) + string.Concat(numbers.Select(c => " " + c.Header.PadLeft(c.Width))),
            Caption = $"largest eigenvalue {Show(m.Largest)}; top: {string.Join(", ", m.Top.Select(Show))}",
        };
        foreach (var (key, s) in Entries(m)) table.Add(key, Show(s.Predicted), Show(s.Measured), Show(s.StandardError), Show(s.Ratio));
        table.WriteTo(o);
    }

    /// <summary>What the sources say about c₁ and c₂, printed with the bounds so nobody reads ĉ₁, ĉ₂ as the sources' values.</summary>
    private const string ConstantsNote =
        "c₁, c₂ are unspecified in seeds 001/002 (\"non-negative constants\"): c₁ = 0 is the derived lower bound, ĉ₁ and ĉ₂ are measured";

    private static void WriteText(TextWriter o, MeanSubtractionSummary b)
    {
        o.WriteLine($"[bounds]  ρα(κ₁ − κ₂) + c₁ ≤ λ_max(F̄) ≤ √((Cα²ρ(κ₁ − κ₂)² + c₂)M), ρ = M/T = {G(b.Rho)}");
        o.WriteLine($"  {ConstantsNote}");
        new ResultTable(new("quantity", -42), new("value", 12, " ", Numeric: true), new("± s.e.", 0, " ± ", Numeric: true), new("note", 0, "   ")) { Indent = "  " }
            .Add("lower bound ρα(κ₁ − κ₂) (c₁ = 0)", Show(b.LowerBound), "", "")
            .Add("λ_max(F̄)", Show(b.LambdaMax), Show(b.LambdaMaxStdErr), "")
            .Add("ĉ₁ = λ_max(F̄) − ρα(κ₁ − κ₂)", Show(b.C1), Show(b.LambdaMaxStdErr), "")
            .Add("ĉ₂ = (Σλ² − (Σλ)²/(C(T − 1)))/M", Show(b.C2), Show(b.C2StdErr), "")
            .Add("upper bound √((Cα²ρ(κ₁ − κ₂)² + ĉ₂)M)", Show(b.UpperBound), "", "(at the mean ĉ₂; not scored: with a network's own ĉ₂ it is about √Σλ²)")
            .WriteTo(o);
    }

    private static void WriteJson(Utf8JsonWriter w, MeanSubtractionSummary b)
    {
        w.WriteStartObject("meanSubtraction");
        w.Number("rho", b.Rho); w.Number("lowerBound", b.LowerBound);
        foreach (var (key, mean, se) in new[] { ("lambdaMax", b.LambdaMax, b.LambdaMaxStdErr), ("c1", b.C1, b.LambdaMaxStdErr), ("c2", b.C2, b.C2StdErr) })
        {
            w.WriteStartObject(key);
            w.Number("mean", mean); Optional(w, "stdErr", se);
            w.WriteEndObject();
        }
        w.Number("upperBound", b.UpperBound);
        w.WriteString("constants", ConstantsNote);
        w.WriteEndObject();
    }

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
    private static string Show(double v) => double.IsFinite(v) ? G(v) : "—";

    private static void Optional(Utf8JsonWriter w, string key, double v)
    {
        if (double.IsFinite(v)) w.Number(key, v); else w.WriteNull(key);
    }
}

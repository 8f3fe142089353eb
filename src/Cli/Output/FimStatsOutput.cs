using System.Globalization;
using System.Text.Json;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Models;

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
        ("ntk", FimVariant.Ntk), ("blocks", FimVariant.Blocks), ("input", FimVariant.Input),
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
            foreach (var c in r.Claims) stdout.WriteLine($"{(c.Holds ? "PASS" : "FAIL")}  {ClaimName(c)}: {Detail(c)}");
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
        o.WriteLine($"[{name}]  {"predicted",14} {"measured",14} {"± s.e.",12} {"ratio",10}");
        foreach (var (key, s) in Entries(m))
            o.WriteLine($"  {key,-12} {Show(s.Predicted),14} {Show(s.Measured),14} {Show(s.StandardError),12} {Show(s.Ratio),10}");
        o.WriteLine($"  largest eigenvalue {Show(m.Largest)}; top: {string.Join(", ", m.Top.Select(Show))}");
    }

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
    private static string Show(double v) => double.IsFinite(v) ? G(v) : "—";

    private static void Optional(Utf8JsonWriter w, string key, double v)
    {
        if (double.IsFinite(v)) w.Number(key, v); else w.WriteNull(key);
    }
}

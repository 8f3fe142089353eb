using System.Text.Json;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// `fim-stats` parts: parameters activation, depth, σ_w², σ_b², width ratios, width, samples, outputs, variant, seed;
/// trial k's payload is what <see cref="FimStatistics.RunTrials"/> measured on network k: per metric m_λ, s_λ, the
/// top-count mean, λ₁ and the top eigenvalues; the structural claim's quantity; for softmax the network's prediction
/// (m_λ, s_λ, λ_max from its own Q); for mean-subtracted ĉ₂ = (Σλ² − (Σλ)²/(C(T − 1)))/M.
/// Means, standard errors, ratios and claim decisions are computed once, by the merge, from the union.
/// </summary>
public sealed class FimStatsPartial : IShardedExperiment
{
    public string Tag => FimStatsParameters.Experiment;

    public static void Write(string path, FimStatsParameters prm, Numeric.Verification.Shard shard, IReadOnlyList<FimStatsTrial> trials)
    {
        PartialResultFile.Write(path, FimStatsParameters.Experiment, prm.Trials, shard, w =>
        {
            w.WriteString("activation", prm.Activation.Name);
            w.WriteNumber("depth", prm.Shape.Depth); w.Number("sigmaW2", prm.Shape.SigmaW2); w.Number("sigmaB2", prm.Shape.SigmaB2);
            w.WriteStartArray("widthRatios");
            foreach (double a in prm.Shape.WidthRatios) w.NumberValue(a);
            w.WriteEndArray();
            w.WriteNumber("width", prm.Width); w.WriteNumber("samples", prm.Samples); w.WriteNumber("outputs", prm.Outputs);
            w.WriteString("variant", FimStatsOutput.Name(prm.Variant));
            w.WriteNumber("seed", prm.Seed);
        }, trials.Select(t => (t.Trial, (Action<Utf8JsonWriter>)(w => WriteTrial(w, t)))));
    }

    private static void WriteTrial(Utf8JsonWriter w, FimStatsTrial t)
    {
        w.WriteStartArray("metrics");
        foreach (var m in t.Metrics)
        {
            w.WriteStartObject();
            w.Number("mean", m.Statistics.Mean); w.Number("secondMoment", m.Statistics.SecondMoment); w.Number("lambdaMax", m.Statistics.LambdaMax);
            w.Number("largest", m.Largest);
            w.WriteStartArray("top");
            foreach (double x in m.Top) w.NumberValue(x);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (t.ClaimQuantity is double q) w.Number("claimQuantity", q);
        if (t.SoftmaxPrediction is { } s)
        {
            w.WriteStartObject("softmaxPrediction");
            w.Number("mean", s.Mean); w.Number("secondMoment", s.SecondMoment); w.Number("lambdaMax", s.LambdaMax);
            w.WriteEndObject();
        }
        if (t.MeanSubtractionC2 is double c2) w.Number("meanSubtractionC2", c2);
    }

    public int Merge(IReadOnlyList<PartialResult> parts, MergeOptions options, TextWriter stdout)
    {
        options.EnsureNotReportOptions(parts[0]);
        var first = parts[0];
        var prm = first.Read(() =>
        {
            var activation = ActivationCatalog.Parse(first.Parameter("activation").GetString()!);
            var shape = new NetworkShape(first.Parameter("depth").GetInt32(), first.Parameter("sigmaW2").GetDouble(), first.Parameter("sigmaB2").GetDouble(),
                first.Parameter("widthRatios").EnumerateArray().Select(x => x.GetDouble()).ToArray());
            string name = first.Parameter("variant").GetString()!;
            var variant = FimStatsOutput.Variants.FirstOrDefault(v => v.Name == name);
            if (variant.Name is null) throw first.Bad($"names the variant '{name}', which fim-stats does not know");
            return new FimStatsParameters(activation, shape, first.Parameter("width").GetInt32(), first.Parameter("samples").GetInt32(),
                first.Parameter("outputs").GetInt32(), variant.Variant, first.Parameter("seed").GetInt64(), checked((int)first.Trials)).Validated();
        });
        var trials = parts.SelectMany(part => part.Outcomes.Select(kv => part.Read(() => ReadTrial(part, prm, kv.Key, kv.Value)))).ToList();
        var result = FimStatistics.Analyse(prm, trials, Numeric.Verification.Shard.All);
        FimStatsOutput.Write(result, first.Parameter("eigenBackend").GetString()!, options.Format, stdout);
        return FimStatsOutput.ExitCode(result);
    }

    private static FimStatsTrial ReadTrial(PartialResult part, FimStatsParameters prm, long k, JsonElement e)
    {
        var metrics = part.Field(e, "metrics").EnumerateArray().Select(m => new MetricMeasurement(
            new EigenvalueStatistics(part.Field(m, "mean").GetDouble(), part.Field(m, "secondMoment").GetDouble(), part.Field(m, "lambdaMax").GetDouble()),
            part.Field(m, "largest").GetDouble(), part.Field(m, "top").EnumerateArray().Select(x => x.GetDouble()).ToArray())).ToList();
        int expected = prm.Variant == Numeric.Mlps.FimVariant.Blocks ? prm.Shape.Depth : 1;
        if (metrics.Count != expected || metrics.Any(m => m.Top.Length != prm.TopCount))
            throw part.Bad($"holds trial {k} with {metrics.Count} measured metrics of {string.Join("/", metrics.Select(m => m.Top.Length).Distinct())} top eigenvalues, but its parameters give {expected} of {prm.TopCount}");
        double? quantity = e.TryGetProperty("claimQuantity", out var q) ? q.GetDouble() : null;
        EigenvalueStatistics? softmax = e.TryGetProperty("softmaxPrediction", out var s)
            ? new EigenvalueStatistics(part.Field(s, "mean").GetDouble(), part.Field(s, "secondMoment").GetDouble(), part.Field(s, "lambdaMax").GetDouble()) : null;
        if (prm.Variant == Numeric.Mlps.FimVariant.Softmax && softmax is null)
            throw part.Bad($"holds softmax trial {k} without its \"softmaxPrediction\"");
        double? c2 = e.TryGetProperty("meanSubtractionC2", out var c) ? c.GetDouble() : null;
        if (prm.Variant == Numeric.Mlps.FimVariant.MeanSubtracted && c2 is null)
            throw part.Bad($"holds mean-subtracted trial {k} without its \"meanSubtractionC2\"");
        return new FimStatsTrial(k, metrics, quantity, softmax, c2);
    }
}

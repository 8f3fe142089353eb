using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Plots;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Random;
using ScottPlot;

namespace FimVerify.Cli.Report.Parts;

/// <summary>Theorem 3.1 of seeds 001/004: m_λ, s_λ and λ_max of wide networks' FIM against theory as the width grows.</summary>
public sealed class MeanFieldPart : IReportPart
{
    public string Id => "mean-field";
    public string Title => "Wide networks: FIM eigenvalue statistics vs mean-field theory (Theorem 3.1)";

    public Func<ReportSection> Prepare(ReportContext context, PartSettings settings)
    {
        string activationName = settings.Choice("activation", ["tanh", "relu", "erf", "linear", "sigmoid", "gelu"], "tanh");
        int depth = settings.Int("depth", 3, 2, 20);
        double sw = settings.Double("sigma_w2", activationName == "tanh" ? 3.0 : 2.0, 0, 1e6);
        double sb = settings.Double("sigma_b2", activationName == "tanh" ? 0.64 : 0.1, -1e-300, 1e6);
        int samples = settings.Int("samples", 20, 2, 500);
        int outputs = settings.Int("outputs", 3, 1, 20);
        int trials = settings.Int("trials", context.Quick ? 3 : 6, 1, 100);
        int maxWidth = settings.Int("max_width", context.Quick ? 400 : 800, 200, 4000);
        settings.EnsureAllUsed();
        var widths = new List<int>();
        for (int m = 100; m <= maxWidth; m *= 2) widths.Add(m);
        var activation = ActivationCatalog.Parse(activationName);
        var shape = new NetworkShape(depth, sw, sb);
        return () => Run(context, activation, shape, widths, samples, outputs, trials);
    }

    private ReportSection Run(ReportContext context, IActivation activation, NetworkShape shape, List<int> widths, int samples, int outputs, int trials)
    {
        var c = CultureInfo.InvariantCulture;
        var r = WidthSweep.Run(activation, shape, widths, samples, outputs, trials, SeedSequence.FromSeed(context.Seed).Child(Id));
        string G(double x) => x.ToString("G5", c);
        var rows = r.Rows.Select(row => (IReadOnlyList<string>)
            [row.Width.ToString(c), G(row.Predicted.LambdaMax), G(row.MeanRatios[0]), G(row.MeanRatios[1]), G(row.MeanRatios[2]),
             G(row.RmsDeviations[0]), G(row.RmsDeviations[1]), G(row.RmsDeviations[2])]).ToList();

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < 3; i++)
        {
            var line = plot.Add.Scatter(r.Rows.Select(x => Math.Log2(x.Width)).ToArray(), r.Rows.Select(x => x.MeanRatios[i]).ToArray());
            line.LegendText = $"{WidthSweepResult.StatisticNames[i]}: measured / predicted";
            line.Color = palette.GetColor(i);
        }
        var one = plot.Add.HorizontalLine(1);
        one.LegendText = "theory (ratio 1)";
        one.LinePattern = LinePattern.Dashed;
        one.Color = Colors.Black;
        plot.Title($"{activation.Name}, L = {shape.Depth}, T = {samples}, C = {outputs}: ratios to Theorem 3.1 ({trials} networks per width)");
        plot.XLabel("log₂ M (width M of every hidden layer)");
        plot.YLabel("measured / predicted (dimensionless)");
        plot.ShowLegend(Alignment.UpperRight);
        var plots = FigureFiles.Save(plot, context.OutputDirectory, "mean-field-ratios");

        var results = new JsonObject
        {
            ["activation"] = activation.Name, ["depth"] = shape.Depth, ["sigmaW2"] = shape.SigmaW2, ["sigmaB2"] = shape.SigmaB2,
            ["samples"] = samples, ["outputs"] = outputs, ["trials"] = trials,
            ["rows"] = new JsonArray(r.Rows.Select(row => (JsonNode)new JsonObject
            {
                ["width"] = row.Width,
                ["predicted"] = new JsonObject { ["mean"] = row.Predicted.Mean, ["secondMoment"] = row.Predicted.SecondMoment, ["lambdaMax"] = row.Predicted.LambdaMax },
                ["meanRatios"] = new JsonArray(row.MeanRatios.Select(x => (JsonNode)x).ToArray()),
                ["rmsDeviations"] = new JsonArray(row.RmsDeviations.Select(x => (JsonNode)x).ToArray()),
            }).ToArray()),
            ["exponents"] = new JsonArray(r.Exponents.Select(x => (JsonNode)x).ToArray()),
            ["converging"] = new JsonArray(r.Converging.Select(x => (JsonNode)x).ToArray()),
        };
        string exponents = string.Join(", ", Enumerable.Range(0, 3).Select(i => $"{WidthSweepResult.StatisticNames[i]} {r.Exponents[i].ToString("F2", c)} ({(r.Converging[i] ? "converging" : "NOT converging")})"));
        return new ReportSection(Id, Title,
            "m_λ ≈ κ₁C/M, s_λ ≈ αC((T−1)/T κ₂² + κ₁²/T), λ_max ≈ α((T−1)/T κ₂ + κ₁/T)M (compared with the mean of the top C "
            + "eigenvalues), with κ₁, κ₂ from the order-parameter recurrences. Decision (a trend over widths, not a tolerance): "
            + "with d(M) the RMS over networks of (measured/predicted − 1), each statistic must have a negative fitted exponent of d "
            + "on M and d(largest M) < d(smallest M).",
            [new("activation", activation.Name), new("L", shape.Depth.ToString(c)), new("σ_w²", G(shape.SigmaW2)), new("σ_b²", G(shape.SigmaB2)),
             new("T", samples.ToString(c)), new("C", outputs.ToString(c)), new("networks per width", trials.ToString(c)), new("seed", context.Seed.ToString(c))],
            new ReportTable(["M", "predicted λ_max", "ratio m_λ", "ratio s_λ", "ratio λ_max", "rms dev m_λ", "rms dev s_λ", "rms dev λ_max"], rows),
            r.AllConverging ? SectionVerdict.Pass : SectionVerdict.Fail,
            plots, results, $"Fitted exponents of the deviation on M: {exponents} (finite-width fluctuations predict about −1/2).");
    }
}

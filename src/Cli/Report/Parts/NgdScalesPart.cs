using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Plots;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.NaturalGradient;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Verification;
using FimVerify.Cli.Output;
using ScottPlot;
using FimVerify.Numeric.Resources;

namespace FimVerify.Cli.Report.Parts;

/// <summary>Seed 002's approximate natural gradient: the isotropic condition Θ̄ = αI and one step with η = 1/α, over width.</summary>
public sealed class NgdScalesPart : IReportPart
{
    public string Id => "ngd-scales";
    public string Title => "Approximate natural gradient: Θ̄ = αI for exact, layer-wise, K-FAC and unit-wise Fishers (seed 002)";

    public SectionWork Prepare(ReportContext context, PartSettings settings)
    {
        string activationName = settings.Choice("activation", ["relu", "tanh", "erf", "linear", "sigmoid", "gelu"], "relu");
        int depth = settings.Int("depth", 3, 2, 10);
        // At most the smallest width of the sweep (50), so that every Kronecker factor has full rank.
        int samples = settings.Int("samples", 10, 2, 50);
        // Power: the decay claims (at least M^(−1/4)) need the sweep to refute a statistic that does not decay: 16 networks a width
        // over M = 50 … 1600, or 24 over 50 … 800 (quick), do (docs/mean-field.md).
        int trials = settings.Int("trials", context.Quick ? 24 : 16, 2, 100);
        int maxWidth = settings.Int("max_width", context.Quick ? 800 : 1600, 200, 4000);
        double alpha = settings.FalseAlarmRate("alpha", 1e-3, 0.25);
        settings.EnsureAllUsed();
        var widths = new List<int>();
        for (int m = 50; m <= maxWidth; m *= 2) widths.Add(m);
        var activation = ActivationCatalog.Parse(activationName);
        context.Reserve(ExperimentCosts.NaturalGradientSweep(depth, widths.Select(m => (long)m), samples, trials),
            $"[ngd-scales] at depth {depth}, widths up to {maxWidth}, N = {samples} with {trials} trials", "reduce max_width, depth, samples or trials in [ngd-scales]");
        return progress => Run(context, activation, depth, samples, trials, widths, alpha, progress);
    }

    private ReportSection Run(ReportContext context, IActivation activation, int depth, int samples, int trials, List<int> widths, double alpha, IProgress<ProgressStep>? progress)
    {
        var c = CultureInfo.InvariantCulture;
        string G(double x) => double.IsFinite(x) ? x.ToString("G4", c) : "—";
        var r = NaturalGradientSweep.Run(activation, depth, widths, 2, 0.1, samples, trials, SeedSequence.FromSeed(context.Seed).Child(Id), progress, alpha);
        var rows = r.Rows.Select(row => (IReadOnlyList<string>)[NaturalGradientScales.Name(row.Metric), row.Width.ToString(c), G(row.Alpha), G(row.SourceAlpha),
            G(row.RmsDistance), G(row.RmsLinearResidual), G(row.MedianStepResidual), G(row.MedianLargestPreactivationChange)]).ToList();

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        foreach (var metric in NaturalGradientScales.All)
        {
            var mine = r.Rows.Where(x => x.Metric == metric).ToList();
            var line = plot.Add.Scatter(mine.Select(x => Math.Log2(x.Width)).ToArray(), mine.Select(x => Math.Log10(x.MedianStepResidual)).ToArray());
            line.LegendText = $"{NaturalGradientScales.Name(metric)}: one-step residual";
            line.Color = palette.GetColor(colour++);
            line.LineWidth = 2;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.MarkerSize = 7;
        }
        var unit = r.Rows.Where(x => x.Metric == NaturalGradientMetric.UnitWise).ToList();
        var iso = plot.Add.Scatter(unit.Select(x => Math.Log2(x.Width)).ToArray(), unit.Select(x => Math.Log10(x.RmsDistance)).ToArray());
        iso.LegendText = "unit-wise: ‖Θ̄/α − I‖₂";
        iso.Color = Colors.Black;
        iso.MarkerShape = MarkerShape.OpenCircle;
        iso.MarkerSize = 7;
        plot.Title($"One NGD step with η = 1/α ({activation.Name}, L = {depth}, N = {samples}, {trials} networks per width)");
        plot.XLabel("log₂ M (hidden width)");
        plot.YLabel("log₁₀ (dimensionless ratio)");
        plot.ShowLegend(Alignment.UpperRight);
        var plots = FigureFiles.Save(plot, context.OutputDirectory, "ngd-scales");

        static JsonNode Claims(IEnumerable<ClaimDecision> claims) => DecisionJson.Array(claims);
        var results = new JsonObject
        {
            ["activation"] = activation.Name, ["depth"] = depth, ["samples"] = samples, ["trials"] = trials,
            ["widths"] = new JsonArray(widths.Select(m => (JsonNode)m).ToArray()),
            ["rows"] = new JsonArray(r.Rows.Select(row => (JsonNode)new JsonObject
            {
                ["metric"] = NaturalGradientScales.Name(row.Metric), ["width"] = row.Width, ["alpha"] = row.Alpha,
                ["sourceAlpha"] = double.IsFinite(row.SourceAlpha) ? row.SourceAlpha : null, ["rmsDistance"] = row.RmsDistance,
                ["rmsLinearResidual"] = row.RmsLinearResidual, ["medianStepResidual"] = row.MedianStepResidual,
                ["medianLargestPreactivationChange"] = row.MedianLargestPreactivationChange,
            }).ToArray()),
            ["claims"] = Claims(r.Claims), ["sourceChecks"] = Claims(r.SourceChecks),
        };
        string notes = "Seed 002's own statements (reported, not scored): "
            + string.Join("; ", r.SourceChecks.Select(x => $"{NaturalGradientSweepResult.Word(x.Verdict, true)} {x.Statement} ({x.Detail})")) + ".";
        return new ReportSection(Id, Title,
            "With G the exact Fisher JᵀJ/N or an approximation (layer-wise blocks, K-FAC's A_{l−1} ⊗ B_l, unit-wise blocks) and "
            + "Θ̄ = J G⁺ Jᵀ/N in the zero-damping limit, natural gradient satisfies the isotropic condition Θ̄ = αI, so one step "
            + "with η = 1/α maps f₀ to y in the NTK regime. Derived here: α = 1, L, N(L−1) + 1 (seed 002: N·L) and, for ReLU "
            + "unit-wise, 1 + M(L−1)/2 as M → ∞ (seed 002: M(L−1)/2). Decisions: exact cases to 1e−8 in every network; the "
            + "asymptotic ones (‖Θ̄/α − I‖₂, one real step's residual and its largest hidden pre-activation change tend to 0; unit-wise: "
            + "the linearised step) must vanish at least like M^(−1/4), half the central-limit rate: the exponent of the trials' "
            + $"geometric mean on M, one-sided t bound at α = {alpha.ToString("G3", c)}, with power 0.9 against a statistic that does not decay.",
            [new("activation", activation.Name), new("L", depth.ToString(c)), new("N", samples.ToString(c)), new("C", "1"),
             new("σ_w², σ_b²", "2, 0.1"), new("widths", string.Join(", ", widths)), new("networks per width", trials.ToString(c)), new("seed", context.Seed.ToString(c))],
            new ReportTable(["metric", "M", "α (ours)", "α (seed 002)", "‖Θ̄/α − I‖₂", "linearised residual", "one-step residual", "max |Δu|"], rows),
            ClaimSections.Verdict(r.Claims), plots, results, notes)
        { Claims = r.Claims };
    }
}

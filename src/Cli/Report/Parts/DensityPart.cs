using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Plots;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Data;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Classifiers.Convolutional;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Spectra;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Report.Parts;

/// <summary>
/// Seed 003: SLQ densities of exact / Monte Carlo / empirical Fisher, full and layer-wise, and K-FAC, against dense
/// eigenvalues — of the MLP on the synthetic mixture (section `density`), or of a CNN on synthetic images (`density-cnn`).
/// </summary>
public sealed class DensityPart(bool convolutional = false) : IReportPart
{
    /// <summary>The CNN of the report: seed 003's Figure 1 in small (two conv/ReLU/max-pool stages, two dense layers), P = 932 on 12×12 images.</summary>
    public const string ReportArchitecture = "conv4k3p1,relu,maxpool2,conv8k3,relu,maxpool2,dense16,relu";

    /// <summary>Dense eigenvalues are taken up to this P, so every panel is checked.</summary>
    private const int ExactLimit = 4000;

    public string Id => convolutional ? "density-cnn" : "density";
    public string Title => convolutional
        ? "Spectral densities of a convolutional classifier's Fishers by SLQ (seed 003's CNN, synthetic images)"
        : "Spectral densities of Fisher approximations by SLQ (seed 003, synthetic data)";

    public SectionWork Prepare(ReportContext context, PartSettings settings)
    {
        // The CNN's quick run takes 100 images: its dense references (P = 932) and products cost several times the MLP's.
        int samples = settings.Int("samples", convolutional && context.Quick ? 100 : 200, 10, convolutional ? 20_000 : 100_000);
        int hidden = convolutional ? 0 : settings.Int("hidden", 16, 1, 1000);
        var architecture = convolutional ? settings.Parsed("arch", ReportArchitecture, ParseReportArchitecture) : null;
        int epochs = settings.Int("epochs", context.Quick ? 5 : 20, 0, 10_000);
        int probes = settings.Int("probes", context.Quick ? 10 : 20, 1, 10_000);
        int steps = settings.Int("steps", context.Quick ? 40 : 60, Numeric.Spectra.SlqMomentCheck.MinimumSteps, 10_000);
        settings.EnsureAllUsed();
        var settingsOfRun = new DensityExperimentSettings(DensityDataSet.Synthetic, samples, [hidden, hidden], HiddenActivation.Relu,
            new SgdSettings(epochs, 32, 0.05), new DensityOptions([FisherKind.Exact, FisherKind.MonteCarlo, FisherKind.Empirical, FisherKind.KroneckerFactored],
                [FisherBlocks.Full, FisherBlocks.LayerWise], DensityMethod.Slq, new SlqSettings(probes, steps), null, 1000, 1, ExactLimit, TopEigenvalues: 5),
            Convolutional: architecture);
        var estimate = architecture is null
            ? ExperimentCosts.Density(samples, DensityExperiment.SyntheticDimension, settingsOfRun.Hidden, DensityExperiment.SyntheticClasses,
                settingsOfRun.Density, settingsOfRun.Training)
            : ExperimentCosts.ConvolutionalDensity(architecture.Resolve(DensityExperiment.SyntheticImage, DensityExperiment.SyntheticClasses), samples,
                settingsOfRun.Density, settingsOfRun.Training);
        context.Reserve(estimate, $"[{Id}] with N = {samples}, {(architecture is null ? $"hidden {hidden},{hidden}" : $"CNN {architecture}")}, {probes} probes × {steps} steps",
            $"reduce samples, {(architecture is null ? "hidden" : "arch")}, probes or steps in [{Id}]");
        return progress => Run(context, settingsOfRun, architecture, progress);
    }

    /// <summary>An architecture for the synthetic images whose Fishers the section can check densely (P ≤ the exact limit).</summary>
    private static ConvolutionalArchitecture ParseReportArchitecture(string text)
    {
        var architecture = ConvolutionalArchitecture.Parse(text);
        int p = architecture.Resolve(DensityExperiment.SyntheticImage, DensityExperiment.SyntheticClasses).ParameterCount;
        return p <= ExactLimit ? architecture
            : throw new ArgumentException($"the network has {p} parameters on the {DensityExperiment.SyntheticImage} images, more than the {ExactLimit} the dense checks allow");
    }

    private ReportSection Run(ReportContext context, DensityExperimentSettings settings, ConvolutionalArchitecture? architecture, IProgress<ProgressStep>? progress)
    {
        var c = CultureInfo.InvariantCulture;
        int hidden = settings.Hidden[0], epochs = settings.Training.Epochs, probes = settings.Density.Slq.Probes, steps = settings.Density.Slq.Steps;
        var result = DensityExperiment.Run(settings, SeedSequence.FromSeed(context.Seed).Child(Id), progress);
        var (data, model, training, panels) = (result.Data, result.Model, result.Training, result.Panels);
        string network = architecture is null ? $"hidden {hidden},{hidden}" : $"CNN {architecture}";
        string caption = $"{data.Name}, N = {data.Count}, {network}, {epochs} epochs, seed {context.Seed}";
        string figure = architecture is null ? "density-six-panel" : "density-cnn-six-panel";
        string png = context.PathFor(figure + ".png"), svg = context.PathFor(figure + ".svg");
        // The figure is the seed's six panels; K-FAC (layer-wise only) is compared in the table and the text.
        var six = panels.Where(p => p.Kind != FisherKind.KroneckerFactored).ToArray();
        DensityFigure.Save(six, png, caption);
        DensityFigure.Save(six, svg, caption);

        string G(double? x) => x is double v ? v.ToString("G4", c) : "—";
        var rows = panels.Select(p => (IReadOnlyList<string>)
        [
            DensityFigure.Name(p.Kind), p.Blocks == FisherBlocks.Full ? "full" : "layer-wise", p.Dimension.ToString(c),
            $"{G(p.TraceEstimate)} ± {G(p.TraceStandardError)}", G(p.ExactTrace), G(p.LargestNode), G(p.LargestEigenvalue),
            G(p.Distance?.Wasserstein1), p.Moments is null ? "—" : G(p.Moments.Max(m => Math.Abs(m.Z))),
            p.TopEigenvalueError is double e ? e.ToString("0.0e+00", c) : "—", G(p.ToExactFisher?.Wasserstein1),
            p.ToExactFisher is { } d ? d.Overlap.ToString("F3", c) : "—",
        ]).ToList();
        string Blocks(FisherBlocks b) => b == FisherBlocks.Full ? "full" : "layer-wise";
        string measured = string.Join("; ", panels.Where(p => p.ToExactFisher is not null).Select(p =>
            $"{DensityFigure.Name(p.Kind)} / {Blocks(p.Blocks)}: W1 {G(p.ToExactFisher!.Wasserstein1)}, overlap {p.ToExactFisher.Overlap.ToString("F3", c)}"));
        var kfac = panels.FirstOrDefault(p => p.Kind == FisherKind.KroneckerFactored);
        var exactLayerWise = panels.FirstOrDefault(p => p.Kind == FisherKind.Exact && p.Blocks == FisherBlocks.LayerWise);
        string kfacText = kfac is null || exactLayerWise is null ? "" :
            $" K-FAC against the exact layer-wise Fisher: largest eigenvalue {G(kfac.LargestEigenvalue)} vs {G(exactLayerWise.LargestEigenvalue)}, "
            + $"trace {G(kfac.ExactTrace)} vs {G(exactLayerWise.ExactTrace)}.";

        var claims = new List<ClaimDecision>();
        foreach (var p in panels)
        {
            string id = $"density.{DensityFigure.Name(p.Kind)}.{(p.Blocks == FisherBlocks.Full ? "full" : "layerwise")}";
            if (p.Moments is { } ms)
                claims.Add(new ClaimDecision($"{id}.moments", "SLQ's Gauss rules reproduce each probe's vᵀFᵏv (k = 0…4) and their averages agree with tr(Fᵏ)/P",
                    $"quadrature to {Numeric.Spectra.SlqMomentCheck.QuadratureTolerance.ToString("G3", c)}·λ_maxᵏ per probe; averages within finite-sample bounds at family-wise α = {FisherDensityStudy.MomentCheckAlpha.ToString("G3", c)}",
                    $"largest quadrature error {ms.Max(m => m.QuadratureError).ToString("0.0e+00", c)}·λ_maxᵏ; max |Z| {ms.Skip(1).Max(m => Math.Abs(m.Z)).ToString("F2", c)}",
                    ms.All(m => m.Consistent) ? Verdict.Pass : Verdict.Fail)
                {
                    DetectableRelativeError = ms[1].DetectableRelativeError,
                    PowerNote = $"the probe average detects an error of {ms[1].DetectableRelativeError.ToString("P0", c)} in tr F (probability ≈ 0.9); the quadrature identity is exact",
                });
            if (p.TopEigenvalueError is double e)
                claims.Add(ClaimDecision.Of(ClaimVerdict.Decide(Claim.Always($"{id}.top-eigenvalues", $"the 5 largest eigenvalues by Lanczos match the dense ones to {FisherDensityStudy.TopEigenvalueTolerance.ToString("G3", c)}·λ_max"),
                    e <= FisherDensityStudy.TopEigenvalueTolerance ? 0 : 1, 1, 1e-6), $"max |Δ| = {e.ToString("0.0e+00", c)}·λ_max"));
        }
        foreach (var (kind, holds) in result.Interlacing)
            claims.Add(ClaimDecision.Of(ClaimVerdict.Decide(Claim.Always($"density.{DensityFigure.Name(kind)}.interlacing", "the layer-wise Fisher's largest eigenvalue is at most the full one's (Cauchy interlacing)"),
                holds ? 0 : 1, 1, 1e-6)));
        // A panel without its dense reference (P above the exact limit) could not be checked: UNDERPOWERED unless a claim fails.
        var verdict = ClaimSections.Verdict(claims);
        if (!result.AllPanelsChecked && verdict != SectionVerdict.Fail) verdict = SectionVerdict.Underpowered;

        var results = new JsonObject
        {
            ["data"] = data.Name, ["samples"] = data.Count, ["parameters"] = model.ParameterCount, ["epochs"] = epochs,
            ["architecture"] = architecture?.ToString(),
            ["trainingAccuracy"] = training.FinalAccuracy, ["probes"] = probes, ["steps"] = steps,
            ["panels"] = new JsonArray(panels.Select(p => (JsonNode)new JsonObject
            {
                ["fisher"] = DensityFigure.Name(p.Kind), ["blocks"] = p.Blocks == FisherBlocks.Full ? "full" : "layerwise",
                ["traceEstimate"] = p.TraceEstimate, ["traceStandardError"] = p.TraceStandardError, ["exactTrace"] = p.ExactTrace,
                ["largestNode"] = p.LargestNode, ["largestEigenvalue"] = p.LargestEigenvalue,
                ["wasserstein1ToExactDensity"] = p.Distance?.Wasserstein1, ["wasserstein1ToExactFisher"] = p.ToExactFisher?.Wasserstein1,
                ["overlapWithExactFisher"] = p.ToExactFisher?.Overlap,
                ["topEigenvalues"] = p.TopEigenvalues is { } top ? new JsonArray(top.Select(x => (JsonNode)x).ToArray()) : null,
                ["topEigenvalueRelativeError"] = p.TopEigenvalueError,
                ["maxAbsMomentZ"] = p.Moments?.Max(m => Math.Abs(m.Z)),
            }).ToArray()),
        };
        string described = architecture is null ? "a softmax MLP classifier"
            : "a convolutional softmax classifier (convolutions by im2col onto GEMM, ReLU, max-pooling, dense layers; K-FAC for convolutions "
              + "sums its input factor over the spatial locations and averages its output factor over them)";
        return new ReportSection(Id, Title,
            $"For {described}, the exact Fisher (model's class probabilities), the Monte Carlo Fisher (one sampled label "
            + "per input) and the empirical Fisher (data labels), each full and layer-wise, and K-FAC of the exact Fisher (layer-wise "
            + "E[ā āᵀ] ⊗ E[δ δᵀ]), are applied matrix-free; their spectral "
            + "densities are estimated by Stochastic Lanczos Quadrature (float64, full reorthogonalisation) and compared with dense "
            + "eigenvalues. Claims: each probe's Gauss rule reproduces its own quadratic forms vᵀFᵏv, k = 0…4 (exact for ≥ 3 Lanczos "
            + "steps), and the probe averages agree with tr(Fᵏ)/P within finite-sample bounds (Chernoff through the Gaussian "
            + $"moment-generating function, Maurer's bound below; family-wise false-alarm rate {FisherDensityStudy.MomentCheckAlpha.ToString("G3", c)}); "
            + "the 5 largest eigenvalues found matrix-free by "
            + $"Lanczos match the dense ones to {FisherDensityStudy.TopEigenvalueTolerance.ToString("G3", c)}·λ_max; the layer-wise spectrum lies inside the full one "
            + "(largest eigenvalue, Cauchy interlacing).",
            [new("data", data.Name), new("N", data.Count.ToString(c)),
             architecture is null ? new("hidden", $"{hidden},{hidden} (ReLU)") : new("architecture", $"{architecture} → dense{data.Classes}"),
             new("P", model.ParameterCount.ToString(c)),
             new("epochs", $"{epochs} (accuracy {training.FinalAccuracy.ToString("F3", c)})"), new("probes × steps", $"{probes} × {steps}"), new("seed", context.Seed.ToString(c))],
            new ReportTable(["Fisher", "blocks", "P", "trace (SLQ ± se)", "exact trace", "largest node", "largest eigenvalue", "W1 to dense", "max |Z| moments", "top-5 error / λ_max", "W1 to exact Fisher", "overlap with exact Fisher"], rows),
            verdict, [figure + ".png", figure + ".svg"], results,
            "W1 is the Wasserstein-1 distance between broadened densities on the grid; \"W1 to exact Fisher\" and \"overlap\" "
            + "(∫ min of the two unit-mass densities: 1 for the same shape) compare the MC, empirical or K-FAC Fisher's dense spectrum with the "
            + $"exact Fisher's with the same blocks, at the exact Fisher's σ. Measured: {measured}.{kfacText}")
        { Claims = claims };
    }
}

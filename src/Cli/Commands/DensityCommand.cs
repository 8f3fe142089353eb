using System.Globalization;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Plots;
using FimVerify.Numeric.Data;
using FimVerify.Numeric.Files;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Classifiers.Convolutional;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Spectra;

namespace FimVerify.Cli.Commands;

/// <summary>`density`: spectral densities of a softmax classifier's Fisher variants by SLQ or dense eigenvalues (seed 003).</summary>
public sealed class DensityCommand : ILongRunningCommand
{
    public string Path => "density";
    public string Summary => "Eigenvalue density of exact/MC/empirical/K-FAC Fisher (full or layer-wise) by SLQ, against dense eigenvalues when small.";
    public string Help => """
        Usage: fimverify density [--data synthetic|fashion-mnist] [--samples N] [--model mlp|cnn] [--hidden 16,16]
                                 [--activation relu|tanh] [--arch LAYERS]
                                 [--fisher exact|mc|emp|kfac|all|LIST] [--blocks full|layerwise|all] [--method slq|exact]
                                 [--probes K] [--steps M] [--probe-distribution rademacher|gaussian] [--sigma S] [--grid G]
                                 [--mc-labels m] [--epochs E] [--batch B] [--learning-rate η] [--exact-limit P] [--top k]
                                 [--seed N] [--data-dir DIR] [--plot FILE.png|FILE.svg] [--format text|json] [--quiet]
          --data           synthetic: 16-dimensional 4-class Gaussian mixture (separation 3); fashion-mnist: the
                           training images of Debian's dataset-fashion-mnist package (default synthetic)
          --samples N      inputs the Fisher averages over (default 200 synthetic, 1000 fashion-mnist)
          --model          mlp (fully connected, --hidden and --activation) or cnn (convolutional, --arch; the synthetic
                           data are then 12×12 images) (default mlp)
          --hidden         hidden widths of the MLP, comma-separated (default 16,16)
          --arch           the CNN's layers, input to output, comma-separated; the output layer (dense to the classes) is
                           added: conv<C>k<K>[s<S>][p<P>] (C channels, K×K kernel, stride S = 1, zero padding P = 0),
                           maxpool<K>[s<S>] and avgpool<K>[s<S>] (K×K windows, stride S = K), relu, tanh, dense<W>
                           (default conv4k3,relu,maxpool2,conv8k3,relu,maxpool2,dense512,relu, seed 003's Figure 1)
          --fisher         exact (model's probabilities), mc (m sampled labels per input), emp (data labels), kfac
                           (K-FAC of the exact Fisher, layer-wise only), all (= exact,mc,emp), or a comma-separated list (all,kfac)
          --blocks         full, layerwise (block-diagonal per layer), or all; all × all draws seed 003's six panels
                           (default full, layerwise when --fisher is kfac alone)
          --method         slq (matrix-free) or exact (dense eigenvalues, needs P ≤ --exact-limit)
          --probes K       SLQ start vectors (default 20); --steps M Lanczos steps per probe (default 100, at least 3)
          --sigma S        Gaussian broadening width (default: 1% of the largest eigenvalue estimate, reported)
          --grid G         density grid points (default 1000); --mc-labels m (default 1, as in the seed)
          --epochs E       SGD epochs before taking the density (default 0: at initialisation); --batch B (default 32),
                           --learning-rate η (default 0.05)
          --exact-limit P  materialise F and compare with its dense eigenvalues when P ≤ this (default 2000)
          --top k          also find the k largest eigenvalues matrix-free (Lanczos, full reorthogonalisation; default 0);
                           with the dense reference, the claim is |Δλ_i| ≤ 1e-8·λ_max
          --seed N         run seed (data, initialisation, SGD, MC labels and probes all derive from it; default 1)
          --data-dir DIR   where the Fashion-MNIST IDX files are (default /usr/share/datasets/fashion-mnist)
          --quiet          no progress on stderr (by default bars on a terminal, plain lines when redirected)
        When the dense reference is available, each SLQ panel reports W1 to it, moment errors, and the moment claim:
        |Z_k| ≤ z(1 − 0.001/8) for k = 1..4 with the exact null variance of the probes (Bonferroni, family-wise 0.001). Exit code 0 when every
        checked claim holds (or none was checkable), 1 when one fails, 2 on bad input.
        Example: fimverify density --data synthetic --hidden 16,16 --fisher all --blocks all --probes 20 --steps 60 --plot fig.png
        """;

    private static readonly string[] KindNames = ["exact", "mc", "emp", "kfac"];
    private static readonly string[] BlockChoices = ["full", "layerwise", "all"];

    public int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        string dataName = args.Choice("--data", ["synthetic", "fashion-mnist"], "synthetic");
        bool mnist = dataName == "fashion-mnist";
        int samples = args.Int("--samples", mnist ? 1000 : 200, 1, mnist ? 60000 : 1_000_000);
        bool cnn = args.Choice("--model", ["mlp", "cnn"], "mlp") == "cnn";
        if (cnn && (args.Has("--hidden") || args.Has("--activation")))
            throw new UsageException("The options --hidden and --activation apply to --model mlp; a CNN's layers and activations are given by --arch.");
        if (!cnn && args.Has("--arch")) throw new UsageException("The option --arch applies to --model cnn.");
        int[] hidden = ParseWidths(args.String("--hidden", "16,16"));
        var activation = args.Choice("--activation", ["relu", "tanh"], "relu") == "relu" ? HiddenActivation.Relu : HiddenActivation.Tanh;
        var architecture = cnn ? ParseArchitecture(args.String("--arch", ConvolutionalArchitecture.DefaultText)) : null;
        var kinds = ParseKinds(args.String("--fisher", "exact"));
        bool kfacAlone = kinds is [FisherKind.KroneckerFactored];
        var blockList = ExpandBlocks(args.Choice("--blocks", BlockChoices, kfacAlone ? "layerwise" : "full"));
        var method = args.Choice("--method", ["slq", "exact"], "slq") == "slq" ? DensityMethod.Slq : DensityMethod.Exact;
        int probes = args.Int("--probes", 20, 1, 100_000);
        // Gauss quadrature of m steps is exact to degree 2m − 1: the moment claims (k ≤ 4) need m ≥ 3.
        int steps = args.Int("--steps", 100, SlqMomentCheck.MinimumSteps, 10_000);
        var distribution = args.Choice("--probe-distribution", ["rademacher", "gaussian"], "rademacher") == "rademacher" ? ProbeDistribution.Rademacher : ProbeDistribution.Gaussian;
        double? sigma = args.Has("--sigma") ? args.Double("--sigma", 0, 0) : null;
        int grid = args.Int("--grid", 1000, 2, 1_000_000);
        int mcLabels = args.Int("--mc-labels", 1, 1, 100_000);
        int epochs = args.Int("--epochs", 0, 0, 10_000);
        int batch = args.Int("--batch", 32, 1, 1_000_000);
        double learningRate = args.Double("--learning-rate", 0.05, 0, 100);
        int exactLimit = args.Int("--exact-limit", 2000, 0, 20_000);
        int top = args.Int("--top", 0, 0, 1000);
        long seed = args.Long("--seed", 1);
        if (!mnist && args.Has("--data-dir")) throw new UsageException("The option --data-dir applies to --data fashion-mnist only.");
        string dataDir = args.String("--data-dir", FashionMnist.DefaultDirectory);
        string? plotPath = args.OptionalString("--plot");
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        var progress = ProgressReporter.Read(args, stderr);
        args.EnsureAllUsed();
        if (plotPath is not null && !plotPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase) && !plotPath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"The option --plot needs a file name ending in .png or .svg, but got '{plotPath}'.");
        if (plotPath is not null)
        {
            try { OutputFile.EnsureWritable(plotPath, $"the --plot file '{plotPath}'"); }
            catch (UnusableFileException e) { throw new UsageException(e.Message + "."); }
        }
        if (kfacAlone && blockList.SequenceEqual([FisherBlocks.Full]))
            throw new UsageException("K-FAC is block-diagonal by construction: use --blocks layerwise (or all) with --fisher kfac.");
        if (mnist && !FashionMnist.IsInstalled(dataDir))
            throw new UsageException(dataDir == FashionMnist.DefaultDirectory ? FashionMnist.InstallHint
                : $"No Fashion-MNIST IDX files in {dataDir}; install them with 'sudo apt-get install dataset-fashion-mnist' or point --data-dir at them.");

        var sgd = new SgdSettings(epochs, batch, learningRate);
        var options = new DensityOptions(kinds, blockList, method, new SlqSettings(probes, steps, distribution), sigma, grid, mcLabels, exactLimit, top);
        var settings = new DensityExperimentSettings(mnist ? DensityDataSet.FashionMnist : DensityDataSet.Synthetic, samples, hidden, activation, sgd, options, dataDir, architecture);
        if (architecture is not null) CheckConvolutionalNetwork(settings, architecture);
        else
            ResourceLimits.Check(ExperimentCosts.Density(samples, mnist ? FashionMnist.Side * FashionMnist.Side : DensityExperiment.SyntheticDimension, hidden,
                    mnist ? FashionMnist.Classes : DensityExperiment.SyntheticClasses, options, sgd),
                $"density with N = {samples}, hidden {string.Join(',', hidden)}, {probes} probes × {steps} steps", "reduce --samples, --hidden, --probes, --steps, --exact-limit, --top or --mc-labels");
        DensityExperimentResult result;
        try
        {
            result = progress.Run(sink => DensityExperiment.Run(settings, SeedSequence.FromSeed(seed), sink));
        }
        catch (InvalidDataException e) { throw new UsageException(e.Message); } // a damaged IDX file under --data-dir
        // The verdicts first: a plot that cannot be written afterwards loses no result.
        if (format == OutputFormat.Json) WriteJson(stdout, result, plotPath);
        else WriteText(stdout, result, plotPath);
        if (plotPath is not null)
            DensityFigure.Save(result.Panels, plotPath, $"{result.Data.Name}, N = {result.Data.Count}, "
                + (architecture is null ? $"hidden {string.Join(',', hidden)}" : $"CNN {architecture}") + $", {epochs} epochs, seed {seed}");
        return result.Holds ? 0 : 1;
    }

    private static ConvolutionalArchitecture ParseArchitecture(string text)
    {
        try { return ConvolutionalArchitecture.Parse(text); }
        catch (FormatException e) { throw new UsageException($"The option --arch needs comma-separated layers such as conv8k5p2,relu,maxpool2,dense128, but {e.Message}."); }
    }

    /// <summary>
    /// The CNN must fit its images (every kernel and window inside its padded input) and the machine: the whole run's memory,
    /// dense reference included, is estimated before anything is allocated.
    /// </summary>
    private static void CheckConvolutionalNetwork(DensityExperimentSettings settings, ConvolutionalArchitecture architecture)
    {
        ConvolutionalNetworkShape shape;
        try { shape = architecture.Resolve(settings.InputShape, settings.Classes); }
        catch (ArgumentException e) { throw new UsageException($"The option --arch does not fit the {settings.InputShape} images: {e.Message}."); }
        if (settings.Samples > shape.MaxSamples)
            throw new UsageException($"This CNN holds at most {shape.MaxSamples} images in one pass (its widest layer's outputs for all of them are one array); use fewer --samples.");
        ResourceLimits.Check(ExperimentCosts.ConvolutionalDensity(shape, settings.Samples, settings.Density, settings.Training),
            $"density of the CNN {architecture} (P = {shape.ParameterCount}) on {settings.Samples} images{(shape.ParameterCount <= settings.Density.ExactLimit ? " with a dense P×P reference" : "")}",
            "use fewer --samples, a smaller --arch, fewer --probes or --steps, or a lower --exact-limit");
    }

    private static int[] ParseWidths(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int k = 0; k < parts.Length; k++)
            if (!int.TryParse(parts[k], NumberStyles.Integer, CultureInfo.InvariantCulture, out widths[k]) || widths[k] < 1 || widths[k] > 100_000)
                throw new UsageException($"The option --hidden needs comma-separated widths between 1 and 100000, but got '{text}'.");
        return widths;
    }

    /// <summary>A comma-separated list of exact, mc, emp, kfac and all (= exact, mc, emp), each Fisher at most once, in the order given.</summary>
    private static FisherKind[] ParseKinds(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries).SelectMany(n => n == "all" ? ["exact", "mc", "emp"] : new[] { n }).ToArray();
        if (names.Any(n => !KindNames.Contains(n)) || names.Distinct().Count() != names.Length)
            throw new UsageException($"The option --fisher needs a list of distinct Fishers among {string.Join(", ", KindNames)} and all, but got '{text}'.");
        return names.Select(n => n switch
        {
            "exact" => FisherKind.Exact,
            "mc" => FisherKind.MonteCarlo,
            "emp" => FisherKind.Empirical,
            _ => FisherKind.KroneckerFactored,
        }).ToArray();
    }

    private static FisherBlocks[] ExpandBlocks(string blocks) => blocks switch
    {
        "full" => [FisherBlocks.Full],
        "layerwise" => [FisherBlocks.LayerWise],
        _ => [FisherBlocks.Full, FisherBlocks.LayerWise],
    };

    private static string BlocksName(FisherBlocks b) => b == FisherBlocks.Full ? "full" : "layerwise";

    private static void WriteText(TextWriter o, DensityExperimentResult r, string? plotPath)
    {
        var c = CultureInfo.InvariantCulture;
        var (data, model, training, s, panels) = (r.Data, r.Model, r.Training, r.Settings.Density, r.Panels);
        int epochs = r.Settings.Training.Epochs;
        o.WriteLine($"Fisher spectral density: {data.Name}, N = {data.Count}, " + (model is SoftmaxClassifier mlp
            ? $"widths {string.Join('-', mlp.Widths)} ({mlp.Activation})" : model.Description) + $", P = {model.ParameterCount}");
        // Rows of a panel are indented under its heading; a checked claim's verdict is a cell of its own.
        var table = new ResultTable(new("", -24), new(""), new("", 0, ": ")) { Indent = "  " };
        table.Add("training", string.Format(c, "{0} epochs: loss {1:F4} → {2:F4}, accuracy {3:F3} → {4:F3}", epochs, training.InitialLoss, training.FinalLoss, training.InitialAccuracy, training.FinalAccuracy), "");
        table.Add("method", s.Method == DensityMethod.Slq
            ? $"SLQ, {s.Slq.Probes} {s.Slq.Distribution} probes × {Math.Min(s.Slq.Steps, model.ParameterCount)} Lanczos steps"
              + (s.Slq.Steps > model.ParameterCount ? $" (capped at P; {s.Slq.Steps} asked)" : "") + " (float64, full reorthogonalisation, probes in lockstep)"
            : "dense eigenvalues", "");
        foreach (var p in panels)
        {
            table.AddSection($"fisher_{DensityFigure.Name(p.Kind)} / {BlocksName(p.Blocks)}");
            table.Add("  σ, grid", string.Format(c, "{0:G4} on [{1:G4}, {2:G4}], {3} points", p.Density.Sigma, p.Density.Grid.Lower, p.Density.Grid.Upper, p.Density.Grid.Count), "");
            table.Add("  trace", string.Format(c, "{0:G6}{1}{2}", p.TraceEstimate, double.IsFinite(p.TraceStandardError) && p.TraceStandardError > 0 ? string.Format(c, " ± {0:G3} (SE)", p.TraceStandardError) : "",
                p.ExactTrace is double t ? string.Format(c, "   exact {0:G6}", t) : ""), "");
            table.Add("  largest eigenvalue", string.Format(c, "{0:G6}{1}", p.LargestNode, p.LargestEigenvalue is double l ? string.Format(c, "   exact {0:G6}", l) : ""), "");
            if (p.TopEigenvalues is { } topValues)
                table.Add("  top eigenvalues", string.Format(c, "{0} (Lanczos){1}", string.Join(", ", topValues.Select(x => x.ToString("G6", c))),
                    p.TopEigenvalueError is double e ? string.Format(c, "; max |Δ| vs dense = {0:0.0e+00}·λ_max", e) : ""),
                    p.TopEigenvalueError is double err ? (err <= FisherDensityStudy.TopEigenvalueTolerance ? "PASS" : "FAIL") : "");
            if (p.Distance is { } d)
                table.Add("  distance to exact", string.Format(c, "W1 {0:G3}; relative moment errors k=1..4: {1}", d.Wasserstein1, string.Join(", ", d.MomentRelativeErrors.Select(e => e.ToString("0.0e+00", c)))), "");
            if (p.ToExactFisher is { } toExact)
                table.Add("  vs exact Fisher", string.Format(c, "W1 {0:G3}, overlap {1:F3} between the dense densities (σ of fisher_exact / {2})", toExact.Wasserstein1, toExact.Overlap, BlocksName(p.Blocks)), "");
            if (p.Moments is { } ms)
                table.Add("  moment claim", string.Format(c, "quadrature = vᵀAᵏv to {0:0.0e+00}·λ_maxᵏ per probe (weights sum to 1 within {1:0.0e+00}); "
                    + "probe averages within their finite-sample bounds (α = {2:G3}), max |Z| = {3:F2}; detects a {4:P0} error in tr F",
                    ms.Max(m => m.QuadratureError), Math.Abs(ms[0].Estimate - 1), FisherDensityStudy.MomentCheckAlpha, ms.Skip(1).Max(m => Math.Abs(m.Z)),
                    ms[1].DetectableRelativeError), ms.All(m => m.Consistent) ? "PASS" : "FAIL");
        }
        foreach (var (kind, holds) in r.Interlacing)
            table.Add("interlacing", $"fisher_{DensityFigure.Name(kind)}: layer-wise largest eigenvalue ≤ full one's", holds ? "PASS" : "FAIL");
        if (plotPath is not null) table.Add("plot", plotPath, "");
        table.Add("verdict", r.Verdict, "");
        table.WriteTo(o);
    }

    private static void WriteJson(TextWriter o, DensityExperimentResult r, string? plotPath)
    {
        var (data, model, training, s, panels) = (r.Data, r.Model, r.Training, r.Settings.Density, r.Panels);
        int epochs = r.Settings.Training.Epochs;
        o.WriteLine(JsonOutput.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("data", data.Name); w.WriteNumber("samples", data.Count);
            if (model is SoftmaxClassifier mlp)
            {
                w.WriteString("model", "mlp");
                w.WriteStartArray("widths"); foreach (int x in mlp.Widths) w.WriteNumberValue(x); w.WriteEndArray();
                w.WriteString("activation", mlp.Activation.ToString().ToLowerInvariant());
            }
            else if (model is ConvolutionalClassifier cnn)
            {
                w.WriteString("model", "cnn");
                w.WriteString("architecture", cnn.Shape.Architecture.ToString());
                w.WriteStartArray("inputShape"); foreach (int x in new[] { cnn.Shape.Input.Height, cnn.Shape.Input.Width, cnn.Shape.Input.Channels }) w.WriteNumberValue(x); w.WriteEndArray();
                w.WriteStartArray("layerParameters"); for (int l = 0; l < cnn.LayerCount; l++) w.WriteNumberValue(cnn.LayerBlock(l).Length); w.WriteEndArray();
            }
            w.WriteNumber("parameters", model.ParameterCount);
            w.WriteNumber("epochs", epochs); w.Number("initialLoss", training.InitialLoss); w.Number("finalLoss", training.FinalLoss);
            w.WriteString("method", s.Method == DensityMethod.Slq ? "slq" : "exact");
            w.WriteNumber("probes", s.Slq.Probes); w.WriteNumber("steps", s.Slq.Steps);
            w.WriteString("probeDistribution", s.Slq.Distribution.ToString().ToLowerInvariant());
            w.WriteStartArray("panels");
            foreach (var p in panels)
            {
                w.WriteStartObject();
                w.WriteString("fisher", DensityFigure.Name(p.Kind)); w.WriteString("blocks", BlocksName(p.Blocks));
                w.Number("sigma", p.Density.Sigma);
                w.Number("gridLower", p.Density.Grid.Lower); w.Number("gridUpper", p.Density.Grid.Upper); w.WriteNumber("gridPoints", p.Density.Grid.Count);
                w.Number("trace", p.TraceEstimate);
                if (double.IsFinite(p.TraceStandardError)) w.Number("traceStandardError", p.TraceStandardError);
                if (p.ExactTrace is double t) w.Number("exactTrace", t);
                w.Number("largestNode", p.LargestNode);
                if (p.LargestEigenvalue is double l) w.Number("largestEigenvalue", l);
                if (p.TopEigenvalues is { } topValues) { w.WriteStartArray("topEigenvalues"); foreach (double x in topValues) w.WriteNumberValue(x); w.WriteEndArray(); }
                if (p.TopEigenvalueError is double topError) w.Number("topEigenvalueRelativeError", topError);
                if (p.Distance is { } d)
                {
                    w.Number("wasserstein1", d.Wasserstein1); w.Number("overlap", d.Overlap);
                    w.WriteStartArray("momentRelativeErrors"); foreach (double e in d.MomentRelativeErrors) w.WriteNumberValue(e); w.WriteEndArray();
                }
                if (p.ToExactFisher is { } toExact) { w.Number("wasserstein1ToExactFisher", toExact.Wasserstein1); w.Number("overlapWithExactFisher", toExact.Overlap); }
                if (p.Moments is { } ms)
                {
                    w.WriteStartArray("momentChecks");
                    foreach (var m in ms)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("power", m.Power); w.Number("estimate", m.Estimate); w.Number("standardError", m.StandardError); w.Number("exact", m.Exact);
                        w.Number("nullStandardError", m.NullStandardError);
                        if (double.IsFinite(m.Z)) w.Number("z", m.Z);
                        w.Number("quadratureError", m.QuadratureError);
                        if (m.Power > 0)
                        {
                            w.Number("upperDeviation", m.UpperDeviation); w.Number("lowerDeviation", m.LowerDeviation);
                            if (double.IsFinite(m.DetectableRelativeError)) w.Number("detectableRelativeError", m.DetectableRelativeError);
                        }
                        w.WriteBoolean("consistent", m.Consistent);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteStartArray("grid"); foreach (double x in p.Density.Grid.Points()) w.WriteNumberValue(x); w.WriteEndArray();
                w.WriteStartArray("density"); foreach (double x in p.Density.Values) w.WriteNumberValue(x); w.WriteEndArray();
                if (p.Exact is not null) { w.WriteStartArray("exactDensity"); foreach (double x in p.Exact.Values) w.WriteNumberValue(x); w.WriteEndArray(); }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("interlacing");
            foreach (var (kind, holds) in r.Interlacing)
            {
                w.WriteStartObject(); w.WriteString("fisher", DensityFigure.Name(kind)); w.WriteBoolean("holds", holds); w.WriteEndObject();
            }
            w.WriteEndArray();
            if (plotPath is not null) w.WriteString("plot", plotPath);
            w.WriteString("verdict", r.Verdict);
            w.WriteEndObject();
        }));
    }
}

using FimVerify.Numeric.Data;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Spectra;

public enum DensityMethod { Slq, Exact }

/// <summary>Which Fishers' densities to take, and how.</summary>
/// <param name="Sigma">Broadening width, or null for <see cref="FisherDensityStudy.AutomaticSigma"/>.</param>
/// <param name="MonteCarloSamples">Labels drawn per input for the Monte Carlo Fisher (m = 1 in seed 003).</param>
/// <param name="ExactLimit">Largest P for which each operator is also materialised and its dense eigenvalues taken.</param>
/// <param name="TopEigenvalues">How many largest eigenvalues <see cref="LanczosSolver"/> finds matrix-free per panel (0: none).</param>
public sealed record DensityOptions(
    IReadOnlyList<FisherKind> Kinds,
    IReadOnlyList<FisherBlocks> Blocks,
    DensityMethod Method,
    SlqSettings Slq,
    double? Sigma,
    int GridPoints,
    int MonteCarloSamples,
    int ExactLimit,
    int TopEigenvalues = 0);

/// <summary>What seed 003's study needs: a classifier on a data set, the options, and the seed of MC labels and probes.</summary>
public sealed record FisherDensitySettings(IDifferentiableClassifier Model, ClassificationSet Data, DensityOptions Options, SeedSequence Seed);

/// <summary>One panel: a Fisher variant's density, and the exact density on the same grid when P ≤ the exact limit.</summary>
public sealed record FisherDensityPanel(
    FisherKind Kind,
    FisherBlocks Blocks,
    int Dimension,
    SpectralDensity Density,
    SpectralDensity? Exact,
    DensityDistance? Distance,
    double TraceEstimate,
    double TraceStandardError,
    double? ExactTrace,
    double LargestNode,
    double? LargestEigenvalue,
    IReadOnlyList<MomentComparison>? Moments)
{
    /// <summary>
    /// For the MC, empirical and K-FAC Fishers: how far this operator's dense-eigenvalue density lies from the exact
    /// Fisher's (same blocks, the exact Fisher's σ, a grid covering both): W1, moment errors and overlap, when both were materialised.
    /// </summary>
    public DensityDistance? ToExactFisher { get; init; }

    /// <summary>The largest eigenvalues by <see cref="LanczosSolver"/> (descending), when asked for.</summary>
    public double[]? TopEigenvalues { get; init; }

    /// <summary>max_i |Lanczos λ_i − dense λ_i| / λ_max over the top eigenvalues, when both exist.</summary>
    public double? TopEigenvalueError { get; init; }
}

/// <summary>
/// The library entry point behind `fimverify density`: builds each requested Fisher operator of the model on
/// the data and takes its density by SLQ (matrix-free) or from dense eigenvalues, adding the dense reference
/// when the operator is small enough to materialise.
/// </summary>
public static class FisherDensityStudy
{
    /// <summary>Family-wise false-alarm rate of the moment check reported with each panel.</summary>
    public const double MomentCheckAlpha = 1e-3;

    /// <summary>The claim on matrix-free top eigenvalues: within this fraction of λ_max of the dense ones.</summary>
    public const double TopEigenvalueTolerance = 1e-8;

    /// <summary>σ when none is given: 1% of the largest node, the scale on which the seed's plots resolve the bulk.</summary>
    public static double AutomaticSigma(IEnumerable<QuadratureRule> rules)
    {
        double top = rules.Max(r => r.Nodes.Max(Math.Abs));
        if (!(top > 0)) throw new NumericalException("the operator looks like zero (largest node 0); give --sigma explicitly");
        return 0.01 * top;
    }

    /// <summary>The panels; <paramref name="progress"/> has one stage per panel (its Lanczos steps, the dense solve, the top eigenvalues).</summary>
    public static IReadOnlyList<FisherDensityPanel> Run(FisherDensitySettings s, IProgress<ProgressStep>? progress = null)
    {
        if (s.Options.Sigma is double given && (!(given > 0) || !double.IsFinite(given))) throw new ArgumentException("the broadening width σ must be positive and finite");
        if (s.Options.Method == DensityMethod.Exact && s.Model.ParameterCount > s.Options.ExactLimit)
            throw new ArgumentException($"the exact method materialises a {s.Model.ParameterCount}×{s.Model.ParameterCount} matrix, above the limit of {s.Options.ExactLimit} parameters; use SLQ");
        // K-FAC is block-diagonal by construction: it has a layer-wise panel only.
        var combinations = s.Options.Kinds.SelectMany(kind => s.Options.Blocks.Select(blocks => (kind, blocks)))
            .Where(x => x.kind != FisherKind.KroneckerFactored || x.blocks == FisherBlocks.LayerWise).ToArray();
        if (combinations.Length == 0) throw new ArgumentException("no panel to compute (K-FAC exists with layer-wise blocks only)");
        var panels = new List<FisherDensityPanel>();
        foreach (var (kind, blocks) in combinations)
        {
            var op = Operator(s, kind, blocks);
            bool materialise = op.Dimension <= s.Options.ExactLimit;
            int k = Math.Min(s.Options.TopEigenvalues, op.Dimension);
            var counter = new ProgressCounter(progress, $"density panel {panels.Count + 1}/{combinations.Length}: {kind} Fisher, {blocks}",
                (s.Options.Method == DensityMethod.Slq ? StochasticLanczosQuadrature.LockstepSteps(op, s.Options.Slq) : 0) + (materialise ? 1 : 0) + (k > 0 ? 1 : 0));
            var dense = materialise ? op.Materialize() : null;
            double[]? eigenvalues = dense is null ? null : DenseSymmetricEigen.Eigenvalues(dense);
            if (materialise) counter.Advance();
            var exactRule = eigenvalues is null ? null : QuadratureRule.FromEigenvalues(eigenvalues);
            IReadOnlyList<QuadratureRule> rules;
            SlqResult? slqResult = null;
            double trace, traceSe;
            if (s.Options.Method == DensityMethod.Exact)
            {
                rules = [exactRule!];
                trace = exactRule!.Moment(1) * op.Dimension; traceSe = 0;
            }
            else
            {
                var slq = StochasticLanczosQuadrature.Run(op, s.Options.Slq, s.Seed.Child("slq").Child($"{kind}/{blocks}"), counter);
                rules = slq.Rules;
                slqResult = slq;
                if (rules.Count >= 2)
                {
                    var (mean, se) = HutchinsonTrace.MeanAndStandardError(slq.ProbeMoments(1));
                    trace = mean * op.Dimension; traceSe = se * op.Dimension;
                }
                else { trace = rules[0].Moment(1) * op.Dimension; traceSe = double.NaN; }
            }
            var all = exactRule is null ? rules : rules.Append(exactRule).ToArray();
            double sigma = s.Options.Sigma ?? AutomaticSigma(all);
            double scale = all.Max(r => r.Nodes.Max(Math.Abs));
            // A width far beyond the spectrum turns the density into one Gaussian of width σ: it shows σ, not the spectrum
            // (and at 1e300 its moments overflow to NaN).
            if (sigma > 100 * scale)
                throw new ArgumentException($"the broadening width σ = {sigma:G3} is more than 100 times the largest eigenvalue estimate {scale:G3} of fisher {kind}/{blocks}, so the density would show σ rather than the spectrum; give a smaller --sigma");
            var grid = DensityGrid.Covering(all, sigma, s.Options.GridPoints);
            // The trapezoidal rule on a Gaussian of width σ errs by about 2·exp(−2π²σ²/h²): ≤ 3e-9 for a step h ≤ σ.
            if (grid.Step > sigma)
                throw new ArgumentException($"the broadening width σ = {sigma:G3} is below the grid spacing {grid.Step:G3} of fisher {kind}/{blocks}, so the density would be undersampled; raise σ or the grid points");
            var density = new SpectralDensity(rules, sigma, grid);
            SpectralDensity? exact = exactRule is null ? null : new SpectralDensity([exactRule], sigma, grid);
            var distance = exact is null || s.Options.Method == DensityMethod.Exact ? null : DensityDistance.Between(density, exact);
            var top = k > 0 ? LanczosSolver.TopEigenvalues(op, k, s.Seed.Child("top").Child($"{kind}/{blocks}")) : null;
            counter.Complete();
            double? topError = top is null || eigenvalues is null ? null
                : top.Select((t, i) => Math.Abs(t - eigenvalues[^(i + 1)])).Max() / Math.Max(Math.Abs(eigenvalues[^1]), double.Epsilon);
            RequireFinite(kind, blocks, density, distance, trace);
            panels.Add(new FisherDensityPanel(kind, blocks, op.Dimension, density, exact, distance, trace, traceSe,
                exactRule is null ? null : exactRule.Moment(1) * op.Dimension,
                rules.Max(r => r.Nodes.Max()), eigenvalues?[^1],
                eigenvalues is not null && slqResult is not null && rules.Count >= 2
                    ? SlqMomentCheck.Compare(slqResult, dense!, eigenvalues, MomentCheckAlpha) : null)
            { TopEigenvalues = top, TopEigenvalueError = topError });
            ReleaseLargeBuffers(op.Dimension, s.Options, materialise);
        }
        return panels.Select(p => p with { ToExactFisher = DistanceToExactFisher(p, panels, s.Options.GridPoints) }).ToArray();
    }

    /// <summary>
    /// A panel's Lanczos bases (probes × steps × P doubles: 1.1 GB at P = 7·10⁴, 1.75 GB for the Fashion-MNIST CNN) and dense
    /// matrix are garbage once it is done, but on a machine with memory to spare the GC's large-object budget lets them pile up:
    /// six panels of a P = 7·10⁴ MLP held 4.0 GB resident against 1.2 GB for one (the CNN's six: 10.4 GB). Collecting after a
    /// panel that allocated more than 256 MB keeps the peak at one panel's, which is what the memory estimate counts.
    /// </summary>
    private static void ReleaseLargeBuffers(long dimension, DensityOptions options, bool materialised)
    {
        double bytes = 8.0 * dimension * ((double)options.Slq.Probes * options.Slq.Steps + (materialised ? dimension : 0));
        if (bytes > 256.0 * 1024 * 1024) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
    }

    /// <summary>Numbers a panel reports must be finite: otherwise numerical trouble naming the panel, never NaN printed as a result.</summary>
    private static void RequireFinite(FisherKind kind, FisherBlocks blocks, SpectralDensity density, DensityDistance? distance, double trace)
    {
        string? bad = !double.IsFinite(trace) ? "the trace"
            : density.Values.Any(v => !double.IsFinite(v)) ? "the density"
            : distance is not null && (!double.IsFinite(distance.Wasserstein1) || !double.IsFinite(distance.Overlap)) ? "the distance to the exact density"
            : distance is not null && distance.MomentRelativeErrors.Any(e => !double.IsFinite(e)) ? "a moment error"
            : null;
        if (bad is not null) throw new NumericalException($"{bad} of fisher {kind}/{blocks} is not finite");
    }

    /// <summary>The Fisher operator of a panel; K-FAC approximates the exact Fisher (its G_l average the exact output curvature).</summary>
    public static ISymmetricOperator Operator(FisherDensitySettings s, FisherKind kind, FisherBlocks blocks) => kind == FisherKind.KroneckerFactored
        ? KroneckerFactoredFisher.Create(s.Model, s.Data.Features, s.Data.Labels, FisherKind.Exact, s.Options.MonteCarloSamples, s.Seed.Child("fisher"))
        : ClassifierFisher.Create(s.Model, s.Data.Features, s.Data.Labels, kind, blocks, s.Options.MonteCarloSamples, s.Seed.Child("fisher"));

    private static DensityDistance? DistanceToExactFisher(FisherDensityPanel p, IReadOnlyList<FisherDensityPanel> panels, int gridPoints)
    {
        var reference = panels.FirstOrDefault(q => q.Kind == FisherKind.Exact && q.Blocks == p.Blocks);
        if (p.Kind == FisherKind.Exact || p.Exact is null || reference?.Exact is null) return null;
        var rules = new[] { p.Exact.Rules[0], reference.Exact.Rules[0] };
        double sigma = reference.Exact.Sigma;
        var grid = DensityGrid.Covering(rules, sigma, gridPoints);
        return DensityDistance.Between(new SpectralDensity([rules[0]], sigma, grid), new SpectralDensity([rules[1]], sigma, grid));
    }
}

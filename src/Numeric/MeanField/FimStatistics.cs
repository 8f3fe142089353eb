using FimVerify.Numeric.Activations;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.MeanField;

/// <summary>The parameters of the FIM-statistics experiment behind `fim-stats`: K networks of one architecture.</summary>
public sealed record FimStatsParameters(IActivation Activation, NetworkShape Shape, int Width, int Samples, int Outputs,
    FimVariant Variant, long Seed, int Trials)
{
    /// <summary>The address of the experiment's randomness: trial k draws from (seed, "fim-stats", k).</summary>
    public const string Experiment = "fim-stats";

    /// <summary>How many top eigenvalues λ_max is compared as the mean of: C, or C − 1 for softmax (Q·1 = 0).</summary>
    public int TopCount => Variant == FimVariant.Softmax ? Math.Max(1, Outputs - 1) : Outputs;

    /// <summary>The largest dual, C·T rows: its eigenvalues alone cost about (4/3)(CT)³ flops (25 s at 10⁴ on two cores).</summary>
    public const int MaxDualSize = 10_000;

    public FimStatsParameters Validated()
    {
        if (Shape.Depth < 2) throw new ArgumentException("the FIM statistics need at least one hidden layer (depth ≥ 2), since α = 0 at depth 1");
        if (Width < 2 || Samples < 2 || Outputs < 1) throw new ArgumentException("the width and the samples must be at least 2, the outputs at least 1");
        if ((long)Outputs * Samples > MaxDualSize) throw new ArgumentException($"the dual has C·T = {(long)Outputs * Samples} rows; keep C·T at most {MaxDualSize}");
        if (Trials < 1) throw new ArgumentException("at least one trial is needed");
        if (LargestArray() > Array.MaxLength)
            throw new ArgumentException($"a weight matrix or backward signal would have {LargestArray():G3} entries, more than an array holds ({Array.MaxLength})");
        return this;
    }

    /// <summary>M_0 … M_L in doubles (so that huge width ratios cannot overflow before they are refused).</summary>
    private double[] LayerWidths()
    {
        var w = new double[Shape.Depth + 1];
        for (int l = 0; l < Shape.Depth; l++) w[l] = Math.Max(1, Math.Round(Shape.WidthRatios[l] * Width));
        w[Shape.Depth] = Outputs;
        return w;
    }

    /// <summary>Entries of the largest array a trial allocates: a weight matrix M_l × M_(l−1) or a backward signal CT × M_l.</summary>
    public double LargestArray()
    {
        var w = LayerWidths();
        double n = (double)Outputs * Samples, largest = n * n;
        for (int l = 1; l < w.Length; l++) largest = Math.Max(largest, Math.Max(w[l] * w[l - 1], n * w[l]));
        return largest;
    }
}

/// <summary>One metric's spectrum measured on one network: its statistics (λ_max as the top-count mean), λ₁ and the top eigenvalues.</summary>
public sealed record MetricMeasurement(EigenvalueStatistics Statistics, double Largest, double[] Top);

/// <summary>
/// One trial's measurements: one metric (one per layer for blocks), the structural claim's quantity when the variant has
/// one (null for regression when the dual has no (C+1)-th eigenvalue, and for NTK, blocks and input), for softmax the
/// per-network prediction (<see cref="Predictions.Softmax"/> of the network's own Q statistics), and for mean-subtracted
/// ĉ₂ = (Σλ² − (Σλ)²/(C(T − 1)))/M of F̄ (<see cref="MeanSubtractionBounds.C2"/>).
/// </summary>
public sealed record FimStatsTrial(long Trial, IReadOnlyList<MetricMeasurement> Metrics, double? ClaimQuantity, EigenvalueStatistics? SoftmaxPrediction,
    double? MeanSubtractionC2 = null);

/// <summary>
/// The mean-subtraction bounds ρα(κ₁ − κ₂) + c₁ ≤ λ_max(F̄) ≤ √((Cα²ρ(κ₁ − κ₂)² + c₂)M) over the trials, ρ = M/T: the lower
/// bound with c₁ = 0, λ_max(F̄) (trial mean and standard error; ĉ₁ = λ_max(F̄) − ρα(κ₁ − κ₂) has the same standard error),
/// ĉ₂ (trial mean and standard error) and the upper bound at the mean ĉ₂. The sources leave c₁ and c₂ unspecified.
/// </summary>
public sealed record MeanSubtractionSummary(double Rho, double LowerBound, double LambdaMax, double LambdaMaxStdErr, double C2, double C2StdErr,
    double UpperBound)
{
    /// <summary>The measured ĉ₁: the mean λ_max(F̄) above the lower bound.</summary>
    public double C1 => LambdaMax - LowerBound;
}

/// <summary>A predicted statistic against the measured mean over trials, with its standard error (NaN for one trial or no prediction).</summary>
public sealed record StatisticComparison(double Predicted, double Measured, double StandardError)
{
    public double Ratio => Measured / Predicted;
}

/// <summary>One compared metric over all trials. <paramref name="Block"/> is the layer l of F_ll, or null.</summary>
public sealed record FimStatsMetric(int? Block, StatisticComparison Mean, StatisticComparison SecondMoment, StatisticComparison LambdaMax,
    double Largest, double[] Top);

/// <summary>A structural claim decided on one trial: "Statement" holds iff the "Quantity" has the stated value range.</summary>
public sealed record FimStatsClaim(long Trial, string Statement, string Quantity, double Value, bool Holds);

/// <param name="MeanSubtraction">The bounds for the mean-subtracted variant, null for the others.</param>
public sealed record FimStatsResult(FimStatsParameters Parameters, Shard Shard, OrderParameters OrderParameters, double CriticalLearningRate,
    long TrialsRun, IReadOnlyList<FimStatsMetric> Metrics, IReadOnlyList<FimStatsClaim> Claims, MeanSubtractionSummary? MeanSubtraction = null)
{
    public bool Holds => Claims.All(c => c.Holds);
}

/// <summary>
/// The library entry point behind `fim-stats`: samples random MLPs, measures the requested metric's spectrum through its
/// CT×CT dual and compares m_λ, s_λ and λ_max with the mean-field predictions (MATH.md §2); decides the variant's
/// structural claim per trial (for mean-subtracted also the lower bound with c₁ = 0). Trials are pure functions of (seed, k),
/// so <see cref="RunTrials"/> on disjoint shards followed by <see cref="Analyse"/> on their union gives exactly <see cref="Run"/>.
/// </summary>
public static class FimStatistics
{
    public static FimStatsResult Run(FimStatsParameters parameters, Shard shard = default)
    {
        shard = shard.Count == 0 ? Shard.All : shard;
        var prediction = Predict(parameters.Validated());
        return Analyse(parameters, prediction, RunTrials(parameters, prediction, shard), shard);
    }

    /// <summary>The trials k of <paramref name="shard"/>, in increasing k; <paramref name="progress"/> counts the networks.</summary>
    public static IReadOnlyList<FimStatsTrial> RunTrials(FimStatsParameters parameters, Shard shard, IProgress<ProgressStep>? progress = null) =>
        RunTrials(parameters, Predict(parameters.Validated()), shard, progress);

    /// <summary>
    /// As above with the experiment's <see cref="Predict">prediction</see> already made: a caller that also analyses the trials
    /// computes the order parameters (by quadrature for most smooth activations) once rather than twice.
    /// </summary>
    public static IReadOnlyList<FimStatsTrial> RunTrials(FimStatsParameters parameters, Predictions prediction, Shard shard,
        IProgress<ProgressStep>? progress = null)
    {
        parameters.Validated();
        RequireMeaningful(parameters, prediction);
        return RunTrials(parameters, Task.FromResult(prediction), shard, progress);
    }

    /// <summary>
    /// As above with the prediction still being made (a task the caller started), for the time when a core would otherwise idle (the
    /// first network's JIT-compiled kernels, the serial steps, the dual's eigenvalues on one core): each trial checks the prediction
    /// before its forward pass when it is made by then, otherwise waits for it (and checks it) once its spectra are measured. The
    /// order parameters of a smooth activation take tens of ms of quadrature on one core.
    /// </summary>
    public static IReadOnlyList<FimStatsTrial> RunTrials(FimStatsParameters parameters, Task<Predictions> prediction, Shard shard,
        IProgress<ProgressStep>? progress = null)
    {
        parameters.Validated();
        shard = shard.Count == 0 ? Shard.All : shard;
        // The progress starts once the prediction is known to be meaningful: a failure is then the only thing the user sees.
        ProgressCounter? counter = null;
        Predictions Checked()
        {
            var ready = prediction.GetAwaiter().GetResult();
            RequireMeaningful(parameters, ready);
            return ready;
        }
        Predictions Ready()
        {
            var ready = Checked();
            counter ??= new ProgressCounter(progress, $"fim-stats networks at M = {parameters.Width}", shard.CountOf(parameters.Trials));
            return ready;
        }
        Predictions? ReadyIfMade() => prediction.IsCompleted ? Ready() : null;
        var trials = shard.Trials(parameters.Trials).Select(k =>
        {
            FimStatsTrial trial;
            try { trial = RunTrial(parameters, ReadyIfMade, Ready, k); }
            catch
            {
                Checked(); // a failed or meaningless prediction is what the user hears about, whichever failed first
                throw;
            }
            counter!.Advance();
            return trial;
        }).ToList();
        if (counter is null) Ready();
        return trials;
    }

    /// <summary>Statistics, ratios and claims over the given trials (sorted by trial; any subset, e.g. one shard's).</summary>
    public static FimStatsResult Analyse(FimStatsParameters parameters, IReadOnlyList<FimStatsTrial> trials, Shard shard) =>
        Analyse(parameters, Predict(parameters.Validated()), trials, shard);

    /// <summary>As above with the experiment's <see cref="Predict">prediction</see> already made.</summary>
    public static FimStatsResult Analyse(FimStatsParameters parameters, Predictions prediction, IReadOnlyList<FimStatsTrial> trials, Shard shard)
    {
        parameters.Validated();
        if (trials.Count == 0) throw new ArgumentException("no trials to analyse");
        var ordered = trials.OrderBy(t => t.Trial).ToList();
        int metrics = ordered[0].Metrics.Count;
        if (ordered.Any(t => t.Metrics.Count != metrics)) throw new ArgumentException("every trial must measure the same metrics");
        RequireMeaningful(parameters, prediction);
        var rows = Enumerable.Range(0, metrics).Select(i => Metric(parameters, prediction, ordered, i)).ToList();
        var claims = ordered.Where(t => t.ClaimQuantity is not null).Select(t => Claim(parameters.Variant, t.Trial, t.ClaimQuantity!.Value)).ToList();
        MeanSubtractionSummary? bounds = null;
        if (parameters.Variant == FimVariant.MeanSubtracted)
        {
            var b = Bounds(parameters, prediction);
            if (ordered.Any(t => t.MeanSubtractionC2 is null)) throw new ArgumentException("every mean-subtracted trial must carry its ĉ₂");
            claims.AddRange(ordered.Select(t => LowerBoundClaim(t.Trial, t.Metrics[0].Largest - b.LowerBound)));
            var (lambda, lambdaSe) = MeanAndStandardError(ordered.Select(t => t.Metrics[0].Largest).ToList());
            var (c2, c2Se) = MeanAndStandardError(ordered.Select(t => t.MeanSubtractionC2!.Value).ToList());
            bounds = new MeanSubtractionSummary(b.Rho, b.LowerBound, lambda, lambdaSe, c2, c2Se, b.UpperBound(c2));
        }
        return new FimStatsResult(parameters, shard, prediction.OrderParameters, prediction.CriticalLearningRate(), ordered.Count, rows, claims, bounds);
    }

    /// <summary>
    /// A prediction of 0 or ∞ (an activation constant in its input, e.g. expr:0, gives κ₁ = κ₂ = 0) makes every ratio and the
    /// critical learning rate meaningless: numerical trouble with the reason, before any network is sampled, never "η = ∞" and a PASS.
    /// </summary>
    private static void RequireMeaningful(FimStatsParameters parameters, Predictions prediction)
    {
        double eta = prediction.CriticalLearningRate();
        if (!double.IsFinite(eta) || !(eta > 0))
            throw new NumericalException($"the predicted λ_max of the FIM is {prediction.Regression().LambdaMax:G4} (κ₁ = {prediction.OrderParameters.Kappa1:G4}, "
                + $"κ₂ = {prediction.OrderParameters.Kappa2:G4}), so the critical learning rate 2/λ_max is not finite and nothing can be compared; "
                + $"the activation {parameters.Activation.Name} passes no signal through the hidden layers");
    }

    /// <summary>Theorem 3.1's predictions for the experiment: the order parameters of its activation and shape, at its M, T and C.</summary>
    public static Predictions Predict(FimStatsParameters p) =>
        new(OrderParameters.Compute(GaussianKernels.For(p.Activation), p.Shape), p.Width, p.Samples, p.Outputs);

    private static MeanSubtractionBounds Bounds(FimStatsParameters p, Predictions prediction) =>
        new(prediction.OrderParameters, p.Width, p.Samples, p.Outputs);

    /// <param name="readyIfMade">The checked prediction if it is made already, else null.</param>
    /// <param name="ready">The checked prediction, waited for.</param>
    private static FimStatsTrial RunTrial(FimStatsParameters prm, Func<Predictions?> readyIfMade, Func<Predictions> ready, long k)
    {
        var seed = TrialRunner.TrialSeed(prm.Seed, FimStatsParameters.Experiment, k);
        int C = prm.Outputs, T = prm.Samples, top = prm.TopCount;
        var net = Mlp.Sample(prm.Activation, prm.Shape, prm.Width, C, seed);
        var inputs = net.SampleInputs(T, seed);
        var made = readyIfMade();
        var fwd = net.Forward(inputs, T);
        var dual = new MlpDualGram(new MlpBackward(fwd), cacheDeltaGrams: false);
        // The regression dual once, for the variants built from it (mean subtraction, softmax) and their claims.
        var fisher = prm.Variant is FimVariant.Regression or FimVariant.MeanSubtracted or FimVariant.Softmax ? dual.Fisher() : null;
        var spectra = FimSpectrumExperiment.Spectra(dual, prm.Variant, fisher);
        var metrics = spectra.Select(s => new MetricMeasurement(s.Statistics(top), s.LambdaMax, s.Top(top))).ToList();
        var prediction = made ?? ready();
        double? quantity = null, c2 = null;
        EigenvalueStatistics? softmax = null;
        switch (prm.Variant)
        {
            case FimVariant.Regression when spectra[0].Order > C:
                var leading = spectra[0].Top(C + 1);
                quantity = leading[C - 1] / leading[C];
                break;
            case FimVariant.MeanSubtracted:
                var full = MeasuredSpectrum.Of(fisher!, net.ParameterCount);
                quantity = spectra[0].LambdaMax / full.Top(C)[C - 1];
                c2 = Bounds(prm, prediction).C2(spectra[0].Trace, spectra[0].SumOfSquares);
                break;
            case FimVariant.Softmax:
                var f = MeasuredSpectrum.Of(fisher!, net.ParameterCount).EigenvaluesDescending;
                var fc = spectra[0].EigenvaluesDescending;
                // Sorted eigenvalues of F_cross dominated by F's, up to rounding relative to each and to λ₁(F).
                quantity = fc.Select((v, j) => v - f[j] * (1 + 1e-10) - 1e-12 * f[0]).Max();
                var (_, probabilities) = MlpDualGram.Softmax(fisher!, fwd.Outputs, C, T);
                softmax = prediction.Softmax(SoftmaxQStatistics.Of(probabilities, C));
                break;
        }
        return new FimStatsTrial(k, metrics, quantity, softmax, c2);
    }

    private static EigenvalueStatistics? Predicted(FimVariant v, Predictions p, int index) => v switch
    {
        FimVariant.Regression => p.Regression(),
        FimVariant.MeanSubtracted => p.MeanSubtracted(),
        FimVariant.Ntk => p.Ntk(),
        FimVariant.NtkMeanSubtracted => p.NtkMeanSubtracted(),
        FimVariant.Blocks => p.Block(index + 1),
        FimVariant.Input => p.InputMetric(),
        _ => null, // softmax: from the measured Q of each network
    };

    private static FimStatsMetric Metric(FimStatsParameters prm, Predictions prediction, IReadOnlyList<FimStatsTrial> trials, int i)
    {
        var measured = trials.Select(t => t.Metrics[i]).ToList();
        var softmax = trials.Where(t => t.SoftmaxPrediction is not null).Select(t => t.SoftmaxPrediction!).ToList();
        var predicted = Predicted(prm.Variant, prediction, i) ?? (softmax.Count == 0 ? null
            : new EigenvalueStatistics(softmax.Average(s => s.Mean), softmax.Average(s => s.SecondMoment), softmax.Average(s => s.LambdaMax)));
        StatisticComparison Compare(double? pv, Func<EigenvalueStatistics, double> pick)
        {
            if (pv is double v && (!double.IsFinite(v) || v == 0))
                throw new NumericalException($"the {prm.Variant} prediction of a statistic is {v:G4}, so its measured/predicted ratio is undefined");
            var (mean, se) = MeanAndStandardError(measured.Select(m => pick(m.Statistics)).ToList());
            return new StatisticComparison(pv ?? double.NaN, mean, se);
        }
        int top = measured[0].Top.Length;
        return new FimStatsMetric(prm.Variant == FimVariant.Blocks ? i + 1 : null,
            Compare(predicted?.Mean, s => s.Mean), Compare(predicted?.SecondMoment, s => s.SecondMoment), Compare(predicted?.LambdaMax, s => s.LambdaMax),
            measured.Average(m => m.Largest), Enumerable.Range(0, top).Select(j => measured.Average(m => m.Top[j])).ToArray());
    }

    private static (double Mean, double StandardError) MeanAndStandardError(IReadOnlyList<double> xs)
    {
        double mean = xs.Average();
        if (xs.Count < 2) return (mean, double.NaN);
        double variance = xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1);
        return (mean, Math.Sqrt(variance / xs.Count));
    }

    /// <summary>The variant's structural claim on one trial, decided from its quantity.</summary>
    public static FimStatsClaim Claim(FimVariant variant, long trial, double value) => variant switch
    {
        FimVariant.Regression => new(trial, "outliers separated (λ_C > 2 λ_(C+1))", "λ_C/λ_(C+1)", value, value > 2),
        FimVariant.MeanSubtracted => new(trial, "mean subtraction removes the outliers (λ_max(F̄) < λ_C(F)/2)", "λ_max(F̄)/λ_C(F)", value, value < 0.5),
        FimVariant.Softmax => new(trial, "F_cross ⪯ F (sorted eigenvalues dominated)", "max(λ_i(F_cross) − λ_i(F))", value, value <= 0),
        _ => throw new ArgumentException($"the variant {variant} makes no structural claim"),
    };

    /// <summary>The mean-subtraction lower bound with c₁ = 0 on one trial, decided from λ_max(F̄) − ρα(κ₁ − κ₂).</summary>
    public static FimStatsClaim LowerBoundClaim(long trial, double excess) =>
        new(trial, "lower bound with c₁ = 0 (λ_max(F̄) ≥ ρα(κ₁ − κ₂))", "λ_max(F̄) − ρα(κ₁ − κ₂)", excess, excess >= 0);
}

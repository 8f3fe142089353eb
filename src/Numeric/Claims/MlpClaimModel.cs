using FimVerify.Numeric.Resources;
using System.Globalization;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// Random fully connected networks of MATH.md §2 (seeds 001, 002, 004) at base width M: `mlp` measures the regression Fisher
/// matrix and its variants, `softmax-mlp` the softmax cross-entropy Fisher matrix, each through its CT×CT dual
/// (<see cref="MlpDualGram"/>). Predictions may use M, T, C, L, P and the mean-field quantities α, κ₁, κ₂, κ′₁, κ′₂ that the
/// symbolic layer derives and compiles (<see cref="OrderParameters"/>); softmax predictions also the network's own Q statistics.
/// </summary>
public sealed class MlpClaimModel : ClaimModel
{
    private static readonly IReadOnlyList<string> RegressionMatrices = ["fim", "ntk", "fim-mean-subtracted", "ntk-mean-subtracted", "input", "fim-block:l"];

    private readonly bool _softmax;
    private readonly IActivation _activation;
    private readonly NetworkShape _shape;
    private readonly OrderParameters _order;
    private readonly int _outputs;
    /// <summary>T as the file states it: a whole number, or an expression of M (T = M/ρ), rounded to the nearest whole number at each size.</summary>
    private readonly ClaimExpression _samples;

    private MlpClaimModel(bool softmax, IActivation activation, NetworkShape shape, OrderParameters order, ClaimExpression samples, int outputs)
    {
        _softmax = softmax; _activation = activation; _shape = shape; _order = order; _samples = samples; _outputs = outputs;
    }

    /// <summary>The separator of a matrix on the first k of a trial's inputs: "ntk-mean-subtracted@T=10".</summary>
    public const string SubsampleMarker = "@T=";

    /// <summary>T at base width M: the stated number, or the stated expression of M rounded to the nearest whole number (halves up).</summary>
    public int Samples(long size)
    {
        double t = Math.Round(_samples.Evaluate(new Dictionary<string, double> { ["M"] = size }), MidpointRounding.AwayFromZero);
        if (!double.IsFinite(t) || t < 2 || t > 4000)
            throw new ArgumentException($"at M = {size} the samples T = {_samples.Text} evaluate to {t.ToString("G6", CultureInfo.InvariantCulture)}; T must be a whole number in 2 … 4000");
        if ((long)t * _outputs > 4000)
            throw new ArgumentException($"at M = {size} the dual has C·T = {(long)t * _outputs} rows; keep C·T at most 4000");
        return (int)t;
    }

    /// <summary>A matrix name split into the matrix and the number of inputs it is formed on (null: all T of the trial).</summary>
    private static (string Matrix, int? Samples) Subsample(string matrix)
    {
        int at = matrix.IndexOf(SubsampleMarker, StringComparison.Ordinal);
        if (at < 0) return (matrix, null);
        string k = matrix[(at + SubsampleMarker.Length)..];
        return int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out int t) && t >= 2 ? (matrix[..at], t)
            : throw new ArgumentException($"the matrix '{matrix}' names its inputs as {SubsampleMarker}k with a whole number k ≥ 2 (the first k of the trial's inputs)");
    }

    public override string Family => _softmax ? "softmax-mlp" : "mlp";
    public override string SizeSymbol => "M";
    public override long MinimumSize => 2;
    public override IReadOnlyList<string> Keys => ["activation", "depth", "samples", "outputs", "sigma_w2", "sigma_b2", "widths"];
    public override IReadOnlyList<string> Matrices => _softmax ? ["fim"] : RegressionMatrices;

    /// <summary>Every matrix may be formed on the first k of the trial's inputs (matrix@T=k, the same network): a paired comparison across T.</summary>
    public override void CheckMatrix(string matrix)
    {
        var (name, _) = Subsample(matrix);
        if (_softmax || !name.StartsWith("fim-block:", StringComparison.Ordinal)) base.CheckMatrix(name);
        else Block(name);
    }
    public override IReadOnlyList<string> SizeSymbols =>
        ["M", "T", "C", "L", "P", "alpha", "kappa1", "kappa2", "kappa1p", "kappa2p", "sigma_w2", "sigma_b2", .. OrderParameterSymbols().Keys];

    /// <summary>
    /// The order parameters layer by layer, where they exist (MATH.md §2): q1_l, q2_l (l = 1 … L), qhat1_l, qhat2_l (l = 0 … L−1),
    /// qtilde1_l, qtilde2_l (l = 1 … L), and the width ratios alpha_l = α_l (l = 0 … L−1), named as the symbolic layer names them, e.g. for the diagonal blocks F_ll.
    /// </summary>
    private Dictionary<string, double> OrderParameterSymbols()
    {
        var symbols = new Dictionary<string, double>();
        void Add(string name, double[] values)
        {
            for (int l = 0; l < values.Length; l++)
                if (double.IsFinite(values[l])) symbols[$"{name}_{l}"] = values[l];
        }
        Add("q1", _order.Q1); Add("q2", _order.Q2); Add("qhat1", _order.QHat1); Add("qhat2", _order.QHat2);
        Add("qtilde1", _order.QTilde1); Add("qtilde2", _order.QTilde2); Add("alpha", _shape.WidthRatios);
        return symbols;
    }

    /// <summary>Softmax: mean_t tr Q_t, mean_t tr Q_t², tr Q̄² and the mean of the C − 1 largest eigenvalues of Q̄ = mean_t Q_t.</summary>
    public override IReadOnlyList<string> TrialSymbols => _softmax ? ["meanTrQ", "meanTrQ2", "trQbar2", "qbarTop"] : [];

    public override IReadOnlyList<KeyValuePair<string, string>> Parameters =>
    [
        new("activation", _activation.Name), new("L", Show(_shape.Depth)), new("T", _samples.Text), new("C", Show(_outputs)),
        new("σ_w²", Show(_shape.SigmaW2)), new("σ_b²", Show(_shape.SigmaB2)), new("width ratios", string.Join(",", _shape.WidthRatios.Select(Show))),
    ];

    private static string Show(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    public override string Derived =>
        $"{_activation.Name}: α = {Show(_order.Alpha)}, κ₁ = {Show(_order.Kappa1)}, κ₂ = {Show(_order.Kappa2)}, κ′₁ = {Show(_order.NtkKappa1)}, κ′₂ = {Show(_order.NtkKappa2)} "
        + "(the symbolic layer's mean-field recurrences)";

    public static MlpClaimModel Read(ClaimFieldReader f, bool softmax)
    {
        string name = f.RequiredString("activation");
        IActivation activation;
        try { activation = ActivationCatalog.Parse(name); }
        catch (ArgumentException e) { throw f.Error("activation", e.Message); }
        int depth = (int)f.RequiredLong("depth", 1, 100);
        int outputs = (int)f.RequiredLong("outputs", softmax ? 2 : 1, 4000);
        // T: a whole number, or an expression of the width M ("M/4": T = M/ρ moves with M), rounded at each size.
        ClaimExpression samples;
        switch (f.Field("samples")?.Value)
        {
            case string text:
                try { samples = ClaimExpression.Parse(text, ["M"]); }
                catch (ArgumentException e) { throw f.Error("samples", e.Message); }
                break;
            default:
                long t = f.RequiredLong("samples", 2, 4000);
                if (t * outputs > 4000) throw f.Error("samples", $"the dual has C·T = {t * outputs} rows; keep C·T at most 4000");
                samples = ClaimExpression.Parse(t.ToString(CultureInfo.InvariantCulture), []);
                break;
        }
        double sw = f.RequiredDouble("sigma_w2", 0, 1e6);
        double sb = f.RequiredDouble("sigma_b2", 0, 1e6, inclusiveMin: true);
        double[]? ratios = f.OptionalNumbers("widths");
        if (ratios is not null && (ratios.Length != depth || ratios.Any(r => !(r > 0))))
            throw f.Error("widths", $"give {depth} positive width ratios α_0 … α_{depth - 1} (input and hidden layers)");
        var shape = new NetworkShape(depth, sw, sb, ratios);
        OrderParameters order;
        try { order = OrderParameters.Compute(GaussianKernels.For(activation), shape); }
        catch (NumericalException e) { throw f.Error("activation", $"the mean-field recurrences fail: {e.Message}"); }
        return new MlpClaimModel(softmax, activation, shape, order, samples, outputs);
    }

    private int Block(string matrix)
    {
        string l = matrix["fim-block:".Length..];
        return int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b >= 1 && b <= _shape.Depth ? b
            : throw new ArgumentException($"the matrix '{matrix}' names no block: the blocks are fim-block:1 … fim-block:{_shape.Depth}");
    }

    private (FimVariant Variant, int Block) Variant(string matrix) => _softmax ? (FimVariant.Softmax, 0) : Subsample(matrix).Matrix switch
    {
        "fim" => (FimVariant.Regression, 0),
        "ntk" => (FimVariant.Ntk, 0),
        "fim-mean-subtracted" => (FimVariant.MeanSubtracted, 0),
        "ntk-mean-subtracted" => (FimVariant.NtkMeanSubtracted, 0),
        "input" => (FimVariant.Input, 0),
        _ => (FimVariant.Blocks, Block(matrix)),
    };

    private int[] Widths(long size) => _shape.Widths(checked((int)size), _outputs);

    private static long ParameterCount(int[] w) => Enumerable.Range(1, w.Length - 1).Sum(l => (long)w[l] * w[l - 1] + w[l]);

    public override IReadOnlyDictionary<string, double> SymbolsAt(long size) => new Dictionary<string, double>(OrderParameterSymbols())
    {
        ["M"] = size, ["T"] = Samples(size), ["C"] = _outputs, ["L"] = _shape.Depth, ["P"] = ParameterCount(Widths(size)),
        ["alpha"] = _order.Alpha, ["kappa1"] = _order.Kappa1, ["kappa2"] = _order.Kappa2,
        ["kappa1p"] = _order.NtkKappa1, ["kappa2p"] = _order.NtkKappa2, ["sigma_w2"] = _shape.SigmaW2, ["sigma_b2"] = _shape.SigmaB2,
    };

    public override long DimensionOf(string matrix, long size)
    {
        var w = Widths(size);
        var (variant, block) = Variant(matrix);
        return variant switch
        {
            FimVariant.Ntk or FimVariant.NtkMeanSubtracted => (long)_outputs * (Subsample(matrix).Samples ?? Samples(size)),
            FimVariant.Input => w[0],
            FimVariant.Blocks => (long)w[block] * w[block - 1] + w[block],
            _ => ParameterCount(w),
        };
    }

    public override void Check(MatrixRead read, long size)
    {
        if (size > 1_000_000) throw new ArgumentException($"the width M = {size} exceeds 10⁶");
        int samples = Samples(size);
        if (Subsample(read.Matrix).Samples is int k && k > samples)
            throw new ArgumentException($"the matrix '{read.Matrix}' is formed on the first {k} inputs, but at M = {size} a trial has only T = {samples}");
        var w = Widths(size);
        double weights = Enumerable.Range(1, w.Length - 1).Sum(l => (double)w[l] * w[l - 1]);
        if (weights > 2e8) throw new ArgumentException($"a network of width M = {size} has {weights:G3} weights, more than the 2·10⁸ one trial may hold");
    }

    /// <summary>One network and its backward signals, then each distinct dual the reads name (kept for the trial), with its eigenvalues where a read needs them.</summary>
    public override ResourceEstimate Plan(IReadOnlyList<MatrixRead> reads, long size)
    {
        foreach (var r in reads) Check(r, size);
        var w = Widths(size);
        double weights = Enumerable.Range(1, w.Length - 1).Sum(l => (double)w[l] * w[l - 1]);
        // The passes of the network on T inputs (its weights counted by the first only: every pass shares them).
        ResourceEstimate Network(int samples, bool holdsWeights)
        {
            double n = (double)_outputs * samples, units = w.Skip(1).Sum(x => (double)x), T = samples;
            double bytes = 8 * ((holdsWeights ? weights : 0) + T * (w[0] + 2 * units) + n * units + (_shape.Depth + 1) * n * n + T * T * _shape.Depth);
            double flops = 2 * T * weights + 2 * n * weights + n * n * units + 2 * n * n * _shape.Depth + (_softmax ? 4 * n * n * _outputs : 0);
            return Estimate(bytes, flops, Math.Max(weights, n * n));
        }
        // One network on all T inputs, and its passes on the first k inputs for each matrix@T=k the reads name.
        var all = Samples(size);
        var network = Network(all, holdsWeights: true);
        foreach (int k in reads.Select(r => Subsample(r.Matrix).Samples).OfType<int>().Distinct())
            network = network.With(Network(k, holdsWeights: false));
        foreach (var matrix in reads.Select(r => r.Matrix).Distinct())
        {
            double n = (double)_outputs * (Subsample(matrix).Samples ?? all);
            network = network.With(Dense(n, 4 * n * n, 0, MatrixRead.EigenvaluesNeeded(reads, matrix) > 0));
        }
        return network;
    }

    public override ModelInstance Sample(long size, IReadOnlyList<MatrixRead> reads, SeedSequence seed) =>
        new Instance(this, FimSpectrumExperiment.Dual(_activation, _shape, checked((int)size), Samples(size), _outputs, seed), reads, seed);

    /// <summary>
    /// One network, forward and backward; each dual built on first use from the shared regression dual. A matrix@T=k is the same
    /// network on the first k of the trial's inputs (one input stream: a prefix of the T drawn).
    /// </summary>
    private sealed class Instance(MlpClaimModel model, MlpDualGram dual, IReadOnlyList<MatrixRead> reads, SeedSequence seed) : ModelInstance
    {
        private readonly Dictionary<string, IMatrixMeasurement> _matrices = [];
        private readonly Dictionary<int, (MlpDualGram Dual, SymmetricMatrix? Fisher)> _subsamples = [];
        private SymmetricMatrix? _fisher;
        private Dictionary<string, double>? _symbols;

        private SymmetricMatrix Fisher => _fisher ??= dual.Fisher();

        public override IReadOnlyDictionary<string, double> Symbols => model._softmax ? Softmax().Symbols : new Dictionary<string, double>();

        private (IMatrixMeasurement Matrix, Dictionary<string, double> Symbols) Softmax()
        {
            if (_symbols is not null) return (_matrices["fim"], _symbols);
            var fwd = dual.Backward.Forward;
            var (softmaxDual, probabilities) = MlpDualGram.Softmax(Fisher, fwd.Outputs, model._outputs, fwd.Samples);
            var q = SoftmaxQStatistics.Of(probabilities, model._outputs);
            _symbols = new Dictionary<string, double>
            {
                ["meanTrQ"] = q.MeanTrace, ["meanTrQ2"] = q.MeanTraceOfSquare, ["trQbar2"] = q.TraceOfMeanSquared,
                ["qbarTop"] = q.MeanQEigenvaluesDescending.Take(Math.Max(1, model._outputs - 1)).Average(),
            };
            _matrices["fim"] = new DenseMatrixMeasurement(softmaxDual, fwd.Network.ParameterCount, eigenvaluesNeeded: MatrixRead.EigenvaluesNeeded(reads, null));
            return (_matrices["fim"], _symbols);
        }

        /// <summary>The network's weights go back for the next trial's network (the duals formed hold their own matrices).</summary>
        public override void Release()
        {
            dual.Backward.Forward.Network.Recycle();
        }

        public override IMatrixMeasurement Matrix(string matrix)
        {
            if (model._softmax) return Softmax().Matrix;
            if (_matrices.TryGetValue(matrix, out var m)) return m;
            var (variant, block) = model.Variant(matrix);
            SymmetricMatrix metric;
            long dimension;
            if (Subsample(matrix).Samples is int k)
            {
                if (!_subsamples.TryGetValue(k, out var sub))
                    sub = (FimSpectrumExperiment.Dual(dual.Backward.Forward.Network, k, seed), null);
                (metric, dimension) = FimSpectrumExperiment.Metric(sub.Dual, variant, block, sub.Fisher);
                _subsamples[k] = variant == FimVariant.Regression ? (sub.Dual, metric) : sub;
            }
            else
            {
                (metric, dimension) = FimSpectrumExperiment.Metric(dual, variant, block, _fisher);
                if (variant == FimVariant.Regression) _fisher = metric;
            }
            return _matrices[matrix] = new DenseMatrixMeasurement(metric, dimension, eigenvaluesNeeded: MatrixRead.EigenvaluesNeeded(reads, matrix));
        }
    }
}

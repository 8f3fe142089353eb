using System.Globalization;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// The one-hidden-layer ReLU network of seed 000 (MATH.md §1): W ∈ R^{d×p}, W_ij ~ N(0, 1/p), at width p. Matrices: `j`, the
/// Fisher matrix J by Lemma 1; `main` and `remainder`, Theorem 2's main part and R = J − main; `gram`, the Gram matrix of the
/// direction vectors v⁽⁰⁾, W_l, v^(α,β), v^(γ) (Lemma 2), whose index groups are v0, W, pair, diag.
/// The eigenvalues and quadratic forms of J and ‖R‖₂ are certified intervals: up to p = 2000 from J = J_2 + R_2 with the
/// Perron bracket of ‖R_2‖₂ (<see cref="PerronRemainderBounds"/>), narrowed when a decision needs it and replaced by the dense
/// spectra as the last resort, so every decision there is the dense one; above p = 2000 from the low-rank truncation J_K
/// (<see cref="TruncatedKernelBounds"/>, O(p r²) per trial), so a trial whose interval straddles the prediction leaves the claim
/// undecided. Other statistics of J, R and the main part need the dense matrices (p ≤ 2000). The trace of J is ‖W‖_F²/2
/// exactly, at any p. Predictions may use d, p, Lemma 2's constant C(d) derived by the symbolic layer, D = the number of Gram
/// entries, and the slacks ξ(d−2), ξ(d−1) (xi_pair, xi_diag) from its exact moments; rayleigh:G reads Theorem 3's quadratic
/// forms u J uᵀ of the unit directions v⁽⁰⁾ (v0), W_l (W), v^(α,β) (pair), v^(γ) (diag), the smallest in the group.
/// </summary>
public sealed class ShallowReluClaimModel(int d) : ClaimModel
{
    /// <summary>The largest p at which J (and Theorem 2's parts) are formed densely, as `verify theorem3` does.</summary>
    public const int DenseLimit = 2000;

    /// <summary>Power iterations for the Perron bracket of ‖R_2‖₂ before the first decision, and per refinement round.</summary>
    public const int PerronIterations = Theorem3Experiment.PerronIterations;
    /// <summary>Refinement rounds (of <see cref="PerronIterations"/> each) before a trial falls back to the dense spectra.</summary>
    public const int PerronRefinements = Theorem3Experiment.PerronRefinements;

    /// <summary>The diagnostics: a trial (p ≤ 2000) that needed the dense spectra, and the truncation's remainder bound ρ_K (p &gt; 2000).</summary>
    public const string DenseDiagnostic = "dense", RemainderDiagnostic = "truncation.remainder";

    private static readonly IReadOnlyList<string> Groups = ["v0", "W", "pair", "diag"];

    public int D => d;
    public override string Family => "shallow-relu";
    public override string SizeSymbol => "p";
    public override long MinimumSize => Math.Max(2, d);
    public override IReadOnlyList<string> Keys => ["d"];
    public override IReadOnlyList<string> Matrices => ["j", "main", "remainder", "gram"];
    public override IReadOnlyList<string> SizeSymbols => ["d", "p", "C", "D", "xi_pair", "xi_diag"];
    public override IReadOnlyList<string> RayleighGroups(string matrix) => matrix == "j" ? Groups : [];
    public override IReadOnlyList<string> EntryGroups(string matrix) => matrix == "gram" ? Groups : [];
    public override IReadOnlyList<KeyValuePair<string, string>> Parameters => [new("d", $"{d}")];

    public static ShallowReluClaimModel Read(ClaimFieldReader f) => new((int)f.RequiredLong("d", 2, 1000));

    private readonly Lazy<Lemma2Constant> _constant = new(() => Lemma2Constant.FromSymbolicLayer(d));

    private readonly Lazy<IReadOnlyDictionary<string, double>> _fixed = new(() => new Dictionary<string, double>
    {
        ["d"] = d, ["C"] = Lemma2Constant.FromSymbolicLayer(d).Value, ["D"] = Lemma2Constant.EntryCount(d),
        ["xi_pair"] = Lemma2Slack.XiPair(d), ["xi_diag"] = Lemma2Slack.XiDiagonal(d),
    });

    public override string Derived
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            var s = _fixed.Value;
            return $"C = C({d}) = {s["C"].ToString("G6", c)} ({_constant.Value.Source}; worst entry {_constant.Value.WorstEntry}), D = {s["D"].ToString(c)}, "
                + $"ξ(d−2) = {s["xi_pair"].ToString("G4", c)}, ξ(d−1) = {s["xi_diag"].ToString("G4", c)} (the exact offsets of the directions' mean squared norms from 1)";
        }
    }

    public override IReadOnlyDictionary<string, double> SymbolsAt(long size) =>
        new Dictionary<string, double>(_fixed.Value) { ["p"] = size };

    public override long DimensionOf(string matrix, long size) => matrix == "gram" ? DirectionVectors.Count(d) : size;

    private static bool TraceOnly(Statistic s) => s.Kind is StatisticKind.Trace or StatisticKind.Mean;

    /// <summary>‖R‖₂ (λ₁ of R ⪰ 0), the one statistic of R that certified intervals bound.</summary>
    private static bool RemainderNorm(Statistic s) => s.Kind == StatisticKind.LambdaMax || (s.Kind == StatisticKind.Eigenvalue && s.K == 1);

    /// <summary>A read that only the dense matrices give (the main part, Σλ² of J, R's other statistics).</summary>
    private static bool DenseOnly(MatrixRead r) => r.Matrix switch
    {
        "main" => true,
        "j" => r.Statistic.Kind == StatisticKind.SecondMoment,
        "remainder" => !RemainderNorm(r.Statistic),
        _ => false,
    };

    /// <summary>A read of J or R through certified intervals (every read of J but its trace and Σλ², and ‖R‖₂).</summary>
    private static bool Certifiable(MatrixRead r) =>
        (r.Matrix == "j" && !TraceOnly(r.Statistic) && r.Statistic.Kind != StatisticKind.SecondMoment) || (r.Matrix == "remainder" && RemainderNorm(r.Statistic));

    public override void Check(MatrixRead read, long p)
    {
        if ((double)d * p > 2e8) throw new ArgumentException($"d·p = {(double)d * p:G3} exceeds the 2·10⁸ weights one trial may hold");
        if (p <= DenseLimit) return;
        string dense = $"is formed densely only up to p = {DenseLimit} (above, J's statistics come from certified bounds of its truncation)";
        if (read.Matrix == "main") throw new ArgumentException($"the matrix main {dense}");
        if (read.Matrix == "remainder" && !RemainderNorm(read.Statistic))
            throw new ArgumentException($"above p = {DenseLimit} only lambda-max of the remainder (its norm ‖R‖₂) is bounded; {read.Statistic.Name} needs the dense R");
        if (read.Matrix == "j" && read.Statistic.Kind == StatisticKind.SecondMoment) throw new ArgumentException($"second-moment needs the dense J, which {dense}");
    }

    public override ResourceEstimate Plan(IReadOnlyList<MatrixRead> reads, long p)
    {
        foreach (var r in reads) Check(r, p);
        bool withJ = reads.Any(r => r.Matrix != "gram" && !(r.Matrix == "j" && TraceOnly(r.Statistic)));
        // The Theorem 3 trial's estimate (the gram matrix, the certified intervals and, up to p = 2000, the dense fallback).
        var prm = new Theorem3Parameters(d, checked((int)Math.Min(p, int.MaxValue)), 1, _constant.Value, 0, 0, WithJ: withJ);
        return ExperimentCosts.Theorem3Trial(prm);
    }

    public override bool CanBeExact(string matrix, Statistic statistic, long size) => size <= DenseLimit || (matrix == "j" && TraceOnly(statistic)) || matrix == "gram";

    public override ModelInstance Sample(long size, IReadOnlyList<MatrixRead> reads, SeedSequence seed) =>
        new Instance(ShallowReluNetwork.Sample(d, checked((int)size), seed), reads, DenseLimit);

    public override IReadOnlyList<string> DiagnosticNames(long size, IReadOnlyList<MatrixRead> reads) =>
        !reads.Any(Certifiable) ? [] : size > DenseLimit ? [RemainderDiagnostic] : reads.Any(r => DenseOnly(r) || (r.Exact && Certifiable(r))) ? [] : [DenseDiagnostic];

    public override string? Notes(long size, IReadOnlyList<MatrixRead> reads, IReadOnlyDictionary<string, double[]> diagnostics)
    {
        var c = CultureInfo.InvariantCulture;
        if (diagnostics.TryGetValue(RemainderDiagnostic, out var rho))
        {
            int order = TruncatedKernelBounds.DefaultOrder(d, size);
            return $"claims on J by certified intervals: J = J_K + R_K with J_K = ΦΦᵀ of rank {TruncatedKernelBounds.RankOf(d, order)} (κ's series to t^{order}), R_K ⪰ 0 with "
                + $"‖R_K‖₂ ≤ {rho.Max().ToString("G3", c)} (largest over {rho.Length} trials), so λ_k(J_K) ≤ λ_k(J) ≤ λ_k(J_K) + ‖R_K‖₂; a trial whose interval straddles a threshold is undecided";
        }
        if (diagnostics.TryGetValue(DenseDiagnostic, out var dense))
            return "claims on J by certified intervals: J = J_2 + R_2 with Theorem 2's main part J_2 (eigenvalues from its r×r Gram) and R_2 ≥ 0 entrywise, "
                + $"whose norm is bracketed by Collatz–Wielandt ratios tightened by power iteration; the dense spectra of J and R were computed for {dense.Sum().ToString(c)} of {dense.Length} trials (where an interval straddled a threshold)";
        return null;
    }

    /// <summary>
    /// The matrix of one network, as far as the statistic needs it: dense up to <paramref name="denseLimit"/>, certified bounds
    /// above (tests lower the limit to hold the two routes together).
    /// </summary>
    public static IMatrixMeasurement Measure(ShallowReluNetwork net, string matrix, Statistic statistic, int denseLimit = DenseLimit) =>
        new Instance(net, [new MatrixRead(matrix, statistic, Exact: net.P <= denseLimit)], denseLimit).Matrix(matrix);

    /// <summary>
    /// One network measured for the reads of its claims: the Gram matrix of the directions; J's trace from W; J and R through
    /// certified intervals (Perron bracket refined round by round, then the dense spectra; or the truncation above the dense
    /// limit); the dense matrices where a read needs them.
    /// </summary>
    private sealed class Instance : ModelInstance
    {
        private readonly ShallowReluNetwork _net;
        private readonly int _denseLimit;
        private readonly bool _rayleigh, _traceOnly, _certified;
        private DirectionVectors? _directions;
        private IReadOnlyList<double[]>? _units;
        private TruncatedKernelBounds? _bounds;
        private PerronRemainderBounds? _perron;
        private int _rounds;
        private bool _dense;
        private Theorem2Decomposition? _decomposition;
        private SymmetricMatrix? _j;
        private readonly Dictionary<string, IMatrixMeasurement> _denseMatrices = [];
        private readonly IReadOnlyList<MatrixRead> _reads;

        public Instance(ShallowReluNetwork net, IReadOnlyList<MatrixRead> reads, int denseLimit)
        {
            _net = net; _denseLimit = denseLimit; _reads = reads;
            _rayleigh = reads.Any(r => r.Statistic.Kind == StatisticKind.Rayleigh);
            _traceOnly = reads.Where(r => r.Matrix == "j").All(r => TraceOnly(r.Statistic));
            _certified = reads.Any(Certifiable);
            // Up to the dense limit a read that needs the dense matrices (or an exact value) makes the dense route the only one.
            _dense = net.P <= denseLimit && reads.Any(r => DenseOnly(r) || (r.Exact && Certifiable(r)));
        }

        private DirectionVectors Directions => _directions ??= DirectionVectors.Of(_net);

        /// <summary>The claim-file group of each direction.</summary>
        private string[] Labels => field ??= Directions.All.Select(v => Groups[(int)v.Group]).ToArray();

        /// <summary>The unit direction vectors of Theorem 3.</summary>
        private IReadOnlyList<double[]> Units => _units ??= Directions.All.Select(v =>
        {
            double s = 1.0 / Math.Sqrt(Kernels.Dot.Product(v.Values, v.Values));
            return v.Values.Select(x => x * s).ToArray();
        }).ToList();

        private TruncatedKernelBounds Bounds()
        {
            if (_bounds is not null) return _bounds;
            var units = _rayleigh ? Units : [];
            if (_net.P > _denseLimit) return _bounds = TruncatedKernelBounds.Compute(_net, TruncatedKernelBounds.DefaultOrder(_net.D, _net.P), units);
            _perron = PerronRemainderBounds.Compute(_net, 2, units, PerronIterations);
            return _bounds = TruncatedKernelBounds.Compute(_net, 2, units, perron: _perron);
        }

        public override IMatrixMeasurement Matrix(string matrix)
        {
            switch (matrix)
            {
                case "gram":
                    return _denseMatrices.TryGetValue(matrix, out var g) ? g : _denseMatrices[matrix] = new GroupedMatrixMeasurement(Directions.Gram(), Labels);
                case "j" when _traceOnly:
                    return new ShallowTraceMeasurement(_net);
                case "j" or "remainder" when !_dense:
                    var bounds = Bounds();
                    var labels = _rayleigh ? Labels : [];
                    return new ShallowCertifiedMeasurement(_net, bounds, matrix == "remainder", group => Smallest(labels, group, bounds.Rayleigh));
                default:
                    return DenseMatrix(matrix);
            }
        }

        private IMatrixMeasurement DenseMatrix(string matrix)
        {
            if (_denseMatrices.TryGetValue(matrix, out var m)) return m;
            if (matrix != "j") _decomposition ??= Theorem2Decomposition.Compute(_net);
            IMatrixMeasurement measurement = matrix switch
            {
                "j" => DenseJ(),
                "main" => new DenseMatrixMeasurement(_decomposition!.Main, _net.P, eigenvaluesNeeded: MatrixRead.EigenvaluesNeeded(_reads, matrix)),
                _ => new DenseMatrixMeasurement(_decomposition!.Remainder, _net.P, eigenvaluesNeeded: MatrixRead.EigenvaluesNeeded(_reads, matrix)),
            };
            return _denseMatrices[matrix] = measurement;
        }

        private IMatrixMeasurement DenseJ()
        {
            var j = _j ??= _decomposition?.J ?? _net.FisherByLemma1();
            Func<string, CertifiedInterval>? quadratic = null;
            if (_rayleigh)
            {
                var (units, labels) = (Units, Labels);
                var q = ReluKernelQuadraticForms.FromDense(j, units);
                quadratic = group => Smallest(labels, group, a => new CertifiedInterval(q[a, a], q[a, a]));
            }
            return new DenseJMeasurement(_net, new DenseMatrixMeasurement(j, _net.P, quadratic, MatrixRead.EigenvaluesNeeded(_reads, "j")));
        }

        /// <summary>Up to 12 rounds of 8 more power iterations on the Perron bracket, then the dense spectra; nothing above the dense limit.</summary>
        public override bool Refine()
        {
            if (_dense || !_certified || _net.P > _denseLimit) return false;
            Bounds();
            if (_rounds < PerronRefinements && _perron!.RelativeWidth > 1e-12)
            {
                _perron.Refine(PerronIterations);
                _rounds++;
                return true;
            }
            // The last resort: J and R formed densely, as Theorem 3's exact route; the decisions are then the dense ones.
            _decomposition ??= Theorem2Decomposition.Compute(_net);
            _dense = true;
            return true;
        }

        public override double[] Diagnostics =>
            !_certified ? [] : _net.P > _denseLimit ? [Bounds().RemainderNormBound] : _denseAtStart ? [] : [_dense ? 1.0 : 0.0];

        private bool _denseAtStart => _perron is null && _dense;
    }

    /// <summary>min over the group's directions a of the interval of u_a M u_aᵀ: [min of the lower ends, min of the upper ends].</summary>
    private static CertifiedInterval Smallest(string[] groups, string group, Func<int, CertifiedInterval> of)
    {
        var members = Enumerable.Range(0, groups.Length).Where(a => groups[a] == group).Select(of).ToList();
        return new CertifiedInterval(members.Min(x => x.Lower), members.Min(x => x.Upper));
    }

    /// <summary>tr J = ‖W‖_F²/2 exactly (J_ii = n_i²/2), without forming J.</summary>
    private sealed class ShallowTraceMeasurement(ShallowReluNetwork net) : IMatrixMeasurement
    {
        public long Dimension => net.P;
        public CertifiedInterval Trace() { double t = 0.5 * net.FrobeniusNormSquared(); return new(t, t); }
        public CertifiedInterval SumOfSquares() => throw new InvalidOperationException("only the trace was measured");
        public CertifiedInterval Eigenvalue(int k) => throw new InvalidOperationException("only the trace was measured");
        public CertifiedInterval Rayleigh(string group) => throw new InvalidOperationException("only the trace was measured");
    }

    /// <summary>The dense J, whose trace is read from W as on every other route (so a trial's trace does not depend on the route).</summary>
    private sealed class DenseJMeasurement(ShallowReluNetwork net, DenseMatrixMeasurement dense) : IMatrixMeasurement
    {
        public long Dimension => dense.Dimension;
        public CertifiedInterval Trace() { double t = 0.5 * net.FrobeniusNormSquared(); return new(t, t); }
        public CertifiedInterval SumOfSquares() => dense.SumOfSquares();
        public CertifiedInterval Eigenvalue(int k) => dense.Eigenvalue(k);
        public CertifiedInterval Rayleigh(string group) => dense.Rayleigh(group);
    }

    /// <summary>J (or Theorem 2's R, whose norm alone is bounded) through certified intervals of its truncation J_K.</summary>
    private sealed class ShallowCertifiedMeasurement(ShallowReluNetwork net, TruncatedKernelBounds bounds, bool remainder,
        Func<string, CertifiedInterval> rayleigh) : IMatrixMeasurement
    {
        public long Dimension => net.P;
        public CertifiedInterval Trace() { double t = 0.5 * net.FrobeniusNormSquared(); return new(t, t); }
        public CertifiedInterval SumOfSquares() => throw new InvalidOperationException("Σλ² needs the dense J");
        public CertifiedInterval Eigenvalue(int k) => !remainder ? bounds.Eigenvalue(k)
            : k == 1 ? bounds.TheoremTwoRemainderNorm : throw new InvalidOperationException("only ‖R‖₂ is bounded");
        public CertifiedInterval Rayleigh(string group) => remainder ? throw new InvalidOperationException("only ‖R‖₂ is bounded") : rayleigh(group);
    }
}

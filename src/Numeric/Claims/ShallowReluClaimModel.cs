using FimVerify.Numeric.Resources;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// The one-hidden-layer ReLU network of seed 000 (MATH.md §1): W ∈ R^{d×p}, W_ij ~ N(0, 1/p), at width p. Matrices: `j`, the
/// Fisher matrix J by Lemma 1; `main` and `remainder`, Theorem 2's main part and R = J − main. Up to p = 2000 they are formed
/// densely; above, the statistics of J come from certified intervals of its low-rank truncation (<see cref="TruncatedKernelBounds"/>,
/// O(p r²) per trial), so a trial whose interval straddles the prediction leaves the claim undecided. The trace of J is
/// ‖W‖_F²/2 exactly, at any p. Predictions may use d, p, Lemma 2's constant C(d) derived by the symbolic layer, D = the number
/// of Gram entries, and the slacks ξ(d−2), ξ(d−1) (xi_pair, xi_diag) from its exact moments; rayleigh:G reads Theorem 3's
/// quadratic forms u J uᵀ of the unit directions v⁽⁰⁾ (v0), W_l (W), v^(α,β) (pair), v^(γ) (diag), the smallest in the group.
/// </summary>
public sealed class ShallowReluClaimModel(int d) : ClaimModel
{
    /// <summary>The largest p at which J (and Theorem 2's parts) are formed densely, as `verify theorem3` does.</summary>
    public const int DenseLimit = 2000;

    private static readonly IReadOnlyList<string> Groups = ["v0", "W", "pair", "diag"];

    public int D => d;
    public override string Family => "shallow-relu";
    public override string SizeSymbol => "p";
    public override long MinimumSize => Math.Max(2, d);
    public override IReadOnlyList<string> Keys => ["d"];
    public override IReadOnlyList<string> Matrices => ["j", "main", "remainder"];
    public override IReadOnlyList<string> SizeSymbols => ["d", "p", "C", "D", "xi_pair", "xi_diag"];
    public override IReadOnlyList<string> RayleighGroups(string matrix) => matrix == "j" ? Groups : [];
    public override IReadOnlyList<KeyValuePair<string, string>> Parameters => [new("d", $"{d}")];

    public static ShallowReluClaimModel Read(ClaimFieldReader f) => new((int)f.RequiredLong("d", 2, 1000));

    private readonly Lazy<IReadOnlyDictionary<string, double>> _fixed = new(() => new Dictionary<string, double>
    {
        ["d"] = d, ["C"] = Lemma2Constant.FromSymbolicLayer(d).Value, ["D"] = Lemma2Constant.EntryCount(d),
        ["xi_pair"] = Lemma2Slack.XiPair(d), ["xi_diag"] = Lemma2Slack.XiDiagonal(d),
    });

    public override IReadOnlyDictionary<string, double> SymbolsAt(long size) =>
        new Dictionary<string, double>(_fixed.Value) { ["p"] = size };

    public override long DimensionOf(string matrix, long size) => size;

    private static bool TraceOnly(Statistic s) => s.Kind is StatisticKind.Trace or StatisticKind.Mean;

    public override ResourceEstimate Plan(string matrix, Statistic statistic, long p)
    {
        if ((double)d * p > 2e8) throw new ArgumentException($"d·p = {(double)d * p:G3} exceeds the 2·10⁸ weights one trial may hold");
        var weights = Estimate(16.0 * d * p, 4.0 * d * p, (double)d * p);
        int directions = DirectionVectors.Count(d);
        double rayleighBytes = statistic.Kind == StatisticKind.Rayleigh ? 8.0 * directions * p : 0;
        if (matrix == "j" && TraceOnly(statistic)) return weights;
        if (p <= DenseLimit)
        {
            double n = p;
            double build = n * n * (2 * d + 30) + (matrix == "j" ? 0 : 2 * n * n * directions)
                + (statistic.Kind == StatisticKind.Rayleigh ? 2 * n * n * directions : 0);
            return weights.Then(Dense(n, build, rayleighBytes + (matrix == "j" ? 0 : 16 * n * n), statistic.EigenvaluesNeeded > 0));
        }
        string dense = $"is formed densely only up to p = {DenseLimit} (above, J's statistics come from certified bounds of its truncation)";
        if (matrix == "main") throw new ArgumentException($"the matrix main {dense}");
        if (matrix == "remainder" && statistic.Kind != StatisticKind.LambdaMax && !(statistic.Kind == StatisticKind.Eigenvalue && statistic.K == 1))
            throw new ArgumentException($"above p = {DenseLimit} only lambda-max of the remainder (its norm ‖R‖₂) is bounded; {statistic.Name} needs the dense R");
        if (statistic.Kind == StatisticKind.SecondMoment) throw new ArgumentException($"second-moment needs the dense J, which {dense}");
        int order = TruncatedKernelBounds.DefaultOrder(d, p);
        double r = TruncatedKernelBounds.RankOf(d, order);
        return weights.Then(Estimate(8 * (TruncatedKernelBounds.BlockRows * (r + directions) + 4 * r * r) + rayleighBytes, 2 * p * r * (r + directions) + 10 * r * r * r,
            Math.Max(TruncatedKernelBounds.BlockRows * (r + directions), r * r)));
    }

    public override bool IsExact(string matrix, Statistic statistic, long size) => size <= DenseLimit || (matrix == "j" && TraceOnly(statistic));

    public override ModelTrial Sample(string matrix, Statistic statistic, long size, SeedSequence seed)
    {
        var net = ShallowReluNetwork.Sample(d, checked((int)size), seed);
        return new ModelTrial(Measure(net, matrix, statistic), new Dictionary<string, double>());
    }

    /// <summary>
    /// The matrix of one network, as far as the statistic needs it: dense up to <paramref name="denseLimit"/>, certified bounds
    /// above (tests lower the limit to hold the two routes together).
    /// </summary>
    public static IMatrixMeasurement Measure(ShallowReluNetwork net, string matrix, Statistic statistic, int denseLimit = DenseLimit)
    {
        if (matrix == "j" && TraceOnly(statistic)) return new ShallowTraceMeasurement(net);
        bool rayleigh = statistic.Kind == StatisticKind.Rayleigh;
        if (net.P <= denseLimit)
        {
            if (matrix != "j")
            {
                var t2 = Theorem2Decomposition.Compute(net);
                return new DenseMatrixMeasurement(matrix == "main" ? t2.Main : t2.Remainder, net.P, eigenvaluesNeeded: statistic.EigenvaluesNeeded);
            }
            var j = net.FisherByLemma1();
            Func<string, CertifiedInterval>? quadratic = null;
            if (rayleigh)
            {
                var (units, groups) = UnitDirections(net);
                var q = ReluKernelQuadraticForms.FromDense(j, units);
                quadratic = g => Smallest(groups, g, a => new CertifiedInterval(q[a, a], q[a, a]));
            }
            return new DenseMatrixMeasurement(j, net.P, quadratic, statistic.EigenvaluesNeeded);
        }
        var (vectors, labels) = rayleigh ? UnitDirections(net) : ([], []);
        var bounds = TruncatedKernelBounds.Compute(net, TruncatedKernelBounds.DefaultOrder(net.D, net.P), vectors);
        return new ShallowCertifiedMeasurement(net, bounds, matrix == "remainder", g => Smallest(labels, g, bounds.Rayleigh));
    }

    /// <summary>The unit direction vectors of Theorem 3 and the claim-file group of each.</summary>
    private static (IReadOnlyList<double[]> Units, string[] Groups) UnitDirections(ShallowReluNetwork net)
    {
        var dirs = DirectionVectors.Of(net).All;
        var units = dirs.Select(v =>
        {
            double s = 1.0 / Math.Sqrt(Kernels.Dot.Product(v.Values, v.Values));
            return v.Values.Select(x => x * s).ToArray();
        }).ToList();
        return (units, dirs.Select(v => Groups[(int)v.Group]).ToArray());
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

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// Certified intervals for the eigenvalues of J, for Theorem 2's ‖R‖₂ and for Rayleigh quotients u J uᵀ, from a low-rank
/// truncation of J, in O(p r²) instead of O(p²) (or O(p³)):
/// <list type="bullet">
/// <item>J = D_n κ∘(T) D_n with κ(t) = Σ_m c_m t^m, every c_m ≥ 0 (the exact series of the symbolic layer), and T^{∘m} the Gram
/// matrix of the degree-m monomial features of the unit columns ŵ_i (<see cref="MonomialFeatures"/>). So
/// J_K = Σ_{m≤K} c_m D_n T^{∘m} D_n = Φ Φᵀ with Φ of p × r, r = Σ_{m≤K, c_m&gt;0} C(d+m−1, m), and the nonzero eigenvalues of J_K are
/// those of the r × r matrix G = ΦᵀΦ.</item>
/// <item>R_K = J − J_K = Σ_{m&gt;K} c_m D_n T^{∘m} D_n ⪰ 0 (Schur product theorem), so λ_i(J_K) ≤ λ_i(J) ≤ λ_i(J_K) + ‖R_K‖ (Weyl) and
/// uᵀJ_K u ≤ uᵀJu ≤ uᵀJ_K u + uᵀR_K u.</item>
/// <item>Bounding R_K: tr R_K = τ_K‖W‖_F² with τ_K = 1/2 − Σ_{m≤K} c_m exactly (κ(1) = 1/2). Sharper: let k ≤ K be the highest degree
/// kept (c_k &gt; 0). For every m &gt; K, T^{∘m} = T^{∘(m−k)} ∘ T^{∘k} with T^{∘(m−k)} ⪰ 0 of unit diagonal, and D_n(A∘B)D_n = A∘(D_n B D_n),
/// so λ_max(D_n T^{∘m} D_n) ≤ λ_max(D_n T^{∘k} D_n) =: L (Schur: λ_max(A∘B) ≤ max_i A_ii·λ_max(B) for A, B ⪰ 0), hence R_K ⪯ τ_K·L·I
/// and ‖R_K‖ ≤ ρ_K = min(τ_K‖W‖_F², τ_K L). L = λ_max(Φ_kᵀΦ_k)/c_k comes from the degree-k block of G, so bounding the remainder
/// costs no pass over the rows beyond J_K's own (an earlier form used λ_max(T^{∘q}) of the first degree q above K times max_i n_i²,
/// which needed a second Gram of the degree-q features and is about ten times looser at p = 10⁵, d = 3).</item>
/// <item>Theorem 2's remainder is R = R_2 = Φ_{&gt;2}Φ_{&gt;2}ᵀ + R_K (Φ_{&gt;2}: the features of degree 3..K), so
/// λ_max(Φ_{&gt;2}ᵀΦ_{&gt;2}) ≤ ‖R‖₂ ≤ λ_max(Φ_{&gt;2}ᵀΦ_{&gt;2}) + ρ_K.</item>
/// </list>
/// The intervals are rigorous in exact arithmetic. Floating-point rounding is covered by an allowance of
/// 2(p + 2dK + 10 + r²)·u·tr J_K on each side (u = 2⁻⁵³): the standard bounds γ_p·‖Φ‖_F² for the Gram products, (2dK + 10)·u
/// relative for the feature entries, and r²·u·‖G‖ for a backward-stable symmetric eigen-solver (L gets the same allowance, divided
/// by c_k). The rows of Φ are generated block by block (Φ is never stored) and the Gram updates summed in block
/// order, so the result is the same for any thread count.
/// </summary>
public sealed class TruncatedKernelBounds
{
    /// <summary>Rows of Φ generated at a time.</summary>
    public const int BlockRows = 8192;

    public int Order { get; }
    public int Rank { get; }
    /// <summary>τ_K = Σ_{m&gt;K} c_m = 1/2 − Σ_{m≤K} c_m.</summary>
    public double TailWeight { get; }
    /// <summary>L ≥ λ_max(D_n T^{∘k} D_n) (with its rounding allowance), k the highest degree ≤ K with c_k &gt; 0.</summary>
    public double SchurBound { get; }
    /// <summary>ρ_K ≥ ‖J − J_K‖₂: the Schur bound, or the Perron bracket's upper end when the remainder was formed densely.</summary>
    public double RemainderNormBound => Math.Min(_schurRemainder, _perron?.NormUpper ?? double.PositiveInfinity);
    /// <summary>The dense remainder's Perron bracket (<see cref="PerronRemainderBounds"/>), when given to <see cref="Compute"/>.</summary>
    public PerronRemainderBounds? Perron => _perron;
    /// <summary>The rounding allowance added on each side of every interval.</summary>
    public double Allowance { get; }
    /// <summary>Eigenvalues of G = ΦᵀΦ, descending: the nonzero eigenvalues of J_K.</summary>
    public double[] TruncatedEigenvalues { get; }
    /// <summary>λ_max(Φ_{&gt;2}ᵀΦ_{&gt;2}): ‖J_K − J_2‖₂.</summary>
    public double HigherPartNorm { get; }

    private readonly double[] _rayleighTruncated, _rayleighRemainder;
    private readonly double _schurRemainder;
    private readonly PerronRemainderBounds? _perron;

    private TruncatedKernelBounds(int order, int rank, double tail, double schur, double remainder, double allowance,
        double[] eigenvalues, double higher, double[] rayleighTruncated, double[] rayleighRemainder, PerronRemainderBounds? perron)
    {
        Order = order; Rank = rank; TailWeight = tail; SchurBound = schur; _schurRemainder = remainder; Allowance = allowance;
        TruncatedEigenvalues = eigenvalues; HigherPartNorm = higher;
        _rayleighTruncated = rayleighTruncated; _rayleighRemainder = rayleighRemainder; _perron = perron;
    }

    /// <summary>r(d, K) = Σ_{m≤K, c_m&gt;0} C(d+m−1, m): the rank of J_K.</summary>
    public static long RankOf(int d, int order, KappaCoefficients? kappa = null)
    {
        kappa ??= KappaCoefficients.Default;
        long r = 0;
        for (int m = 0; m <= order; m++) if (kappa.C[m] > 0) r += MonomialFeatures.CountOf(d, m);
        return r;
    }

    /// <summary>
    /// The tail weight τ_K at which <see cref="DefaultOrder"/> stops raising K: ‖R_K‖ ≤ τ_K·L with L ≤ ‖W‖_F² is then about 10⁻³ at
    /// p = 10⁵, d = 3 (0.0011 over the report's 100 trials at K = 6, where the smallest gap it must clear is 0.034), and each further
    /// order roughly doubles the work for a remainder that no claim needs.
    /// </summary>
    public const double SufficientTailWeight = 0.003;

    /// <summary>
    /// The smallest even K ≥ 2 whose tail weight τ_K is at most <see cref="SufficientTailWeight"/>, or, when the budget stops short of
    /// it, the largest even K whose rank keeps the Gram work p·r² within <paramref name="flopBudget"/> and the truncation low-rank
    /// (r ≤ p/4, r ≤ 1000); at least K = 2 (Theorem 2's main part) and at most 60: e.g. K = 6 (r = 53, τ = 0.0026) for d = 3 at
    /// p = 10⁵ and at p = 2500, K = 4 (r = 91, the budget's limit) for d = 5 at p = 10⁵.
    /// </summary>
    public static int DefaultOrder(int d, long p, double flopBudget = 2e9, KappaCoefficients? kappa = null)
    {
        kappa ??= KappaCoefficients.Default;
        int order = 2;
        for (int k = 4; k <= 60 && kappa.TailFrom(order + 1) > SufficientTailWeight; k += 2)
        {
            double r = RankOf(d, k, kappa);
            if (p * r * r > flopBudget || r > p / 4.0 || r > 1000) break;
            order = k;
        }
        return order;
    }

    /// <summary>
    /// The bounds for J of <paramref name="net"/> truncated at order K, with Rayleigh data for the unit vectors given. With
    /// <paramref name="perron"/> (the same K and vectors, R_K formed densely) the remainder's norm is its Perron bracket and its
    /// quadratic forms are exact to rounding; the intervals follow the bracket as it is refined.
    /// </summary>
    public static TruncatedKernelBounds Compute(ShallowReluNetwork net, int order, IReadOnlyList<double[]> units, KappaCoefficients? kappa = null,
        PerronRemainderBounds? perron = null)
    {
        kappa ??= KappaCoefficients.Default;
        if (perron is not null && perron.Order != order) throw new ArgumentException($"the Perron bracket is for order {perron.Order}, not {order}", nameof(perron));
        int d = net.D, p = net.P, vectors = units.Count;
        if (order < 2 || order + 2 >= kappa.Order) throw new ArgumentOutOfRangeException(nameof(order), $"the order must lie in 2..{kappa.Order - 3}");
        foreach (var v in units) if (v.Length != p) throw new ArgumentException($"every vector must have length p = {p}");
        var degrees = Enumerable.Range(0, order + 1).Where(m => kappa.C[m] > 0).ToArray();
        int top = degrees[^1];
        var monomials = new MonomialFeatures(d, top);
        var offsets = new int[degrees.Length + 1];
        for (int k = 0; k < degrees.Length; k++) offsets[k + 1] = offsets[k] + monomials.CountOfDegree(degrees[k]);
        int r = offsets[^1];
        int firstHigher = Array.FindIndex(degrees, m => m > 2);
        int higherStart = firstHigher < 0 ? r : offsets[firstHigher]; // K = 2: J_K is Theorem 2's main part, R = R_K

        var norms = net.ColumnNorms;
        var g = new double[(long)r * r];
        var projections = new double[(long)r * Math.Max(1, vectors)]; // Φᵀ U
        var phi = new double[(long)BlockRows * r];
        var ub = new double[(long)BlockRows * Math.Max(1, vectors)];
        var roots = degrees.Select(m => Math.Sqrt(kappa.C[m])).ToArray();
        for (int i0 = 0; i0 < p; i0 += BlockRows)
        {
            int rows = Math.Min(BlockRows, p - i0);
            Parallel.For(0, rows, Resources.KernelThreads.Options(), () => (new double[d], new double[monomials.Count], new double[monomials.Count]), (row, _, scratch) =>
            {
                var (w, all, work) = scratch;
                int i = i0 + row;
                double n = norms[i];
                for (int l = 0; l < d; l++) w[l] = n > 0 ? net.Weight(l, i) / n : 0;
                monomials.Evaluate(w, all, work);
                var target = phi.AsSpan(row * r, r);
                for (int k = 0; k < degrees.Length; k++)
                {
                    double scale = n * roots[k];
                    var source = all.AsSpan(monomials.Offset(degrees[k]), offsets[k + 1] - offsets[k]);
                    var into = target.Slice(offsets[k], source.Length);
                    for (int e = 0; e < source.Length; e++) into[e] = scale * source[e];
                }
                for (int a = 0; a < vectors; a++) ub[row * vectors + a] = units[a][i];
                return scratch;
            }, _ => { });
            // Products of r ≈ 100 columns are too small to gain from threads (trials run in parallel anyway).
            Syrk.MultiplyUpper(Op.Transpose, r, rows, 1, phi.AsSpan(0, rows * r), r, 1, g, r, maxDegreeOfParallelism: 1);
            if (vectors > 0)
                Gemm.Multiply(Op.Transpose, Op.None, r, vectors, rows, 1, phi.AsSpan(0, rows * r), r, ub.AsSpan(0, rows * vectors), vectors, 1, projections, vectors, maxDegreeOfParallelism: 1);
        }
        Syrk.MirrorUpper(r, g, r);
        if (g.Any(x => !double.IsFinite(x)) || projections.Any(x => !double.IsFinite(x)))
            throw new NumericalException("the truncated kernel's Gram matrix has a non-finite entry");

        const double u = 1.0 / (1L << 53);
        double frobenius = net.FrobeniusNormSquared();
        double tail = kappa.TailFrom(order + 1);
        double traceTruncated = frobenius * (0.5 - tail);
        double allowance = 2 * (p + 2.0 * d * order + 10 + (double)r * r) * u * traceTruncated;
        // L ≥ λ_max(D_n T^{∘k} D_n) from G's degree-k block (c_k·D_n T^{∘k} D_n), k the highest degree kept.
        double schur = (LargestEigenvalue(Block(g, r, offsets[^2], r)) + allowance) / kappa.C[top];
        double remainder = Math.Min(tail * frobenius, tail * schur);

        var eigenvalues = DenseSymmetricEigen.Eigenvalues(new SymmetricMatrix(r, g)).Reverse().ToArray();
        double higherNorm = LargestEigenvalue(Block(g, r, higherStart, r));

        var rayleighTruncated = new double[vectors];
        var rayleighRemainder = new double[vectors];
        for (int a = 0; a < vectors; a++)
        {
            double s = 0, norm = 0;
            for (int k = 0; k < r; k++) s += projections[(long)k * vectors + a] * projections[(long)k * vectors + a];
            for (int i = 0; i < p; i++) { double x = units[a][i]; norm += x * x; }
            if (Math.Abs(norm - 1) > 1e-12) throw new ArgumentException($"vector {a} is not a unit vector (‖u‖² = {norm:R})");
            rayleighTruncated[a] = s;
            rayleighRemainder[a] = remainder; // uᵀR_K u ≤ ‖R_K‖ for a unit u
        }
        return new TruncatedKernelBounds(order, r, tail, schur, remainder, allowance, eigenvalues, higherNorm, rayleighTruncated, rayleighRemainder, perron);
    }

    /// <summary>λ_k(J) (1-based, descending) lies in this interval.</summary>
    public CertifiedInterval Eigenvalue(int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "eigenvalues are numbered from 1");
        double truncated = k <= Rank ? TruncatedEigenvalues[k - 1] : 0;
        return new CertifiedInterval(Math.Max(0, truncated - Allowance), truncated + RemainderNormBound + Allowance).Validated();
    }

    /// <summary>‖R‖₂ of Theorem 2 (R = J − main = R_2) lies in this interval. R_2 = Φ_{&gt;2}Φ_{&gt;2}ᵀ + R_K ⪰ R_K ⪰ 0, so the Perron
    /// bracket's lower end bounds it from below too.</summary>
    public CertifiedInterval TheoremTwoRemainderNorm =>
        new CertifiedInterval(Math.Max(Math.Max(0, HigherPartNorm - Allowance), _perron?.NormLower ?? 0), HigherPartNorm + RemainderNormBound + Allowance).Validated();

    /// <summary>u J uᵀ for the a-th unit vector given to <see cref="Compute"/> lies in this interval.</summary>
    public CertifiedInterval Rayleigh(int a)
    {
        if (_perron is null)
            return new CertifiedInterval(Math.Max(0, _rayleighTruncated[a] - Allowance), _rayleighTruncated[a] + _rayleighRemainder[a] + Allowance).Validated();
        var remainder = _perron.Quadratic(a);
        return new CertifiedInterval(Math.Max(0, _rayleighTruncated[a] + remainder.Lower - Allowance), _rayleighTruncated[a] + remainder.Upper + Allowance).Validated();
    }

    /// <summary>The principal block [start, end) × [start, end) of the r × r matrix g.</summary>
    private static SymmetricMatrix Block(double[] g, int r, int start, int end)
    {
        int h = end - start;
        var block = new SymmetricMatrix(h);
        for (int a = 0; a < h; a++)
            for (int c = 0; c < h; c++) block[a, c] = g[(long)(start + a) * r + start + c];
        return block;
    }

    private static double LargestEigenvalue(SymmetricMatrix m) => m.N == 0 ? 0 : DenseSymmetricEigen.Eigenvalues(m)[^1];
}

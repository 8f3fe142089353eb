using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Verification;
using FimVerify.Symbolic;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// ‖R_K‖₂ bracketed, and u R_K uᵀ for given vectors, for the remainder R_K = J − J_K = D_n (Σ_{m&gt;K} c_m T^{∘m}) D_n formed
/// densely (p up to a few thousand). Every tail coefficient of κ is an even-indexed positive number — κ_(2n+2) = C(2n,n)/(4ⁿ(2n+1)(2n+2)·2π),
/// proved for all n by the symbolic layer (<see cref="KappaTailCoefficient"/>) — so R_K is entrywise non-negative and positive
/// semidefinite, and ‖R_K‖₂ = ρ(R_K), the Perron root. For any positive x the Collatz–Wielandt ratios bracket it:
/// min_i (R x)_i/x_i ≤ ρ ≤ max_i (R x)_i/x_i, and power iteration x ← R x narrows the bracket monotonically (from x = n, the
/// column norms, near the Perron vector since R_ij ∝ n_i n_j).
/// <para>
/// Rounding: the entries are n_i n_j (κ(t) − Σ_{m≤K} c_m t^m) with κ by the SIMD kernel (stated accuracy 2·10⁻¹⁵, tested), t from
/// the unit columns (|dκ/dt| ≤ 1/2), clamped at 0; their error is below ε n_i n_j with ε = 10⁻¹³ (fifty times what the parts give),
/// so ‖R̂ − R_K‖₂ ≤ ε‖n‖² = ε‖W‖_F² (a rank-one bound). Sums of non-negative terms have relative error ≤ γ_p = pu/(1 − pu), so each
/// ratio is widened by that factor. u R_K uᵀ is exact up to ε(Σ_i n_i|u_i|)² + γ_p·ρ‖u‖².
/// </para>
/// </summary>
public sealed class PerronRemainderBounds
{
    /// <summary>The per-entry error allowance relative to n_i n_j.</summary>
    public const double EntryAllowance = 1e-13;

    private readonly SymmetricMatrix _r;
    private readonly double[] _x;
    private readonly double _matrixError, _gamma;

    /// <summary>The truncation order K (R_K keeps the degrees above it).</summary>
    public int Order { get; }
    /// <summary>A lower bound of ‖R_K‖₂.</summary>
    public double NormLower { get; private set; }
    /// <summary>An upper bound of ‖R_K‖₂.</summary>
    public double NormUpper { get; private set; }
    /// <summary>Power iterations so far.</summary>
    public int Iterations { get; private set; }

    private readonly double[] _quadratic, _entryError, _unitNorm;

    private PerronRemainderBounds(int order, SymmetricMatrix r, double[] x, double matrixError, double gamma, double[] quadratic, double[] entryError, double[] unitNorm)
    {
        Order = order; _r = r; _x = x; _matrixError = matrixError; _gamma = gamma; _quadratic = quadratic; _entryError = entryError; _unitNorm = unitNorm;
    }

    private static readonly Lazy<bool> TailProved = new(() => KappaTailCoefficient.derive(KappaCoefficients.DefaultOrder).Proved);

    /// <summary>Forms R_K, runs <paramref name="iterations"/> power iterations and the quadratic forms of the unit vectors.</summary>
    public static PerronRemainderBounds Compute(ShallowReluNetwork net, int order, IReadOnlyList<double[]> units, int iterations = 8, KappaCoefficients? kappa = null)
    {
        kappa ??= KappaCoefficients.Default;
        int p = net.P, d = net.D, vectors = units.Count;
        if (order < 2 || order >= kappa.Order - 1) throw new ArgumentOutOfRangeException(nameof(order), $"the order must lie in 2..{kappa.Order - 2}");
        // Entrywise non-negativity needs every coefficient above K to be ≥ 0 with the odd ones 0 (t^m < 0 for odd m, t < 0).
        for (int m = order + 1; m < kappa.Order; m++)
            if (kappa.C[m] < 0 || (m % 2 == 1 && kappa.C[m] != 0)) throw new ArgumentException($"κ's coefficient c_{m} = {kappa.C[m]} would make the remainder negative somewhere");
        if (!TailProved.Value) throw new NumericalException("the symbolic layer did not prove κ's tail coefficients positive; the Perron bracket would not hold");
        foreach (var v in units) if (v.Length != p) throw new ArgumentException($"every vector must have length p = {p}");
        var norms = net.ColumnNorms;
        if (norms.Any(n => !(n > 0))) throw new NumericalException("a column of W is zero: the Perron start vector must be positive");
        var unit = net.UnitColumns();
        var r = new SymmetricMatrix(p);
        var c = kappa.C;
        // Upper triangle row by row: n_i n_j κ(t) by the SIMD kernel, minus n_i n_j Σ_{m≤K} c_m t^m by Horner on t recomputed in the
        // kernel's order; clamped at 0 (the true entries are ≥ 0, and clamping moves no entry farther from them).
        Parallel.For(0, p, Resources.KernelThreads.Options(), () => new double[p], (i, _, t) =>
        {
            int cols = p - i;
            var row = r.Row(i)[i..];
            ReluKernel.KappaTile(unit, d, p, i, 1, i, cols, row, cols, norms);
            var ti = t.AsSpan(0, cols);
            ti.Clear();
            for (int l = 0; l < d; l++) Dot.Axpy(unit[l * p + i], unit.AsSpan(l * p + i, cols), ti);
            for (int j = 0; j < cols; j++)
            {
                double tj = Math.Clamp(ti[j], -1, 1), poly = c[order];
                for (int m = order - 1; m >= 0; m--) poly = poly * tj + c[m];
                row[j] = Math.Max(0, row[j] - norms[i] * norms[i + j] * poly);
            }
            return t;
        }, _ => { });
        Syrk.MirrorUpper(p, r.Data, p);
        if (r.HasNonFinite()) throw new NumericalException("the remainder J − J_K has a non-finite entry");

        const double u = 1.0 / (1L << 53);
        double gamma = p * u / (1 - p * u);
        double matrixError = EntryAllowance * net.FrobeniusNormSquared();

        // u R uᵀ for every vector: Y = R U by one product (U stored p × vectors).
        var quadratic = new double[vectors];
        var entryError = new double[vectors];
        var unitNorm = new double[vectors];
        if (vectors > 0)
        {
            var uMatrix = new double[(long)p * vectors];
            for (int a = 0; a < vectors; a++)
                for (int i = 0; i < p; i++) uMatrix[(long)i * vectors + a] = units[a][i];
            var y = new double[(long)p * vectors];
            Gemm.Multiply(Op.None, Op.None, p, vectors, p, 1, r.Data, p, uMatrix, vectors, 0, y, vectors);
            for (int a = 0; a < vectors; a++)
            {
                double q = 0, weighted = 0, norm = 0;
                for (int i = 0; i < p; i++)
                {
                    double ui = units[a][i];
                    q += ui * y[(long)i * vectors + a];
                    weighted += norms[i] * Math.Abs(ui);
                    norm += ui * ui;
                }
                quadratic[a] = q;
                entryError[a] = EntryAllowance * weighted * weighted;
                unitNorm[a] = norm;
            }
        }
        var bounds = new PerronRemainderBounds(order, r, (double[])norms.Clone(), matrixError, gamma, quadratic, entryError, unitNorm);
        bounds.NormLower = 0;
        bounds.NormUpper = double.PositiveInfinity;
        bounds.Refine(iterations);
        return bounds;
    }

    /// <summary>
    /// <paramref name="iterations"/> more power iterations, each followed by the Collatz–Wielandt bracket (kept when tighter:
    /// every bracket is valid, so the bounds only narrow).
    /// </summary>
    public void Refine(int iterations)
    {
        int p = _r.N;
        var y = new double[p];
        for (int k = 0; k < iterations; k++)
        {
            Parallel.For(0, p, Resources.KernelThreads.Options(), i => y[i] = Dot.Product(_r.Row(i), _x));
            double low = double.PositiveInfinity, high = 0, norm = 0;
            for (int i = 0; i < p; i++)
            {
                double ratio = y[i] / _x[i];
                low = Math.Min(low, ratio);
                high = Math.Max(high, ratio);
                norm = Math.Max(norm, y[i]);
            }
            if (!double.IsFinite(high) || !(norm > 0))
            {
                // R̂ = 0 (or a component vanished): ρ(R̂) = 0 exactly when R̂ x = 0 for a positive x; otherwise keep the bracket.
                if (norm == 0) { NormLower = Math.Max(NormLower, 0); NormUpper = Math.Min(NormUpper, _matrixError); }
                Iterations++;
                break;
            }
            NormLower = Math.Max(NormLower, Math.Max(0, low * (1 - _gamma) - _matrixError));
            NormUpper = Math.Min(NormUpper, high * (1 + _gamma) + _matrixError);
            // The next iterate, scaled; a component that underflowed to 0 would end the bracket, so keep x positive.
            for (int i = 0; i < p; i++) _x[i] = Math.Max(y[i] / norm, double.Epsilon);
            Iterations++;
        }
    }

    /// <summary>The relative width of the bracket, (upper − lower)/upper.</summary>
    public double RelativeWidth => NormUpper > 0 ? (NormUpper - NormLower) / NormUpper : 0;

    /// <summary>u R_K uᵀ for the a-th vector given to <see cref="Compute"/>, with its rounding allowance.</summary>
    public CertifiedInterval Quadratic(int a)
    {
        // |uᵀ(R̂ − R)u| ≤ ε(Σ n_i|u_i|)²; the sum's rounding ≤ γ_p |u|ᵀR̂|u| ≤ γ_p ρ(R̂)‖u‖² (twice: the product, then the dot).
        double error = _entryError[a] + 2 * _gamma * (NormUpper + _matrixError) * _unitNorm[a];
        return new CertifiedInterval(Math.Max(0, _quadratic[a] - error), _quadratic[a] + error).Validated();
    }
}

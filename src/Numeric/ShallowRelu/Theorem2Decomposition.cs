using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// Theorem 2: J = (2d+1)/(4π) v⁽⁰⁾ᵀv⁽⁰⁾ + (1/4) Σ_k W_kᵀW_k + 1/(2πd)(Σ_γ v^(γ)ᵀv^(γ) + Σ_{α&lt;β} v^(α,β)ᵀv^(α,β)) + R.
/// The main part is assembled from the direction vectors (not from the series), so comparing R = J − main with the
/// series tail D_n(Σ_{m≥4} c_m T^{∘m})D_n checks the vectors and coefficients against Lemma 1 independently.
/// </summary>
public sealed class Theorem2Decomposition
{
    public ShallowReluNetwork Network { get; }
    public DirectionVectors Directions { get; }
    public KappaCoefficients Kappa { get; }
    public SymmetricMatrix J { get; }
    public SymmetricMatrix Main { get; }
    public SymmetricMatrix Remainder { get; }

    private Theorem2Decomposition(ShallowReluNetwork net, DirectionVectors dirs, KappaCoefficients kappa, SymmetricMatrix j, SymmetricMatrix main, SymmetricMatrix r)
    {
        Network = net; Directions = dirs; Kappa = kappa; J = j; Main = main; Remainder = r;
    }

    /// <summary>The coefficient of a group in the main part, as the symbolic layer derives it (<see cref="Theorem2Levels"/>).</summary>
    public static double GroupCoefficient(DirectionGroup group, int d) => Theorem2Levels.Of(group, d);

    public static Theorem2Decomposition Compute(ShallowReluNetwork net, KappaCoefficients? kappa = null)
    {
        kappa ??= KappaCoefficients.Default;
        var dirs = DirectionVectors.Of(net);
        int p = net.P, m = dirs.All.Count;
        // Main = AᵀA with the rows of A the vectors scaled by √coefficient.
        var a = new double[m * p];
        for (int r = 0; r < m; r++)
        {
            var v = dirs.All[r];
            double s = Math.Sqrt(GroupCoefficient(v.Group, net.D));
            for (int i = 0; i < p; i++) a[r * p + i] = s * v.Values[i];
        }
        var main = new SymmetricMatrix(p);
        Gemm.Multiply(Op.Transpose, Op.None, p, p, m, 1.0, a, p, a, p, 0.0, main.Data, p);
        Symmetrize(main);
        var j = net.FisherByLemma1();
        var r2 = new SymmetricMatrix(p);
        for (int k = 0; k < p * p; k++) r2.Data[k] = j.Data[k] - main.Data[k];
        if (main.HasNonFinite() || r2.HasNonFinite()) throw new NumericalException("the Theorem 2 main part has a non-finite entry");
        return new Theorem2Decomposition(net, dirs, kappa, j, main, r2);
    }

    // Gemm sums in the same order for (i, j) and (j, i) only up to the loop order; averaging makes symmetry exact.
    private static void Symmetrize(SymmetricMatrix s)
    {
        int n = s.N;
        for (int i = 0; i < n; i++)
            for (int k = i + 1; k < n; k++)
            {
                double v = 0.5 * (s.Data[i * n + k] + s.Data[k * n + i]);
                s.Data[i * n + k] = s.Data[k * n + i] = v;
            }
    }

    /// <summary>tr(main) from the vector norms: Σ_groups coefficient·Σ‖v‖².</summary>
    public double MainTrace() =>
        Directions.All.Sum(v => GroupCoefficient(v.Group, Network.D) * Kernels.Dot.Product(v.Values, v.Values));

    /// <summary>The exact ratio tr(main)/tr J = (c_0 + c_1 + c_2)/κ(1) = 1/2 + 3/(2π) (from the series; the same for every W).</summary>
    public double TheoreticalTraceRatio => (Kappa.C[0] + Kappa.C[1] + Kappa.C[2]) / 0.5;

    /// <summary>
    /// Worst ratio |R_ij − A_ij Σ_{2&lt;m&lt;K} c_m t_ij^m| / tolerance_ij over the off-diagonal entries (the diagonal, t = 1,
    /// is checked in closed form by <see cref="DiagonalRemainderError"/>), where the tolerance is the rigorous
    /// truncation bound A_ij |t_ij|^K Σ_{m≥K} c_m plus a rounding allowance 1e-13·A_ij. Below 1 means R equals the series tail.
    /// Near |t| = 1 the truncation bound is the tail itself, so this ratio sits just below 1 by construction there;
    /// <see cref="SeriesTailDiscrepancy(KappaCoefficients, double)"/> restricted to |t| ≤ 0.9 with a high order is the sharp check.
    /// </summary>
    public double SeriesTailDiscrepancy() => SeriesTailDiscrepancy(Kappa, 1.0).Worst;

    /// <summary>The sharp series check on a given remainder (tests pass a corrupted one).</summary>
    public static (double Worst, long Entries) SeriesTailDiscrepancy(ShallowReluNetwork net, SymmetricMatrix remainder, KappaCoefficients series, double maxAbsCosine) =>
        TailDiscrepancy(net, remainder, maxAbsCosine, false, t =>
            (series.TailPartialSum(t), Math.Pow(Math.Abs(t), series.Order) * series.TailFrom(series.Order)));

    /// <summary>
    /// The same ratio with the series <paramref name="series"/> (K = its order) over the off-diagonal entries with
    /// |t_ij| ≤ <paramref name="maxAbsCosine"/>, and how many entries that was. With |t| ≤ 0.9 and K = 201 the truncation bound
    /// 0.9^201·Σ_{m≥201} c_m ≈ 1e-14 is below the rounding allowance, so an error in any coefficient of the tail that moves an
    /// entry by more than ~1e-13·A_ij is caught.
    /// </summary>
    public (double Worst, long Entries) SeriesTailDiscrepancy(KappaCoefficients series, double maxAbsCosine) =>
        SeriesTailDiscrepancy(Network, Remainder, series, maxAbsCosine);

    /// <summary>
    /// Worst |R_ij − A_ij(κ(t) − c_0 − c_1 t − c_2 t²)| / (1e-13·A_ij) over the off-diagonal entries with |t_ij| &gt; <paramref name="minAbsCosine"/>,
    /// κ from Math.Acos: the closed-form sum of the tail, sharp where the series converges slowly (near |t| = 1) and
    /// independent of the SIMD κ that built J. Below 1 means R is the tail to rounding there.
    /// </summary>
    public (double Worst, long Entries) ClosedFormTailDiscrepancy(double minAbsCosine) => ClosedFormTailDiscrepancy(Network, Remainder, Kappa, minAbsCosine);

    /// <summary>The closed-form check on a given remainder (tests pass a corrupted one).</summary>
    public static (double Worst, long Entries) ClosedFormTailDiscrepancy(ShallowReluNetwork net, SymmetricMatrix remainder, KappaCoefficients kappa, double minAbsCosine) =>
        TailDiscrepancy(net, remainder, minAbsCosine, true, t =>
            (Kernels.ReluKernel.KappaReference(t) - kappa.C[0] - t * (kappa.C[1] + t * kappa.C[2]), 0.0));

    /// <summary>Worst |R_ij − A_ij·tail(t)| / (A_ij·(bound(t) + 1e-13)) over off-diagonal entries with |t| ≤ limit (or &gt; limit when outside).</summary>
    private static (double Worst, long Entries) TailDiscrepancy(ShallowReluNetwork net, SymmetricMatrix remainder, double limit, bool outside,
        Func<double, (double Tail, double Bound)> tail)
    {
        int p = net.P;
        var n = net.ColumnNorms;
        var worstPerRow = new double[p];
        var entriesPerRow = new long[p];
        Parallel.For(0, p, Resources.KernelThreads.Options(), i =>
        {
            double worst = 0;
            long entries = 0;
            for (int k = 0; k < p; k++)
            {
                if (k == i) continue;
                double dot = 0;
                for (int l = 0; l < net.D; l++) dot += net.Weight(l, i) * net.Weight(l, k);
                double aik = n[i] * n[k];
                double t = Math.Clamp(dot / aik, -1, 1);
                if ((Math.Abs(t) <= limit) == outside) continue;
                var (value, bound) = tail(t);
                worst = Math.Max(worst, Math.Abs(remainder[i, k] - aik * value) / (aik * (bound + 1e-13)));
                entries++;
            }
            worstPerRow[i] = worst;
            entriesPerRow[i] = entries;
        });
        return (worstPerRow.Max(), entriesPerRow.Sum());
    }

    /// <summary>Largest |R_ii − n_i²(κ(1) − c_0 − c_1 − c_2)| relative to n_i²: the diagonal of R is known in closed form.</summary>
    public double DiagonalRemainderError()
    {
        double worst = 0;
        for (int i = 0; i < Network.P; i++)
        {
            double n2 = Network.ColumnNorms[i] * Network.ColumnNorms[i];
            worst = Math.Max(worst, Math.Abs(Remainder[i, i] - n2 * Kappa.TailTotal) / n2);
        }
        return worst;
    }
}

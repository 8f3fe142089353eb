using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.Mlps;

/// <summary>
/// The CT×CT duals of the FIM and its variants, built layer by layer without forming the CT×P Jacobian:
/// J Jᵀ = Σ_l (Δ_l Δ_lᵀ) ∘ (H_{l−1} H_{l−1}ᵀ + 1), where the H Gram (T×T) is repeated over output pairs
/// (k, k′) and the "+1" is the bias. Row/column index r = k·T + t.
/// </summary>
public sealed class MlpDualGram
{
    private readonly MlpBackward _back;
    private readonly double[]?[] _deltaGram; // Δ_l Δ_lᵀ, computed once per layer
    private readonly double[]?[] _hGram;     // H_{l−1} H_{l−1}ᵀ

    private readonly bool _cacheDeltaGrams;
    private double[]? _scratch; // without the cache: one CT × CT array for every layer's Δ_l Δ_lᵀ in turn (taken while in use)

    /// <param name="cacheDeltaGrams">Keep each Δ_l Δ_lᵀ (CT × CT) for reuse (natural-gradient metrics read them many times); false
    /// forms each when a layer term needs it and lets it go (a trial that builds its dual once needs L fewer CT × CT matrices).</param>
    public MlpDualGram(MlpBackward backward, bool cacheDeltaGrams = true)
    {
        _back = backward;
        _cacheDeltaGrams = cacheDeltaGrams;
        int L = backward.Forward.Network.Depth;
        _deltaGram = new double[L + 1][];
        _hGram = new double[L + 1][];
    }

    public MlpBackward Backward => _back;
    private Mlp Net => _back.Forward.Network;
    private int T => _back.Forward.Samples;
    private int C => Net.Outputs;
    public int Size => C * T;

    /// <summary>Δ_l Δ_lᵀ (CT × CT).</summary>
    public double[] DeltaGram(int l) => _deltaGram[l] ??= Gram(_back.Delta[l], Size, Net.Widths[l]);

    /// <summary>H_{l−1} H_{l−1}ᵀ (T × T).</summary>
    public double[] ActivationGram(int l) => _hGram[l] ??= Gram(_back.Forward.H[l - 1], T, Net.Widths[l - 1]);

    /// <summary>
    /// Layer l's term of J Jᵀ: (Δ_l Δ_lᵀ) ∘ (a·H H ᵀ + b); (a, b) = (1, 1) for the standard parameterisation and
    /// (σ_w²/M_{l−1}, σ_b²) for the NTK one (∂f/∂ω = σ_w/√M_{l−1} · ∂f/∂W, ∂f/∂β = σ_b ∂f/∂b).
    /// </summary>
    public void AddLayerTerm(int l, double scale, bool ntk, double[] target)
    {
        double[]? borrowed = null;
        var dg = _deltaGram[l] ?? (_cacheDeltaGrams ? DeltaGram(l) : borrowed = GramInto(Interlocked.Exchange(ref _scratch, null), l));
        var hg = ActivationGram(l);
        double a = ntk ? Net.SigmaW2 / Net.Widths[l - 1] : 1, b = ntk ? Net.SigmaB2 : 1;
        int n = Size, tt = T;
        // Row r = (k, t) meets H H ᵀ's row t in every output block: the factor scale·(a·HHᵀ[t, s] + b) is formed once per row and
        // multiplied into the C blocks of T entries. Rows are independent, so any thread count gives the same bits.
        Parallel.For(0, n, Resources.KernelThreads.Options(), () => new double[tt], (r, _, factor) =>
        {
            int t = r % tt;
            for (int s = 0; s < tt; s++) factor[s] = scale * (a * hg[t * tt + s] + b);
            for (int block = 0; block < n; block += tt)
                Kernels.Dot.AccumulateProduct(dg.AsSpan(r * n + block, tt), factor, target.AsSpan(r * n + block, tt));
            return factor;
        }, _ => { });
        if (borrowed is not null) _scratch = borrowed;
    }

    /// <summary>Δ_l Δ_lᵀ into <paramref name="space"/> (a fresh array when null): a trial that forms each layer's Gram once, adds it
    /// and lets it go reuses one array instead of touching fresh memory for every layer.</summary>
    private double[] GramInto(double[]? space, int l)
    {
        space ??= GC.AllocateUninitializedArray<double>(checked(Size * Size)); // β = 0: every entry written
        Syrk.Multiply(Op.None, Size, Net.Widths[l], 1.0, _back.Delta[l], Net.Widths[l], 0.0, space, Size);
        return space;
    }

    /// <summary>(1/T) J Jᵀ for the standard parameterisation (the dual of the regression FIM).</summary>
    public SymmetricMatrix Fisher()
    {
        var f = new double[Size * Size];
        for (int l = 1; l <= Net.Depth; l++) AddLayerTerm(l, 1.0 / T, ntk: false, f);
        return new SymmetricMatrix(Size, f);
    }

    /// <summary>The dual of the diagonal block F_ll: (1/T)(Δ_l Δ_lᵀ) ∘ (H Hᵀ + 1).</summary>
    public SymmetricMatrix Block(int l)
    {
        var f = new double[Size * Size];
        AddLayerTerm(l, 1.0 / T, ntk: false, f);
        return new SymmetricMatrix(Size, f);
    }

    /// <summary>The NTK Θ = J Jᵀ under the NTK parameterisation (no 1/T).</summary>
    public SymmetricMatrix Ntk()
    {
        var f = new double[Size * Size];
        for (int l = 1; l <= Net.Depth; l++) AddLayerTerm(l, 1.0, ntk: true, f);
        return new SymmetricMatrix(Size, f);
    }

    /// <summary>
    /// Mean subtraction: ∇f̄_k(t) = ∇f_k(t) − (1/T)Σ_s ∇f_k(s), i.e. J̄ = (I_C ⊗ Π)J with Π = I − 11ᵀ/T,
    /// so the dual is (I ⊗ Π) G (I ⊗ Π): each T×T block is double-centred.
    /// </summary>
    public static SymmetricMatrix MeanSubtract(SymmetricMatrix g, int outputs, int samples)
    {
        int n = g.N, T = samples;
        var r = (double[])g.Data.Clone();
        for (int k = 0; k < outputs; k++)
            for (int k2 = 0; k2 < outputs; k2++)
            {
                var rowMean = new double[T]; var colMean = new double[T]; double all = 0;
                for (int t = 0; t < T; t++)
                    for (int s = 0; s < T; s++)
                    {
                        double v = r[(k * T + t) * n + k2 * T + s];
                        rowMean[t] += v / T; colMean[s] += v / T; all += v / (T * (double)T);
                    }
                for (int t = 0; t < T; t++)
                    for (int s = 0; s < T; s++) r[(k * T + t) * n + k2 * T + s] += all - rowMean[t] - colMean[s];
            }
        return new SymmetricMatrix(n, r);
    }

    /// <summary>
    /// Softmax cross-entropy: with g_t = softmax(f_t) and Q_t = diag(g_t) − g_t g_tᵀ = R_tᵀ R_t,
    /// R_t = diag(√g_t)(I − 1 g_tᵀ), the dual is R G Rᵀ with R block-diagonal over samples.
    /// Returns the dual and the softmax outputs (T × C).
    /// </summary>
    public static (SymmetricMatrix dual, double[] softmax) Softmax(SymmetricMatrix g, double[] outputs, int classes, int samples)
    {
        int C = classes, T = samples, n = C * T;
        var prob = new double[T * C];
        for (int t = 0; t < T; t++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < C; k++) max = Math.Max(max, outputs[t * C + k]);
            double z = 0;
            for (int k = 0; k < C; k++) z += prob[t * C + k] = Math.Exp(outputs[t * C + k] - max);
            for (int k = 0; k < C; k++) prob[t * C + k] /= z;
        }
        double R(int t, int i, int j) => Math.Sqrt(prob[t * C + i]) * ((i == j ? 1 : 0) - prob[t * C + j]);
        // X = R G (row-wise), then X Rᵀ.
        var x = new double[n * n];
        for (int t = 0; t < T; t++)
            for (int i = 0; i < C; i++)
                for (int j = 0; j < C; j++)
                {
                    double rij = R(t, i, j);
                    if (rij == 0) continue;
                    var src = g.Data.AsSpan((j * T + t) * n, n);
                    var dst = x.AsSpan((i * T + t) * n, n);
                    for (int c = 0; c < n; c++) dst[c] += rij * src[c];
                }
        var y = new double[n * n];
        for (int r = 0; r < n; r++)
            for (int s = 0; s < T; s++)
                for (int i = 0; i < C; i++)
                {
                    double acc = 0;
                    for (int j = 0; j < C; j++) acc += x[r * n + j * T + s] * R(s, i, j);
                    y[r * n + i * T + s] = acc;
                }
        return (new SymmetricMatrix(n, y), prob);
    }

    /// <summary>
    /// The dual of the input metric: rows G_x[(k,t)] = ∇_x f_k(x_t) = Δ_1[(k,t)] W¹, and A* = (1/T) G_x G_xᵀ.
    /// </summary>
    public SymmetricMatrix InputMetric()
    {
        int n = Size, m1 = Net.Widths[1], m0 = Net.Widths[0];
        var gx = new double[n * m0];
        Gemm.Multiply(Op.None, Op.None, n, m0, m1, 1.0, _back.Delta[1], m1, Net.Weights[0], m0, 0.0, gx, m0);
        var a = Gram(gx, n, m0);
        for (int i = 0; i < a.Length; i++) a[i] /= T;
        return new SymmetricMatrix(n, a);
    }

    /// <summary>X Xᵀ for X rows × cols (row-major), by SYRK (upper triangle, mirrored: exactly symmetric).</summary>
    internal static double[] Gram(double[] x, int rows, int cols) => Syrk.RowGram(x, rows, cols).Data;
}

using System.Numerics;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Mlps;

namespace FimVerify.Numeric.NaturalGradient;

/// <summary>
/// Natural gradient with exact and approximate Fishers on one network and batch (one output, N samples), in the
/// zero-damping limit (pseudo-inverses). Everything is computed through N×N Grams, never a P×P matrix:
/// with J_l the layer-l Jacobian (row n = δ_l(n) ⊗ h̃_{l−1}(n), h̃ = (h, 1)), K_l = J_l J_lᵀ = (Δ_lΔ_lᵀ) ∘ (H̃H̃ᵀ):
/// <list type="bullet">
/// <item>exact, G = JᵀJ/N: Θ̄ = J G⁺ Jᵀ/N = K K⁺ (K = Σ_l K_l), step G⁺∇L = Jᵀ K⁺ r;</item>
/// <item>layer-wise, G = ⊕_l J_lᵀJ_l/N: Θ̄ = Σ_l K_l K_l⁺, step_l = J_lᵀ K_l⁺ r;</item>
/// <item>K-FAC, G_l = A_{l−1} ⊗ B_l with A = H̃ᵀH̃/N, B = Δ_lᵀΔ_l/N: since h̃(n)ᵀA⁺h̃(m) = N·Π(H̃H̃ᵀ)_{nm} and
///   δ(n)ᵀB⁺δ(m) = N·Π(Δ_lΔ_lᵀ)_{nm} (Π the projector onto the range), Θ̄ = Σ_l N·Π(Δ_lΔ_lᵀ) ∘ Π(H̃H̃ᵀ), and
///   the step is ΔW_l = N Δ_lᵀ(Δ_lΔ_lᵀ)⁺ diag(r) (H̃H̃ᵀ)⁺ H̃;</item>
/// <item>unit-wise, one block per unit i of layer l with J_{l,i} = diag(δ_{l,i}) H̃: Θ̄ = Σ_{l,i} Π(D_i H̃H̃ᵀ D_i), and
///   the step's row i is H̃ᵀ D_i (D_i H̃H̃ᵀ D_i)⁺ r.</item>
/// </list>
/// r = f − y and ∇L = Jᵀr/N (loss (1/2N)Σ(f − y)²), so to first order f ← f − η Θ̄ r.
/// </summary>
public sealed class ApproximateNaturalGradient
{
    private readonly MlpDualGram _dual;

    public ApproximateNaturalGradient(MlpDualGram dual)
    {
        if (dual.Backward.Forward.Network.Outputs != 1)
            throw new ArgumentException("the natural-gradient scales are stated for one output (C = 1)");
        _dual = dual;
    }

    private ForwardPass Forward => _dual.Backward.Forward;
    private Mlp Net => Forward.Network;
    public int Samples => Forward.Samples;
    private int Depth => Net.Depth;

    /// <summary>K_l = J_l J_lᵀ (N × N).</summary>
    public SymmetricMatrix LayerKernel(int l)
    {
        var k = new double[Samples * Samples];
        _dual.AddLayerTerm(l, 1.0, ntk: false, k);
        return new SymmetricMatrix(Samples, k);
    }

    /// <summary>H̃_{l−1} H̃_{l−1}ᵀ = H Hᵀ + 11ᵀ (the bias column is the 1).</summary>
    public SymmetricMatrix InputGram(int l)
    {
        var g = (double[])_dual.ActivationGram(l).Clone();
        for (int i = 0; i < g.Length; i++) g[i] += 1;
        return new SymmetricMatrix(Samples, g);
    }

    /// <summary>The function-space kernel Θ̄ = J G⁺ Jᵀ / N of the metric (N × N).</summary>
    public SymmetricMatrix Kernel(NaturalGradientMetric metric)
    {
        int n = Samples;
        var theta = new SymmetricMatrix(n);
        switch (metric)
        {
            case NaturalGradientMetric.Exact:
                var k = new SymmetricMatrix(n);
                for (int l = 1; l <= Depth; l++) _dual.AddLayerTerm(l, 1.0, ntk: false, k.Data);
                return new PsdPseudoInverse(k).Projector();
            case NaturalGradientMetric.LayerWise:
                for (int l = 1; l <= Depth; l++) Add(theta, new PsdPseudoInverse(LayerKernel(l)).Projector(), 1);
                return theta;
            case NaturalGradientMetric.Kfac:
                for (int l = 1; l <= Depth; l++)
                {
                    var pd = new PsdPseudoInverse(new SymmetricMatrix(n, _dual.DeltaGram(l))).Projector();
                    var ph = new PsdPseudoInverse(InputGram(l)).Projector();
                    for (int i = 0; i < n * n; i++) theta.Data[i] += n * pd.Data[i] * ph.Data[i];
                }
                return theta;
            case NaturalGradientMetric.UnitWise:
                for (int l = 1; l <= Depth; l++)
                {
                    var kh = InputGram(l);
                    for (int unit = 0; unit < Net.Widths[l]; unit++)
                    {
                        var (support, delta, inverse) = UnitBlock(kh, l, unit);
                        // Π(D K D) = D_S Π(K_SS) D_S⁻¹ on the support S of δ; with K_SS invertible this is I_S.
                        var p = inverse.Projector();
                        for (int a = 0; a < support.Length; a++)
                            for (int b = 0; b < support.Length; b++)
                                theta.Data[support[a] * n + support[b]] += delta[a] * p.Data[a * support.Length + b] / delta[b];
                    }
                }
                return theta;
            default:
                throw new ArgumentOutOfRangeException(nameof(metric));
        }
    }

    /// <summary>
    /// The natural-gradient direction G⁺∇L for residuals r = f − y (length N), as per-layer (dW^l, db^l) shaped
    /// like the network's weights and biases. Each layer's update is E_lᵀ H̃_{l−1} for an N × M_l coefficient
    /// matrix E_l (plain gradient descent would have E_l = Δ_l ∘ r/N).
    /// </summary>
    /// <param name="reuse">A direction of this network from an earlier call whose arrays may be overwritten (they then hold the new
    /// direction): a trial that compares several metrics allocates the direction once.</param>
    public (double[][] dW, double[][] db) Direction(NaturalGradientMetric metric, ReadOnlySpan<double> residual, (double[][] dW, double[][] db)? reuse = null)
    {
        int n = Samples;
        if (residual.Length != n) throw new ArgumentException($"expected {n} residuals");
        var r = residual.ToArray();
        double[]? shared = null;
        if (metric == NaturalGradientMetric.Exact)
        {
            var k = new SymmetricMatrix(n);
            for (int l = 1; l <= Depth; l++) _dual.AddLayerTerm(l, 1.0, ntk: false, k.Data);
            shared = new PsdPseudoInverse(k).Apply(r);
        }
        if (reuse is { } r0 && (r0.dW.Length != Depth || r0.db.Length != Depth
            || Enumerable.Range(1, Depth).Any(l => r0.dW[l - 1].Length != Net.Widths[l] * Net.Widths[l - 1] || r0.db[l - 1].Length != Net.Widths[l])))
            throw new ArgumentException("the direction to reuse has other shapes", nameof(reuse));
        var dW = reuse?.dW ?? new double[Depth][];
        var db = reuse?.db ?? new double[Depth][];
        for (int l = 1; l <= Depth; l++)
        {
            int m = Net.Widths[l], mPrev = Net.Widths[l - 1];
            var delta = _dual.Backward.Delta[l];
            var e = new double[n * m];
            switch (metric)
            {
                case NaturalGradientMetric.Exact:
                case NaturalGradientMetric.LayerWise:
                    var c = shared ?? new PsdPseudoInverse(LayerKernel(l)).Apply(r);
                    for (int t = 0; t < n; t++)
                        for (int i = 0; i < m; i++) e[t * m + i] = delta[t * m + i] * c[t];
                    break;
                case NaturalGradientMetric.Kfac:
                    // Sᵀ = N (H̃H̃ᵀ)⁺ diag(r) (ΔΔᵀ)⁺, E = Sᵀ Δ.
                    var hInv = new PsdPseudoInverse(InputGram(l)).Inverse();
                    var dInv = new PsdPseudoInverse(new SymmetricMatrix(n, _dual.DeltaGram(l))).Inverse();
                    var st = new double[n * n];
                    for (int a = 0; a < n; a++)
                        for (int b = 0; b < n; b++)
                        {
                            double s = 0;
                            for (int q = 0; q < n; q++) s += hInv[a, q] * r[q] * dInv[q, b];
                            st[a * n + b] = n * s;
                        }
                    Gemm.Multiply(Op.None, Op.None, n, m, n, 1.0, st, n, delta, m, 0.0, e, m);
                    break;
                case NaturalGradientMetric.UnitWise:
                    var kh = InputGram(l);
                    for (int i = 0; i < m; i++)
                    {
                        // E[:, i] = D c with c = (D K D)⁺ r = D_S⁻¹ K_SS⁺ D_S⁻¹ r_S: the division by δ is the step's own.
                        var (support, d, inverse) = UnitBlock(kh, l, i);
                        var scaled = support.Select((t, a) => r[t] / d[a]).ToArray();
                        var ci = inverse.Apply(scaled);
                        for (int a = 0; a < support.Length; a++) e[support[a] * m + i] = ci[a];
                    }
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(metric));
            }
            dW[l - 1] ??= GC.AllocateUninitializedArray<double>(m * mPrev); // β = 0 below overwrites every entry
            Gemm.Multiply(Op.Transpose, Op.None, m, mPrev, n, 1.0, e, m, Forward.H[l - 1], mPrev, 0.0, dW[l - 1], mPrev);
            if (db[l - 1] is null) db[l - 1] = new double[m];
            else Array.Clear(db[l - 1]);
            for (int t = 0; t < n; t++)
                for (int i = 0; i < m; i++) db[l - 1][i] += e[t * m + i];
        }
        return (dW, db);
    }

    /// <summary>The network after one step θ − η·G⁺∇L (same activation, widths and variances).</summary>
    public Mlp Step(NaturalGradientMetric metric, ReadOnlySpan<double> residual, double learningRate) =>
        Step(Direction(metric, residual), learningRate);

    /// <summary>The network after one step θ − η·direction, for a direction from <see cref="Direction"/>.</summary>
    /// <param name="reuse">A network of the same widths from an earlier call whose parameters may be overwritten (it is returned, holding
    /// the new ones): a trial that tries several steps then allocates the parameters once, not once a step.</param>
    public Mlp Step((double[][] dW, double[][] db) direction, double learningRate, Mlp? reuse = null)
    {
        var (dW, db) = direction;
        if (reuse is not null && !reuse.Widths.AsSpan().SequenceEqual(Net.Widths))
            throw new ArgumentException("the network to reuse has other widths", nameof(reuse));
        if (reuse is not null && (ReferenceEquals(reuse, Net) || reuse.Weights.Any(w => Net.Weights.Contains(w))))
            throw new ArgumentException("the network to reuse shares parameters with the one stepped from", nameof(reuse));
        return new Mlp(Net.Activation, Net.Widths, Net.SigmaW2, Net.SigmaB2, Stepped(Net.Weights, dW, learningRate, reuse?.Weights),
            Stepped(Net.Biases, db, learningRate, reuse?.Biases));
    }

    /// <summary>θ − η·d per layer, by plain loops: LINQ's enumerators over millions of weights cost more than the step's arithmetic.</summary>
    private static double[][] Stepped(double[][] theta, double[][] d, double learningRate, double[][]? into)
    {
        var result = into ?? new double[theta.Length][];
        for (int l = 0; l < theta.Length; l++)
        {
            double[] from = theta[l], by = d[l], to = result[l] ??= GC.AllocateUninitializedArray<double>(from.Length);
            if (by.Length != from.Length || to.Length != from.Length) throw new ArgumentException($"the direction of layer {l + 1} has {by.Length} entries, not {from.Length}");
            // θ − (η·d), each operation rounded as in the scalar loop (no fused multiply-add), so the lanes give the scalar bits.
            var eta = new Vector<double>(learningRate);
            int i = 0;
            for (; i + Vector<double>.Count <= to.Length; i += Vector<double>.Count)
                (new Vector<double>(from, i) - eta * new Vector<double>(by, i)).CopyTo(to, i);
            for (; i < to.Length; i++) to[i] = from[i] - learningRate * by[i];
        }
        return result;
    }

    /// <summary>
    /// Unit i of layer l: J_{l,i} J_{l,i}ᵀ = D H̃H̃ᵀ D with D = diag(δ_{l,i}(n)). Returns the support S = {n : δ(n) ≠ 0}
    /// (an inactive ReLU unit has exact zeros), δ on S and the pseudo-inverse of K_SS = (H̃H̃ᵀ)_SS. Factoring D out keeps
    /// the rank decision off the δ's scale: (D K D)⁺ = D_S⁻¹ K_SS⁺ D_S⁻¹ when K_SS is invertible, which the rank condition
    /// N ≤ M_{l−1} + 1 gives (a rank-deficient K_SS is rejected rather than mis-projected).
    /// </summary>
    private (int[] support, double[] delta, PsdPseudoInverse inverse) UnitBlock(SymmetricMatrix inputGram, int l, int unit)
    {
        int n = Samples, m = Net.Widths[l];
        var all = _dual.Backward.Delta[l];
        var support = Enumerable.Range(0, n).Where(t => all[t * m + unit] != 0).ToArray();
        var k = new SymmetricMatrix(support.Length);
        for (int a = 0; a < support.Length; a++)
            for (int b = 0; b < support.Length; b++) k.Data[a * support.Length + b] = inputGram.Data[support[a] * n + support[b]];
        var inverse = new PsdPseudoInverse(k);
        if (inverse.Rank < support.Length)
            throw new NumericalException($"the unit-wise block of unit {unit} in layer {l} is rank-deficient (H̃H̃ᵀ restricted to its active samples is singular)");
        return (support, support.Select(t => all[t * m + unit]).ToArray(), inverse);
    }

    private static void Add(SymmetricMatrix target, SymmetricMatrix x, double w)
    {
        for (int i = 0; i < target.Data.Length; i++) target.Data[i] += w * x.Data[i];
    }
}

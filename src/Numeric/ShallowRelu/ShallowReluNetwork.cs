using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// The one-hidden-layer ReLU network of seed 000: hidden weights W ∈ R^{d×p} with W_ij ~ N(0, 1/p),
/// stored row-major (row l is W_l ∈ R^p; column i is W^(i) ∈ R^d).
/// </summary>
public sealed class ShallowReluNetwork
{
    public int D { get; }
    public int P { get; }
    /// <summary>Row-major d×p weights.</summary>
    public double[] Weights { get; }
    /// <summary>n_i = ‖W^(i)‖.</summary>
    public double[] ColumnNorms { get; }

    public ShallowReluNetwork(int d, int p, double[] weights)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), "d must be positive");
        if (p < 1) throw new ArgumentOutOfRangeException(nameof(p), "p must be positive");
        if (weights.Length != d * p) throw new ArgumentException($"expected {d * p} weights, got {weights.Length}");
        D = d; P = p; Weights = weights;
        ColumnNorms = new double[p];
        for (int i = 0; i < p; i++)
        {
            double s = 0;
            for (int l = 0; l < d; l++) s += weights[l * p + i] * weights[l * p + i];
            ColumnNorms[i] = Math.Sqrt(s);
        }
    }

    public ReadOnlySpan<double> Row(int l) => Weights.AsSpan(l * P, P);

    public double Weight(int l, int i) => Weights[l * P + i];

    /// <summary>Samples W with W_ij ~ N(0, 1/p) from the given stream.</summary>
    public static ShallowReluNetwork Sample(int d, int p, SeedSequence seed)
    {
        var w = new double[checked(d * p)];
        seed.Child("shallow-relu-weights").CreateSampler().FillGaussian(w, 1.0 / Math.Sqrt(p));
        return new ShallowReluNetwork(d, p, w);
    }

    /// <summary>‖W‖_F².</summary>
    public double FrobeniusNormSquared() => ColumnNorms.Sum(n => n * n);

    /// <summary>
    /// J = E_x[XᵀX] by Lemma 1: J_ij = n_i n_j κ(cos θ_ij), which gives J_ii = n_i²/2 since κ(1) = 1/2. Rows are independent, so they
    /// are computed in parallel with identical results for any thread count.
    /// </summary>
    public SymmetricMatrix FisherByLemma1(bool useSimd = true)
    {
        int p = P;
        var j = new SymmetricMatrix(p);
        var unit = UnitColumns();
        // Upper triangle row by row, J_ik = n_i n_k κ(ŵ_i·ŵ_k) in one fused SIMD pass (rows are independent, so any thread
        // count gives the same bits), then mirrored so J is exactly symmetric. The diagonal is not special-cased:
        // ŵ_i·ŵ_i = 1 up to rounding and κ(1) = 1/2, which tests check.
        Parallel.For(0, p, Resources.KernelThreads.Options(), i =>
        {
            var row = j.Row(i)[i..];
            if (useSimd) ReluKernel.KappaTile(unit, D, p, i, 1, i, p - i, row, p - i, ColumnNorms);
            else ReluKernel.KappaTileScalar(unit, D, p, i, 1, i, p - i, row, p - i, ColumnNorms);
        });
        Syrk.MirrorUpper(p, j.Data, p); // the blocked transpose shared with SYRK
        if (j.HasNonFinite()) throw new NumericalException("J by Lemma 1 has a non-finite entry (a zero column of W?)");
        return j;
    }

    /// <summary>Ŵ: W with every column divided by its norm (row-major d×p; a zero column stays zero).</summary>
    public double[] UnitColumns()
    {
        var unit = new double[D * P];
        for (int l = 0; l < D; l++)
            for (int i = 0; i < P; i++) unit[l * P + i] = ColumnNorms[i] > 0 ? Weight(l, i) / ColumnNorms[i] : 0;
        return unit;
    }

    /// <summary>Hidden activations X_j = ReLU(Σ_i x_i W_ij) for one input x ∈ R^d.</summary>
    public void Hidden(ReadOnlySpan<double> x, Span<double> destination)
    {
        destination.Clear();
        for (int l = 0; l < D; l++) Dot.Axpy(x[l], Row(l), destination);
        Relu.Apply(destination);
    }
}

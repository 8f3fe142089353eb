using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Models;

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
        var inv = ColumnNorms.Select(n => n > 0 ? 1.0 / n : 0.0).ToArray();
        // Upper triangle row by row (rows are independent, so any thread count gives the same bits),
        // then mirrored so J is exactly symmetric.
        Parallel.For(0, p, i =>
        {
            var row = j.Row(i)[i..];
            row.Clear();
            for (int l = 0; l < D; l++)
            {
                if (useSimd) Dot.Axpy(Weight(l, i), Row(l)[i..], row);
                else Dot.AxpyScalar(Weight(l, i), Row(l)[i..], row);
            }
            double ni = ColumnNorms[i], invI = inv[i];
            for (int k = 0; k < row.Length; k++) row[k] *= invI * inv[i + k];  // cos θ_ik
            if (useSimd) ReluKernel.Kappa(row, row); else ReluKernel.KappaScalar(row, row);
            // The diagonal is not special-cased: t_ii = 1 up to rounding and κ(1) = 1/2, which tests check.
            for (int k = 0; k < row.Length; k++) row[k] *= ni * ColumnNorms[i + k];
        });
        Syrk.MirrorUpper(p, j.Data, p); // the blocked transpose shared with SYRK
        if (j.HasNonFinite()) throw new NumericalException("J by Lemma 1 has a non-finite entry (a zero column of W?)");
        return j;
    }

    /// <summary>Hidden activations X_j = ReLU(Σ_i x_i W_ij) for one input x ∈ R^d.</summary>
    public void Hidden(ReadOnlySpan<double> x, Span<double> destination)
    {
        destination.Clear();
        for (int l = 0; l < D; l++) Dot.Axpy(x[l], Row(l), destination);
        Relu.Apply(destination);
    }
}

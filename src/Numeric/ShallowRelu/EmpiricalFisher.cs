using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// The empirical Fisher J⁽ⁿ⁾ = (1/n) Σ_t X_(t)ᵀ X_(t) = XᵀX/n of the shallow ReLU network from n inputs
/// x_t ~ N(0, I_d). Input t is drawn from its own addressed stream (seed / "empirical-fisher" / t), so J⁽ⁿ⁾ for
/// the first n inputs is a prefix of the run for more inputs, whatever the thread count. Inputs are processed in
/// fixed batches: X_batch = ReLU(x_batch W) by GEMM, then an upper-triangle SYRK update with β = 1, summed in batch order, mirrored once at the end.
/// </summary>
public static class EmpiricalFisher
{
    /// <summary>Rows per batch (fixed, so the summation order is too).</summary>
    public const int BatchSize = 2048;

    /// <summary>J⁽ⁿ⁾ as a dense matrix (wrap in <see cref="DenseOperator"/> for Lanczos).</summary>
    public static SymmetricMatrix Compute(ShallowReluNetwork network, int samples, SeedSequence seed, int maxDegreeOfParallelism = -1)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), "at least one sample is needed");
        int d = network.D, p = network.P;
        var result = new SymmetricMatrix(p);
        var stream = seed.Child("empirical-fisher");
        var inputs = new double[BatchSize * d];
        var hidden = new double[(long)BatchSize * p];
        for (int start = 0; start < samples; start += BatchSize)
        {
            int rows = Math.Min(BatchSize, samples - start);
            for (int t = 0; t < rows; t++) stream.Child(start + t).CreateSampler().FillGaussian(inputs.AsSpan(t * d, d));
            var h = hidden.AsSpan(0, rows * p);
            Gemm.Multiply(Op.None, Op.None, rows, p, d, 1.0, inputs, d, network.Weights, p, 0.0, h, p, maxDegreeOfParallelism);
            Relu.Apply(h);
            Syrk.MultiplyUpper(Op.Transpose, p, rows, 1.0 / samples, h, p, start == 0 ? 0.0 : 1.0, result.Data, p, maxDegreeOfParallelism);
        }
        Syrk.MirrorUpper(p, result.Data, p, maxDegreeOfParallelism);
        if (result.HasNonFinite()) throw new NumericalException("J⁽ⁿ⁾ has a non-finite entry");
        return result;
    }
}

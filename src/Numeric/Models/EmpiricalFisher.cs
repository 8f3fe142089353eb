using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Models;

/// <summary>
/// J⁽ⁿ⁾ = XᵀX/n over n inputs x ~ N(0, I_d), X the n×p matrix of hidden activations. Input t draws from the stream
/// (seed, "inputs", t / InputsPerStream), so J⁽ⁿ⁾ is the same for any thread count, and a larger n extends a smaller.
/// </summary>
public static class EmpiricalFisher
{
    public const int InputsPerStream = 256;

    public static SymmetricMatrix Compute(ShallowReluNetwork net, int n, SeedSequence seed)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), "n must be at least 1");
        int p = net.P, d = net.D;
        var x = new double[checked(n * p)];
        int streams = (n + InputsPerStream - 1) / InputsPerStream;
        var inputs = seed.Child("inputs");
        Parallel.For(0, streams, s =>
        {
            var rng = inputs.Child(s).CreateSampler();
            var input = new double[d];
            int end = Math.Min(n, (s + 1) * InputsPerStream);
            for (int t = s * InputsPerStream; t < end; t++)
            {
                rng.FillGaussian(input);
                net.Hidden(input, x.AsSpan(t * p, p));
            }
        });
        var j = new SymmetricMatrix(p);
        Gemm.Multiply(Op.Transpose, Op.None, p, p, n, 1.0 / n, x, p, x, p, 0.0, j.Data, p);
        for (int i = 0; i < p; i++)
            for (int k = i + 1; k < p; k++)
                j[i, k] = j[k, i] = 0.5 * (j[i, k] + j[k, i]);
        if (j.HasNonFinite()) throw new NumericalException("J⁽ⁿ⁾ has a non-finite entry");
        return j;
    }
}

using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.Mlps;

/// <summary>
/// Backpropagated signals δ^l = ∂f_k/∂u^l for every output k and sample t at once, as batched GEMMs:
/// Delta[l] is CT × M_l with row r = k·T + t; Δ_L = e_k, Δ_l = φ′(U^l) ∘ (Δ_{l+1} W^{l+1}).
/// </summary>
public sealed class MlpBackward
{
    public ForwardPass Forward { get; }
    /// <summary>Delta[l] for l = 1…L (Delta[0] unused).</summary>
    public double[][] Delta { get; }
    public int Rows => Forward.Network.Outputs * Forward.Samples;

    public MlpBackward(ForwardPass forward)
    {
        Forward = forward;
        var net = forward.Network;
        int L = net.Depth, C = net.Outputs, T = forward.Samples, rows = C * T;
        Delta = new double[L + 1][];
        Delta[L] = new double[rows * C];
        for (int k = 0; k < C; k++)
            for (int t = 0; t < T; t++) Delta[L][(k * T + t) * C + k] = 1;
        var phiPrime = new double[0];
        for (int l = L - 1; l >= 1; l--)
        {
            int m = net.Widths[l], mNext = net.Widths[l + 1];
            var d = GC.AllocateUninitializedArray<double>(rows * m); // β = 0 below overwrites every entry
            Gemm.Multiply(Op.None, Op.None, rows, m, mNext, 1.0, Delta[l + 1], mNext, net.Weights[l], m, 0.0, d, m);
            if (phiPrime.Length != T * m) phiPrime = new double[T * m];
            var (u, dps) = (forward.U[l], phiPrime);
            Parallel.For(0, T, Resources.KernelThreads.Options(), t => net.Activation.ApplyDerivative(u.AsSpan(t * m, m), dps.AsSpan(t * m, m)));
            // Row r = (k, t) times φ′(u_t), and the finiteness check in the same pass; rows are independent, so on every core.
            int nonFinite = 0;
            Parallel.For(0, rows, Resources.KernelThreads.Options(), r =>
            {
                var row = d.AsSpan(r * m, m);
                var dp = dps.AsSpan(r % T * m, m);
                bool finite = true;
                for (int i = 0; i < m; i++) finite &= double.IsFinite(row[i] *= dp[i]);
                if (!finite) Volatile.Write(ref nonFinite, 1);
            });
            if (nonFinite != 0) throw new NumericalException($"the backward pass produced a non-finite value in layer {l}");
            Delta[l] = d;
        }
    }

    /// <summary>
    /// Gradient of the loss (1/2T)Σ_t‖y_t − f_t‖² given the residuals f − y (T × C): returns dW^l (M_l × M_{l−1})
    /// and db^l, by backpropagating the residual rows instead of unit vectors.
    /// </summary>
    public static (double[][] dW, double[][] db) LossGradient(ForwardPass forward, double[] residual)
    {
        var net = forward.Network;
        int L = net.Depth, T = forward.Samples;
        var dW = new double[L][];
        var db = new double[L][];
        double[] delta = residual;
        for (int l = L; l >= 1; l--)
        {
            int m = net.Widths[l], mPrev = net.Widths[l - 1];
            if (l < L)
            {
                int mNext = net.Widths[l + 1];
                var d = new double[T * m];
                Gemm.Multiply(Op.None, Op.None, T, m, mNext, 1.0, delta, mNext, net.Weights[l], m, 0.0, d, m);
                var dp = new double[T * m];
                net.Activation.ApplyDerivative(forward.U[l], dp);
                for (int i = 0; i < d.Length; i++) d[i] *= dp[i];
                delta = d;
            }
            dW[l - 1] = new double[m * mPrev];
            Gemm.Multiply(Op.Transpose, Op.None, m, mPrev, T, 1.0 / T, delta, m, forward.H[l - 1], mPrev, 0.0, dW[l - 1], mPrev);
            db[l - 1] = new double[m];
            for (int t = 0; t < T; t++)
                for (int i = 0; i < m; i++) db[l - 1][i] += delta[t * m + i] / T;
        }
        return (dW, db);
    }
}

namespace FimVerify.Numeric.Mlps;

/// <summary>
/// Order parameters measured on one network and batch, to set against the recurrences layer by layer:
/// q^l_1 = mean_t ‖u^l_t‖²/M_l, q^l_2 = mean_{s≠t} u^l_s·u^l_t/M_l (same for q̂ with h^l),
/// q̃^l_1 = mean_{k,t} ‖δ^l_{k,t}‖², q̃^l_2 = mean_k mean_{s≠t} δ^l_{k,s}·δ^l_{k,t}. Index conventions as
/// in <see cref="MeanField.OrderParameters"/>.
/// </summary>
public sealed record EmpiricalOrderParameters(double[] Q1, double[] Q2, double[] QHat1, double[] QHat2, double[] QTilde1, double[] QTilde2)
{
    public static EmpiricalOrderParameters Measure(MlpDualGram dual)
    {
        var fwd = dual.Backward.Forward;
        var net = fwd.Network;
        int L = net.Depth, T = fwd.Samples, C = net.Outputs;
        if (T < 2) throw new ArgumentException("measuring overlaps needs at least two samples");
        double[] q1 = Nan(L + 1), q2 = Nan(L + 1), h1 = Nan(L + 1), h2 = Nan(L + 1), t1 = Nan(L + 1), t2 = Nan(L + 1);
        for (int l = 0; l <= L; l++)
        {
            int m = net.Widths[l];
            if (l >= 1) (q1[l], q2[l]) = DiagonalAndOverlap(MlpDualGram.Gram(fwd.U[l], T, m), T, 1, m);
            if (l < L) (h1[l], h2[l]) = DiagonalAndOverlap(dual.ActivationGram(l + 1), T, 1, m);
            if (l >= 1) (t1[l], t2[l]) = DiagonalAndOverlap(dual.DeltaGram(l), T, C, 1);
        }
        return new EmpiricalOrderParameters(q1, q2, h1, h2, t1, t2);
    }

    /// <summary>Means of the diagonal and of the within-block off-diagonal entries of a (blocks·T)² Gram, divided by the width.</summary>
    private static (double, double) DiagonalAndOverlap(double[] gram, int T, int blocks, int width)
    {
        int n = blocks * T;
        double diag = 0, off = 0;
        for (int b = 0; b < blocks; b++)
            for (int s = 0; s < T; s++)
                for (int t = 0; t < T; t++)
                {
                    double v = gram[(b * T + s) * n + b * T + t];
                    if (s == t) diag += v; else off += v;
                }
        return (diag / (blocks * T) / width, off / (blocks * T * (T - 1.0)) / width);
    }

    private static double[] Nan(int n) => Enumerable.Repeat(double.NaN, n).ToArray();
}

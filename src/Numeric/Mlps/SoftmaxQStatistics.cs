using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Operators;

namespace FimVerify.Numeric.Mlps;

/// <summary>
/// What the softmax predictions need from the network's outputs g_t = softmax(f_t), t = 1…T, through
/// Q_t = diag(g_t) − g_t g_tᵀ: the eigenvalues of Q̄ = mean_t Q_t (descending; the last is 0 since Q·1 = 0),
/// mean_t tr Q_t, mean_t tr Q_t² and tr Q̄².
/// </summary>
public sealed record SoftmaxQStatistics(double[] MeanQEigenvaluesDescending, double MeanTrace, double MeanTraceOfSquare, double TraceOfMeanSquared)
{
    /// <summary>From T × C probabilities (row t is g_t).</summary>
    public static SoftmaxQStatistics Of(ReadOnlySpan<double> probabilities, int classes)
    {
        var q = OutputCurvature.Exact(probabilities, classes);
        int c = classes, T = q.Count;
        var mean = new double[c * c];
        double trace = 0, traceSquare = 0;
        for (int t = 0; t < T; t++)
        {
            var m = q.Matrix(t);
            for (int i = 0; i < c; i++)
            {
                trace += m[i * c + i] / T;
                for (int j = 0; j < c; j++)
                {
                    mean[i * c + j] += m[i * c + j] / T;
                    traceSquare += m[i * c + j] * m[j * c + i] / T;
                }
            }
        }
        var ev = DenseSymmetricEigen.Eigenvalues(new SymmetricMatrix(c, mean));
        Array.Reverse(ev);
        return new SoftmaxQStatistics(ev, trace, traceSquare, ev.Sum(x => x * x));
    }
}

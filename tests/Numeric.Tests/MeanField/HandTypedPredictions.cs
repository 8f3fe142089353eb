using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Mlps;

namespace FimVerify.Numeric.Tests.MeanField;

/// <summary>
/// The variant predictions as Predictions typed them by hand before the symbolic layer derived them (the C# of that
/// time, unchanged). Kept only as independent evidence: Predictions evaluates the compiled symbolic forms.
/// </summary>
internal static class HandTypedPredictions
{
    public static double RegressionBulk(OrderParameters op, int M, int T) => op.Alpha * M / T * (op.Kappa1 - op.Kappa2);

    public static EigenvalueStatistics Block(OrderParameters op, int l, int M, int T, int C)
    {
        double fraction = (T - 1.0) / T;
        double aPrev = op.Shape.WidthRatios[l - 1];
        double a1 = op.QHat1[l - 1] * op.QTilde1[l], a2 = op.QHat2[l - 1] * op.QTilde2[l];
        double mPrev = aPrev * M, mThis = l == op.Depth ? C : op.Shape.WidthRatios[l] * M;
        return new(C * a1 / mThis, C * mPrev / mThis * (a1 * a1 / T + fraction * a2 * a2), aPrev * (fraction * a2 + a1 / T) * M);
    }

    public static EigenvalueStatistics MeanSubtracted(OrderParameters op, int M, int T, int C)
    {
        double d = op.Kappa1 - op.Kappa2;
        return new(C * (T - 1.0) * d / (T * (double)M), op.Alpha * C * (T - 1.0) * d * d / ((double)T * T), RegressionBulk(op, M, T));
    }

    /// <summary>Θ̄ = (κ′₁ − κ′₂) I_C ⊗ Π over CT eigenvalues: C(T−1) copies of κ′₁ − κ′₂ and C zeros.</summary>
    public static EigenvalueStatistics NtkMeanSubtracted(OrderParameters op, int T)
    {
        double d = op.NtkKappa1 - op.NtkKappa2;
        return new((T - 1.0) / T * d, (T - 1.0) / T * d * d, d);
    }

    public static EigenvalueStatistics InputMetric(OrderParameters op, int M, int T, int C)
    {
        double fraction = (T - 1.0) / T;
        double sw = op.Shape.SigmaW2, t1 = op.QTilde1[1], t2 = op.QTilde2[1], m0 = op.Shape.WidthRatios[0] * M;
        return new(C * sw * t1 / m0, C * sw * sw * (t1 * t1 / T + fraction * t2 * t2) / m0, sw * (fraction * t2 + t1 / T));
    }

    public static EigenvalueStatistics Softmax(OrderParameters op, int M, int T, int C, SoftmaxQStatistics q)
    {
        double k1 = op.Kappa1, k2 = op.Kappa2, fraction = (T - 1.0) / T;
        double lambda = op.Alpha * (fraction * k2 + k1 / T) * M;
        double outliers = q.MeanQEigenvaluesDescending.Take(Math.Max(1, C - 1)).Average(e => lambda * e);
        return new(k1 * q.MeanTrace / M, op.Alpha * ((k1 * k1 - k2 * k2) * q.MeanTraceOfSquare / T + k2 * k2 * q.TraceOfMeanSquared), outliers);
    }
}

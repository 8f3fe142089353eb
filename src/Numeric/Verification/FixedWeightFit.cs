using MathNet.Numerics.LinearAlgebra;

namespace FimVerify.Numeric.Verification;

/// <summary>
/// Least squares of sample means y_i on k stated basis functions f_j(x_i) with weights fixed in advance (not estimated from the
/// data), so that every fitted parameter is a fixed linear combination Σ c_ji y_i of independent sample means: its variance is
/// Σ c_ji² V_i exactly, estimated without bias from the means' estimated variances. Shared by the limit (<see cref="LimitVerdict"/>:
/// basis 1, x^(−γ_1), …, x^(−γ_m)) and decay (<see cref="DecayVerdict"/>: basis 1, ln x on ln y) estimates.
/// </summary>
internal static class FixedWeightFit
{
    /// <summary>
    /// The smallest sine of the angle between a (weighted) basis column and the span of the columns before it for which the
    /// parameters count as separated: below it the design cannot tell them apart (and the coefficients would be noise).
    /// </summary>
    public const double SmallestSeparation = 1e-6;

    /// <summary>
    /// The coefficient rows: parameter j = Σ_i rows[j][i]·y_i, i.e. rows = (FᵀWF)⁻¹FᵀW for the n × k basis matrix F (basis[i][j] =
    /// f_j(x_i)) and W = diag(w); null when the sizes do not separate the parameters (fewer sizes than parameters, or a column
    /// within <see cref="SmallestSeparation"/> of the span of the others). Computed by a Householder QR of W^(1/2)F with its columns
    /// scaled to unit length (the normal equations would square the condition number, which grows fast with k).
    /// </summary>
    public static double[][]? Coefficients(IReadOnlyList<IReadOnlyList<double>> basis, IReadOnlyList<double> w)
    {
        int n = basis.Count;
        if (n == 0 || w.Count != n) throw new ArgumentException("one weight per size is needed");
        int k = basis[0].Count;
        if (k == 0 || n < k) return null;
        var a = Matrix<double>.Build.Dense(n, k, (i, j) => Math.Sqrt(w[i]) * basis[i][j]);
        var scale = new double[k];
        for (int j = 0; j < k; j++)
        {
            scale[j] = a.Column(j).L2Norm();
            if (!(scale[j] > 0) || !double.IsFinite(scale[j])) return null;
            a.SetColumn(j, a.Column(j) / scale[j]);
        }
        var qr = a.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        for (int j = 0; j < k; j++)
            if (!(Math.Abs(qr.R[j, j]) > SmallestSeparation)) return null;
        // argmin_X ‖W^(1/2)F X − W^(1/2)‖ = (FᵀWF)⁻¹FᵀW: each column i of the result is the fit of a unit mean at size i.
        var rows = qr.Solve(Matrix<double>.Build.Dense(n, n, (i, j) => i == j ? Math.Sqrt(w[i]) : 0));
        return Enumerable.Range(0, k).Select(j => Enumerable.Range(0, n).Select(i => rows[j, i] / scale[j]).ToArray()).ToArray();
    }

    /// <summary>
    /// Σ coefficient_i·y_i, its variance Σ coefficient_i²·V_i, and the degrees of freedom: the smallest ν_i among the terms that
    /// contribute (Hsu's conservative rule; ∞ when none has variance).
    /// </summary>
    public static (double Estimate, double Variance, double DegreesOfFreedom) Combine(IReadOnlyList<double> coefficients, IReadOnlyList<double> y,
        IReadOnlyList<double> variances, IReadOnlyList<double> degreesOfFreedom)
    {
        double estimate = 0, variance = 0, df = double.PositiveInfinity;
        for (int i = 0; i < coefficients.Count; i++)
        {
            estimate += coefficients[i] * y[i];
            double term = coefficients[i] * coefficients[i] * variances[i];
            variance += term;
            if (term > 0) df = Math.Min(df, degreesOfFreedom[i]);
        }
        return (estimate, variance, df);
    }
}

namespace FimVerify.Numeric.Verification;

/// <summary>
/// A straight line y = a + b·u fitted by least squares with weights fixed in advance (not estimated from the data), so that the
/// intercept and the slope are fixed linear combinations Σ c_i y_i and Σ d_i y_i of independent sample means: their variances
/// are Σ c_i² V_i and Σ d_i² V_i exactly, estimated without bias from the means' estimated variances. Shared by the limit
/// (<see cref="LimitVerdict"/>: u = x^(−γ)) and decay (<see cref="DecayVerdict"/>: u = ln x on ln y) estimates.
/// </summary>
internal static class FixedWeightLine
{
    /// <summary>The coefficients of the intercept (c) and of the slope (d), or null when the u do not separate them.</summary>
    public static (double[] Intercept, double[] Slope)? Coefficients(IReadOnlyList<double> u, IReadOnlyList<double> w)
    {
        int k = u.Count;
        double s0 = 0, s1 = 0, s2 = 0;
        for (int i = 0; i < k; i++) { s0 += w[i]; s1 += w[i] * u[i]; s2 += w[i] * u[i] * u[i]; }
        double det = s0 * s2 - s1 * s1;
        if (!(det > 1e-300 * s0 * s2) || !(det > 1e-12 * s0 * s2)) return null;
        var c = new double[k]; var d = new double[k];
        for (int i = 0; i < k; i++) { c[i] = w[i] * (s2 - s1 * u[i]) / det; d[i] = w[i] * (s0 * u[i] - s1) / det; }
        return (c, d);
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

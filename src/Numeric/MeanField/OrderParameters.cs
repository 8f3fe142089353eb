namespace FimVerify.Numeric.MeanField;

/// <summary>
/// Mean-field order parameters of MATH.md §2, layer by layer. Arrays are indexed by layer l:
/// Q1/Q2 (pre-activation, l = 1…L), QHat1/QHat2 (post-activation, l = 0…L−1; q̂⁰₁ = 1, q̂⁰₂ = 0),
/// QTilde1/QTilde2 (backward, l = 1…L; q̃^L = 1 for the linear output). Unused slots are NaN.
/// </summary>
public sealed record OrderParameters(NetworkShape Shape, string Method,
    double[] Q1, double[] Q2, double[] QHat1, double[] QHat2, double[] QTilde1, double[] QTilde2)
{
    public int Depth => Shape.Depth;
    public double Alpha => Shape.Alpha;

    /// <summary>κ₁ = Σ_l (α_{l−1}/α) q̂^{l−1}₁ q̃^l₁ (not finite when α = 0, i.e. L = 1), derived and compiled by the symbolic layer.</summary>
    public double Kappa1 => CompiledMeanFieldStatistics.Kappa(this, 1);
    /// <summary>κ₂ = Σ_l (α_{l−1}/α) q̂^{l−1}₂ q̃^l₂.</summary>
    public double Kappa2 => CompiledMeanFieldStatistics.Kappa(this, 2);
    /// <summary>NTK parameterisation: κ′₁ = Σ_l q̃^l₁ q^l₁.</summary>
    public double NtkKappa1 => CompiledMeanFieldStatistics.NtkKappa(this, 1);
    /// <summary>κ′₂ = Σ_l q̃^l₂ q^l₂.</summary>
    public double NtkKappa2 => CompiledMeanFieldStatistics.NtkKappa(this, 2);

    /// <summary>Runs the forward recurrence l = 1…L and the backward one l = L…1.</summary>
    public static OrderParameters Compute(IGaussianKernel kernel, NetworkShape shape)
    {
        int L = shape.Depth;
        double sw = shape.SigmaW2, sb = shape.SigmaB2;
        double[] q1 = Nan(L + 1), q2 = Nan(L + 1), h1 = Nan(L + 1), h2 = Nan(L + 1), t1 = Nan(L + 1), t2 = Nan(L + 1);
        h1[0] = 1; h2[0] = 0;
        for (int l = 1; l <= L; l++)
        {
            q1[l] = sw * h1[l - 1] + sb;
            q2[l] = sw * h2[l - 1] + sb;
            Check(q1[l], $"q^{l}_1");
            if (l < L)
            {
                h1[l] = kernel.SecondMoment(q1[l]);
                h2[l] = kernel.Correlation(q1[l], q2[l]);
                Check(h1[l], $"q̂^{l}_1"); Check(h2[l], $"q̂^{l}_2");
            }
        }
        t1[L] = 1; t2[L] = 1;
        for (int l = L - 1; l >= 1; l--)
        {
            t1[l] = sw * t1[l + 1] * kernel.DerivativeSecondMoment(q1[l]);
            t2[l] = sw * t2[l + 1] * kernel.DerivativeCorrelation(q1[l], q2[l]);
            Check(t1[l], $"q̃^{l}_1"); Check(t2[l], $"q̃^{l}_2");
        }
        return new OrderParameters(shape, kernel.Method, q1, q2, h1, h2, t1, t2);
    }

    private static double[] Nan(int n) => Enumerable.Repeat(double.NaN, n).ToArray();

    private static void Check(double v, string name)
    {
        if (!double.IsFinite(v) || v > 1e250)
            throw new NumericalException($"the order parameter {name} is not finite (the recurrence explodes)");
    }
}

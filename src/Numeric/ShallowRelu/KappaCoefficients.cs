using FimVerify.Symbolic;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// The power-series coefficients of the ReLU kernel κ(t) = Σ_m c_m t^m, compiled to double from the exact series
/// derived by the symbolic layer (ReluKernelSeries.kappa). Theorem 2's group coefficients are combinations of
/// c_0 = 1/(2π), c_1 = 1/4, c_2 = 1/(4π); the tail c_4, c_6, … builds the remainder R. κ(1) = 1/2 is the closed form,
/// so the total of the tail coefficients is known exactly and bounds every truncation remainder (all c_m ≥ 0).
/// </summary>
public sealed class KappaCoefficients
{
    /// <summary>c_m for m = 0 … Order − 1.</summary>
    public double[] C { get; }
    public int Order => C.Length;

    private static readonly Lazy<KappaCoefficients> Shared = new(() => new KappaCoefficients(DefaultOrder));
    public const int DefaultOrder = 81;
    public static KappaCoefficients Default => Shared.Value;

    /// <summary>The order of the sharp Theorem 2 tail check (|t| ≤ 0.9, where 0.9^201 times the tail is below rounding).</summary>
    public const int HighOrder = 201;
    private static readonly Lazy<KappaCoefficients> SharedHigh = new(() => new KappaCoefficients(HighOrder));
    public static KappaCoefficients High => SharedHigh.Value;

    /// <summary>Given coefficients c_0 … c_{K−1} (all ≥ 0; for tests that must see a wrong series caught).</summary>
    public KappaCoefficients(double[] coefficients)
    {
        if (coefficients.Length < 5) throw new ArgumentOutOfRangeException(nameof(coefficients), "Theorem 2 needs the coefficients up to t⁴");
        if (coefficients.Any(c => !(c >= 0) || !double.IsFinite(c))) throw new ArgumentException("every coefficient must be a non-negative finite number", nameof(coefficients));
        C = (double[])coefficients.Clone();
    }

    public KappaCoefficients(int order)
    {
        if (order < 5) throw new ArgumentOutOfRangeException(nameof(order), "Theorem 2 needs the coefficients up to t⁴");
        var series = ReluKernelSeries.kappa(order);
        C = series.Coeffs.Select(c =>
        {
            if (!c.AllCoefficientsNonNegative) throw new NumericalException("a coefficient of κ's series is negative; the remainder bound would not hold");
            return c.ToDouble();
        }).ToArray();
    }

    /// <summary>Σ_{m&gt;2} c_m = κ(1) − c_0 − c_1 − c_2: the diagonal of R is this times n_i².</summary>
    public double TailTotal => 0.5 - C[0] - C[1] - C[2];

    /// <summary>Σ_{m≥from} c_m = κ(1) − Σ_{m&lt;from} c_m (non-negative terms, so a rigorous bound for truncations).</summary>
    public double TailFrom(int from)
    {
        double s = 0;
        for (int m = 0; m < Math.Min(from, Order); m++) s += C[m];
        return Math.Max(0.5 - s, 0.0);
    }

    /// <summary>Σ_{2 &lt; m &lt; Order} c_m t^m by Horner.</summary>
    public double TailPartialSum(double t)
    {
        double s = 0;
        for (int m = Order - 1; m > 2; m--) s = s * t + C[m];
        return s * t * t * t;
    }
}

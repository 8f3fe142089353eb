namespace FimVerify.Numeric.Tests.MeanField;

/// <summary>
/// The closed forms of MATH.md §2 as typed by hand (the numeric layer used these before the symbolic layer derived
/// them). Kept only as independent evidence: the kernels themselves evaluate the compiled symbolic forms.
/// </summary>
internal static class HandTypedClosedForms
{
    /// <summary>(mean, ∫φ², I_φ, ∫φ′², I_φ′) at (q, a, b) for an activation name of the catalog.</summary>
    public static (double Mean, double Second, double Correlation, double DerivativeSecond, double DerivativeCorrelation) At(string name, double q, double a, double b)
    {
        double c = Math.Clamp(b / a, -1, 1);
        double reluCorrelation = a / (2 * Math.PI) * (Math.Sqrt(1 - c * c) + (Math.PI - Math.Acos(c)) * c);
        double reluDerivative = (Math.PI - Math.Acos(c)) / (2 * Math.PI);
        if (name.StartsWith("leaky-relu:", StringComparison.Ordinal))
        {
            double s = double.Parse(name["leaky-relu:".Length..], System.Globalization.CultureInfo.InvariantCulture);
            return ((1 - s) * Math.Sqrt(q / (2 * Math.PI)), (1 + s * s) * q / 2, (1 - s) * (1 - s) * reluCorrelation + s * b,
                    (1 + s * s) / 2, (1 + s * s) * reluDerivative + s * (1 - 2 * reluDerivative));
        }
        return name switch
        {
            "relu" => (Math.Sqrt(q / (2 * Math.PI)), q / 2, reluCorrelation, 0.5, reluDerivative),
            "linear" => (0, q, b, 1, 1),
            "erf" => (0, 2 / Math.PI * Math.Asin(2 * q / (1 + 2 * q)), 2 / Math.PI * Math.Asin(Math.Clamp(2 * b / (1 + 2 * a), -1, 1)),
                      4 / (Math.PI * Math.Sqrt(1 + 4 * q)), 4 / (Math.PI * Math.Sqrt((1 + 2 * a) * (1 + 2 * a) - 4 * b * b))),
            _ => throw new ArgumentException($"no hand-typed closed form for {name}"),
        };
    }
}

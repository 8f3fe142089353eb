namespace FimVerify.Numeric.Spectra;

/// <summary>How far an estimated density lies from a reference one on the same grid.</summary>
/// <param name="Wasserstein1">∫ |Φ_a(t) − Φ_b(t)| dt between the cumulative distributions of the two broadened densities.</param>
/// <param name="MomentRelativeErrors">|m_k(a) − m_k(b)| / |m_k(b)| for k = 1..4, moments of the broadened densities in closed form.</param>
/// <param name="Overlap">∫ min(φ_a, φ_b) dt of the two densities normalised to unit mass: 1 for equal shapes, 0 for disjoint ones.</param>
public sealed record DensityDistance(double Wasserstein1, double[] MomentRelativeErrors, double Overlap)
{
    public static DensityDistance Between(SpectralDensity estimate, SpectralDensity reference)
    {
        if (estimate.Grid != reference.Grid) throw new ArgumentException("the two densities must be on the same grid");
        var errors = new double[4];
        for (int k = 1; k <= 4; k++)
        {
            double a = estimate.BroadenedMoment(k), b = reference.BroadenedMoment(k);
            errors[k - 1] = Math.Abs(a - b) / Math.Abs(b);
        }
        return new DensityDistance(Wasserstein1Distance(estimate.Values, reference.Values, estimate.Grid.Step), errors,
            OverlapCoefficient(estimate.Values, reference.Values, estimate.Grid.Step));
    }

    /// <summary>
    /// W1 of two densities sampled on one grid: each is normalised to unit trapezoidal mass (what the grid lost in
    /// its tails is then spread over it), and the L1 distance of the cumulative sums is integrated.
    /// </summary>
    public static double Wasserstein1Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double step)
    {
        if (a.Length != b.Length || a.Length < 2) throw new ArgumentException("densities must share a grid of at least 2 points");
        double massA = TrapezoidMass(a, step), massB = TrapezoidMass(b, step);
        if (!(massA > 0) || !(massB > 0)) throw new NumericalException("a density has no mass on its grid");
        double cdfA = 0, cdfB = 0, distance = 0;
        for (int i = 1; i < a.Length; i++)
        {
            double previous = Math.Abs(cdfA - cdfB);
            cdfA += 0.5 * step * (a[i - 1] + a[i]) / massA;
            cdfB += 0.5 * step * (b[i - 1] + b[i]) / massB;
            distance += 0.5 * step * (previous + Math.Abs(cdfA - cdfB));
        }
        return distance;
    }

    /// <summary>The trapezoidal ∫ min(a/‖a‖₁, b/‖b‖₁) of two densities on one grid.</summary>
    public static double OverlapCoefficient(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double step)
    {
        if (a.Length != b.Length || a.Length < 2) throw new ArgumentException("densities must share a grid of at least 2 points");
        double massA = TrapezoidMass(a, step), massB = TrapezoidMass(b, step);
        if (!(massA > 0) || !(massB > 0)) throw new NumericalException("a density has no mass on its grid");
        double s = 0;
        for (int i = 0; i < a.Length; i++)
            s += (i == 0 || i == a.Length - 1 ? 0.5 : 1) * Math.Min(a[i] / massA, b[i] / massB);
        return s * step;
    }

    private static double TrapezoidMass(ReadOnlySpan<double> f, double step)
    {
        double s = 0;
        for (int i = 1; i < f.Length; i++) s += 0.5 * step * (f[i - 1] + f[i]);
        return s;
    }
}

namespace FimVerify.Numeric.Spectra;

/// <summary>
/// A spectral density broadened by a Gaussian of explicit width σ, φ_σ(t) = (1/K) Σ_probes Σ_k w_k g_σ(t − τ_k),
/// on an explicit grid. With exact eigenvalues as the single rule this is the "exact" density the seed plots.
/// </summary>
public sealed class SpectralDensity
{
    public DensityGrid Grid { get; }
    public double Sigma { get; }
    public IReadOnlyList<QuadratureRule> Rules { get; }
    public double[] Values { get; }

    public SpectralDensity(IReadOnlyList<QuadratureRule> rules, double sigma, DensityGrid grid)
    {
        if (rules.Count == 0) throw new ArgumentException("a density needs at least one quadrature rule");
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentException("the broadening width σ must be positive and finite");
        Grid = grid.Validated(); Sigma = sigma; Rules = rules;
        Values = new double[grid.Count];
        double norm = 1.0 / (rules.Count * sigma * Math.Sqrt(2 * Math.PI));
        foreach (var rule in rules)
            for (int k = 0; k < rule.Nodes.Length; k++)
            {
                double tau = rule.Nodes[k], w = rule.Weights[k] * norm;
                // Only grid points within 40σ contribute a representable amount; skip the rest.
                int first = Math.Max(0, (int)Math.Floor((tau - 40 * sigma - grid.Lower) / grid.Step));
                int last = Math.Min(grid.Count - 1, (int)Math.Ceiling((tau + 40 * sigma - grid.Lower) / grid.Step));
                for (int i = first; i <= last; i++)
                {
                    double u = (grid.Point(i) - tau) / sigma;
                    Values[i] += w * Math.Exp(-0.5 * u * u);
                }
            }
    }

    /// <summary>∫ t^power φ_σ(t) dt by the trapezoidal rule on the grid.</summary>
    public double GridMoment(int power)
    {
        double h = Grid.Step, s = 0;
        for (int i = 0; i < Grid.Count; i++)
        {
            double f = Values[i] * Math.Pow(Grid.Point(i), power);
            s += (i == 0 || i == Grid.Count - 1 ? 0.5 : 1) * f;
        }
        return s * h;
    }

    /// <summary>
    /// ∫ t^power φ_σ(t) dt in closed form: the average over rules of Σ_k w_k E[(τ_k + σZ)^power], Z ~ N(0, 1),
    /// the twin that <see cref="GridMoment"/> is held to.
    /// </summary>
    public double BroadenedMoment(int power) => Rules.Average(r => BroadenedMoment(r, Sigma, power));

    public static double BroadenedMoment(QuadratureRule rule, double sigma, int power)
    {
        double s = 0;
        for (int j = 0; j <= power; j++)
        {
            // E[Z^(power−j)]: 0 for odd, (power−j−1)!! for even.
            int q = power - j;
            if (q % 2 == 1) continue;
            double gaussian = 1;
            for (int r = q - 1; r > 0; r -= 2) gaussian *= r;
            s += Binomial(power, j) * Math.Pow(sigma, q) * gaussian * rule.Moment(j);
        }
        return s;
    }

    private static double Binomial(int n, int k)
    {
        double b = 1;
        for (int i = 1; i <= k; i++) b = b * (n - k + i) / i;
        return b;
    }
}

namespace FimVerify.Numeric.Spectra;

/// <summary>Equally spaced points Lower..Upper (inclusive) on which a broadened density is evaluated.</summary>
public sealed record DensityGrid(double Lower, double Upper, int Count)
{
    public DensityGrid Validated()
    {
        if (!double.IsFinite(Lower) || !double.IsFinite(Upper) || !(Upper > Lower)) throw new ArgumentException("a density grid needs finite bounds with lower < upper");
        if (Count < 2) throw new ArgumentException("a density grid needs at least 2 points");
        return this;
    }

    public double Step => (Upper - Lower) / (Count - 1);
    public double Point(int i) => Lower + i * Step;
    public double[] Points() => Enumerable.Range(0, Count).Select(Point).ToArray();

    /// <summary>A grid covering every node of the rules with `padding` widths σ on each side.</summary>
    public static DensityGrid Covering(IEnumerable<QuadratureRule> rules, double sigma, int count, double padding = 6)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var r in rules)
            foreach (double t in r.Nodes) { lo = Math.Min(lo, t); hi = Math.Max(hi, t); }
        if (!double.IsFinite(lo)) throw new ArgumentException("no nodes to cover");
        return new DensityGrid(lo - padding * sigma, hi + padding * sigma, count).Validated();
    }
}

namespace FimVerify.Numeric.Verification;

/// <summary>One point of a sweep: f failures in n trials at size x (p for Theorem 3).</summary>
public sealed record SweepPoint(double X, long Failures, long Trials)
{
    public double Rate => (double)Failures / Trials;
}

/// <summary>The outcome of a decay-rate trend check.</summary>
public sealed record TrendResult(IReadOnlyList<SweepPoint> Points, double Exponent, double FittedSlope, bool Refuted, string Rule, string Worst);

/// <summary>
/// "The failure rate decays at least like x^(−e)" (e = 1 for Theorem 3's C·D/(δ²p)). Rule: in the tail regime x^e·q(x)
/// must not increase significantly along the sweep: for every pair x_i &lt; x_j whose smaller point is in the tail regime
/// (upper confidence bound of q(x_i) ≤ <see cref="TailRegime"/>), the claim is refuted when the one-sided lower
/// Clopper–Pearson bound of x_j^e q(x_j) exceeds the one-sided upper bound of x_i^e q(x_i), each at α/(2·pairs)
/// (Bonferroni over the pairs, so the false-alarm rate is at most α when x^e q(x) is non-increasing there). Why a tail
/// regime: near saturation (q close to 1) no power law is asserted, and for a single Gaussian deviation, q = 2Φ̄(δ√p/σ),
/// p·q(p) increases until q ≈ 0.23 and decreases after; 0.1 keeps clear of that turning point. The least-squares slope
/// of log q on log x over points with failures is reported for information only.
/// </summary>
public static class TrendCheck
{
    public const double TailRegime = 0.1;

    public static TrendResult DecaysAtLeastLike(IReadOnlyList<SweepPoint> points, double exponent, double alpha)
    {
        if (points.Count < 2) throw new ArgumentException("a trend needs at least two sweep points");
        var sorted = points.OrderBy(p => p.X).ToList();
        int pairs = sorted.Count * (sorted.Count - 1) / 2;
        double a = alpha / (2.0 * pairs);
        bool refuted = false; string worst = "none";
        double worstRatio = 0;
        for (int i = 0; i < sorted.Count; i++)
            for (int j = i + 1; j < sorted.Count; j++)
            {
                var (pi, pj) = (sorted[i], sorted[j]);
                double qUpperI = ClopperPearson.Upper(pi.Failures, pi.Trials, a);
                if (qUpperI > TailRegime) continue;
                double upperI = qUpperI * Math.Pow(pi.X, exponent);
                double lowerJ = ClopperPearson.Lower(pj.Failures, pj.Trials, a) * Math.Pow(pj.X, exponent);
                if (upperI > 0 && lowerJ / upperI > worstRatio) { worstRatio = lowerJ / upperI; worst = $"x={pi.X:G6} vs x={pj.X:G6}: ratio {worstRatio:G4}"; }
                if (lowerJ > upperI) refuted = true;
            }
        var fit = sorted.Where(p => p.Failures > 0).ToList();
        double slope = double.NaN;
        if (fit.Count >= 2)
        {
            var xs = fit.Select(p => Math.Log(p.X)).ToArray();
            var ys = fit.Select(p => Math.Log(p.Rate)).ToArray();
            double mx = xs.Average(), my = ys.Average();
            slope = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum() / xs.Sum(x => (x - mx) * (x - mx));
        }
        string rule = $"x^{exponent:G3}·q(x) must not increase significantly from any sweep point in the tail regime (q's upper bound ≤ {TailRegime}) to any larger x (one-sided Clopper–Pearson, Bonferroni over {pairs} pairs, false-alarm rate {alpha:G3})";
        return new TrendResult(sorted, exponent, slope, refuted, rule, worst);
    }
}

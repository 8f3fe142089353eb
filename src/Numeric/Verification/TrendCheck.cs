namespace FimVerify.Numeric.Verification;

/// <summary>
/// One point of a sweep: f failures in n trials at size x (p for Theorem 3), and u trials whose outcome is unknown (a certified
/// interval straddled the threshold; counted in neither the failures nor the successes).
/// </summary>
public sealed record SweepPoint(double X, long Failures, long Trials)
{
    public double Rate => (double)Failures / Trials;

    /// <summary>Trials that could be failures or successes.</summary>
    public long Undecided { get; init; }
}

/// <summary>
/// The outcome of a decay-rate trend check. <see cref="Refuted"/>: refuted whatever the undecided trials were (the verdict is
/// FAIL). <see cref="ConstantRatePower"/>: the probability that the rule refutes a failure rate that does not decay at all,
/// held at <see cref="ReferenceRate"/> (the rate observed at <see cref="ReferenceX"/>, the smallest size in the tail regime) from
/// there to the largest size; <see cref="DetectableExponent"/>: the largest e on the grid 0, 0.1, … below the claimed exponent
/// such that a rate decaying only like x^(−e) from that reference is refuted with probability ≥ 0.9 (null when not even a
/// constant rate is). Both come from the exact binomial distribution of the reference and the largest point (a lower bound
/// of the power: other pairs can refute too).
/// </summary>
public sealed record TrendResult(IReadOnlyList<SweepPoint> Points, double Exponent, double FittedSlope, bool Refuted, string Rule, string Worst)
{
    public Verdict Verdict { get; init; } = Refuted ? Verdict.Fail : Verdict.Pass;
    public double ConstantRatePower { get; init; }
    public double? DetectableExponent { get; init; }
    public double? ReferenceX { get; init; }
    public double? ReferenceRate { get; init; }
    public double Alpha { get; init; }
}

/// <summary>
/// "The failure rate decays at least like x^(−e)" (e = 1 for Theorem 3's C·D/(δ²p)). Rule: in the tail regime x^e·q(x) must
/// not increase significantly along the sweep: for every pair x_i &lt; x_j whose smaller point is in the tail regime (upper
/// confidence bound of q(x_i) ≤ <see cref="TailRegime"/>), the claim is refuted when the one-sided lower Clopper–Pearson bound of
/// x_j^e q(x_j) exceeds the one-sided upper bound of x_i^e q(x_i), each at α/(2·pairs) (Bonferroni over the pairs, so the
/// false-alarm rate is at most α when x^e q(x) is non-increasing there). The lower bound exceeds θ exactly when
/// P(X_j ≥ f_j | θ) &lt; α/(2·pairs), which is how it is evaluated.
/// <para>Why a tail regime, and why 0.2: near saturation no power law is asserted. For the largest of k Gaussian deviations,
/// q = 1 − (1 − s)^k with s = 2Φ̄(δ√p/σ), x·q(x) decreases once s &lt; 2Φ̄(1.19) ≈ 0.234 (where 2Φ̄(z) = zφ(z)), and s ≤ q, so
/// q ≤ 0.2 is inside the decreasing regime for every k; for large deviations q ≈ e^(−pI) it decreases once q &lt; e^(−1).</para>
/// <para>Undecided trials are counted both ways, as for single claims: per pair, the claim is certainly refuted when it is
/// refuted with the smaller point's undecided trials counted as failures and the larger's as successes (the completion least
/// favourable to refutation), and possibly refuted with the opposite completion; FAIL when some pair is certainly refuted,
/// UNDECIDED when some pair is possibly but none certainly refuted. When nothing is refuted the verdict is PASS only if the
/// rule has power ≥ 0.9 against a constant rate (<see cref="TrendResult.ConstantRatePower"/>), else UNDERPOWERED: a sweep
/// that cannot tell a non-decaying rate from the claimed decay decides nothing.</para>
/// The least-squares slope of log q on log x over points with failures is reported for information only.
/// </summary>
public static class TrendCheck
{
    public const double TailRegime = 0.2;

    public static TrendResult DecaysAtLeastLike(IReadOnlyList<SweepPoint> points, double exponent, double alpha)
    {
        if (points.Count < 2) throw new ArgumentException("a trend needs at least two sweep points");
        if (alpha is <= 0 or >= 0.5 || double.IsNaN(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), "the false-alarm rate must lie in (0, 0.5)");
        if (!(exponent > 0)) throw new ArgumentOutOfRangeException(nameof(exponent), "the decay exponent must be positive");
        foreach (var pt in points)
            if (pt.Trials < 1 || pt.Failures < 0 || pt.Undecided < 0 || pt.Failures + pt.Undecided > pt.Trials)
                throw new ArgumentOutOfRangeException(nameof(points), "every sweep point needs trials ≥ 1 and 0 ≤ failures + undecided ≤ trials");
        var sorted = points.OrderBy(p => p.X).ToList();
        int pairs = sorted.Count * (sorted.Count - 1) / 2;
        double a = alpha / (2.0 * pairs);
        bool certain = false, possible = false; string worst = "none";
        double worstRatio = 0;
        for (int i = 0; i < sorted.Count; i++)
            for (int j = i + 1; j < sorted.Count; j++)
            {
                var (pi, pj) = (sorted[i], sorted[j]);
                // Least favourable to refutation: i's undecided trials fail, j's succeed; most favourable: the opposite.
                if (PairRefutes(pi.X, pi.Failures + pi.Undecided, pi.Trials, pj.X, pj.Failures, pj.Trials, exponent, a)) certain = true;
                if (PairRefutes(pi.X, pi.Failures, pi.Trials, pj.X, pj.Failures + pj.Undecided, pj.Trials, exponent, a)) possible = true;
                double qUpperI = ClopperPearson.Upper(pi.Failures, pi.Trials, a);
                if (qUpperI > TailRegime) continue;
                double upperI = qUpperI * Math.Pow(pi.X, exponent);
                double lowerJ = ClopperPearson.Lower(pj.Failures, pj.Trials, a) * Math.Pow(pj.X, exponent);
                if (upperI > 0 && lowerJ / upperI > worstRatio) { worstRatio = lowerJ / upperI; worst = $"x={pi.X:G6} vs x={pj.X:G6}: ratio {worstRatio:G4}"; }
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

        // Power: a rate held at the first tail-regime point's observed level, or decaying from it like x^(−e), e < exponent.
        var reference = sorted.Take(sorted.Count - 1).FirstOrDefault(p => ClopperPearson.Upper(p.Failures, p.Trials, a) <= TailRegime);
        double constantPower = 0; double? detectable = null;
        if (reference is not null && reference.Failures > 0)
        {
            var power = new PairPower(reference, sorted[^1], exponent, a);
            constantPower = power.At(0);
            for (int step = 0; step * 0.1 < exponent - 1e-9; step++)
            {
                double e = step * 0.1;
                if ((step == 0 ? constantPower : power.At(e)) < ProbabilityPower.Level) break;
                detectable = e;
            }
        }
        var verdict = certain ? Verdict.Fail : possible ? Verdict.Undecided
            : constantPower >= ProbabilityPower.Level ? Verdict.Pass : Verdict.Underpowered;
        string rule = $"x^{exponent:G3}·q(x) must not increase significantly from any sweep point in the tail regime (q's upper bound ≤ {TailRegime}) to any larger x "
            + $"(one-sided Clopper–Pearson, Bonferroni over {pairs} pairs, false-alarm rate {alpha:G3}); PASS needs power ≥ {ProbabilityPower.Level} against a constant rate";
        return new TrendResult(sorted, exponent, slope, certain, rule, worst)
        {
            Verdict = verdict, ConstantRatePower = constantPower, DetectableExponent = detectable,
            ReferenceX = reference?.X, ReferenceRate = reference is null ? null : reference.Rate, Alpha = alpha,
        };
    }

    /// <summary>Pair (i, j), x_i &lt; x_j: i in the tail regime and the lower bound of q_j·x_j^e above the upper bound of q_i·x_i^e.</summary>
    private static bool PairRefutes(double xi, long fi, long ni, double xj, long fj, long nj, double exponent, double a)
    {
        double upper = ClopperPearson.Upper(fi, ni, a);
        if (upper > TailRegime) return false;
        double theta = upper * Math.Pow(xi / xj, exponent);
        return theta < 1 && fj > 0 && ClopperPearson.UpperTail(fj, nj, theta) < a;
    }

    /// <summary>
    /// The probability that the pair (reference, last) refutes when the rate is q₀ at the reference and q₀(x₀/x)^e at the last
    /// point: Σ_f P(X₀ = f)·1[f in the tail regime]·P(X_last ≥ smallest refuting count given f), from the exact binomials.
    /// </summary>
    private sealed class PairPower
    {
        private readonly List<(double Probability, double Theta)> _reference = [];
        private readonly SweepPoint _last;
        private readonly double _q0, _ratio, _a;

        public PairPower(SweepPoint reference, SweepPoint last, double exponent, double a)
        {
            (_last, _a) = (last, a);
            _q0 = reference.Rate;
            _ratio = reference.X / last.X;
            double scale = Math.Pow(_ratio, exponent);
            double mean = reference.Trials * _q0, sd = Math.Sqrt(mean * (1 - _q0));
            long from = Math.Max(0, (long)Math.Floor(mean - 12 * sd - 2)), to = Math.Min(reference.Trials, (long)Math.Ceiling(mean + 12 * sd + 2));
            for (long f = from; f <= to; f++)
            {
                double pmf = MathNet.Numerics.Distributions.Binomial.PMF(_q0, checked((int)reference.Trials), checked((int)f));
                double upper = ClopperPearson.Upper(f, reference.Trials, a);
                if (pmf > 1e-15 && upper <= TailRegime) _reference.Add((pmf, upper * scale));
            }
        }

        public double At(double e)
        {
            double q = _q0 * Math.Pow(_ratio, e);
            double power = 0;
            foreach (var (probability, theta) in _reference)
                if (theta < 1 && ProbabilityPower.SmallestRefutingCount(_last.Trials, theta, _a) is long b)
                    power += probability * ClopperPearson.UpperTail(b, _last.Trials, q);
            return power;
        }
    }
}

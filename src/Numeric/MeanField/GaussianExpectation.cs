namespace FimVerify.Numeric.MeanField;

/// <summary>
/// One- and two-dimensional Gaussian expectations by quadrature, each with an error estimate from two
/// successive orders; <see cref="NumericalException"/> when they never agree to the tolerance.
/// <para>
/// Smooth integrands first try Gauss–Hermite (even orders 32, 64, 128, 256; the 2-D rule is the tensor
/// product after the Cholesky change of variables u = √a x, v = √a(c x + √(1−c²) y)). Gauss–Hermite converges
/// slowly when φ(√q z) has complex poles near the real axis (tanh, sigmoid at q ≳ 1: 64 vs 128 nodes still
/// differ by 1e−6 for tanh at q = 3), so when it has not converged by order 256 the integral is redone with
/// composite Gauss–Legendre: 16 nodes per panel on |z| ≤ 12 (outside, the Gaussian mass is below 1e−32),
/// panel width 3/√q halved until two levels agree. Integrands with a kink or jump at 0 (ReLU family) go
/// straight to the composite rule with 0 — and, in 2-D, the line c x + √(1−c²) y = 0 — as panel edges.
/// </para>
/// </summary>
public static class GaussianExpectation
{
    public const double DefaultTolerance = 1e-11;
    private const double Range = 12.0;
    private const int NodesPerPanel = 16;
    private const int Levels = 4;
    private static readonly int[] HermiteOrders = [32, 64, 128, 256];

    /// <summary>∫Dz f(z); <paramref name="q"/> is the variance scale inside f (f(z) = φ(√q z)), used to size panels.</summary>
    public static double Integrate(Func<double, double> f, bool splitAtOrigin, double q = 1, double tolerance = DefaultTolerance)
    {
        if (!splitAtOrigin && TryConverge(n => Hermite1(f, n), HermiteOrders, tolerance, out double v)) return v;
        double h0 = PanelWidth(q);
        if (TryConverge(level => Composite1(f, h0 / (1 << level)), Enumerable.Range(0, Levels).ToArray(), tolerance, out v)) return v;
        throw new NumericalException($"a one-dimensional Gaussian integral did not converge to relative tolerance {tolerance:g2} (q = {q:g4})");
    }

    /// <summary>
    /// E[f(√a x) g(√a(c x + √(1−c²) y))] with c = b/a and x, y independent standard normal: the 2-D
    /// integral I[a, b] of MATH.md §2 with (f, g) = (φ, φ) or (φ′, φ′).
    /// </summary>
    public static double Integrate2(Func<double, double> f, Func<double, double> g, double a, double b, bool splitAtOrigin,
        double tolerance = DefaultTolerance)
    {
        if (!(a > 0) || !double.IsFinite(a)) throw new NumericalException($"the variance a = {a} of a 2-D Gaussian integral must be positive and finite");
        double c = Math.Clamp(b / a, -1, 1), s = Math.Sqrt(Math.Max(0, 1 - c * c)), r = Math.Sqrt(a);
        if (!splitAtOrigin && TryConverge(n => Hermite2(f, g, r, c, s, n), HermiteOrders, tolerance, out double v)) return v;
        double h0 = PanelWidth(a);
        Func<int, (double, double)> rule = splitAtOrigin
            ? level => Polar2(f, g, r, c, s, h0 / (1 << level), Math.PI / 4 / (1 << level))
            : level => Composite2(f, g, r, c, s, h0 / (1 << level));
        if (TryConverge(rule, Enumerable.Range(0, Levels).ToArray(), tolerance, out v)) return v;
        throw new NumericalException($"a two-dimensional Gaussian integral did not converge to relative tolerance {tolerance:g2} (a = {a:g4}, b = {b:g4})");
    }

    private static double PanelWidth(double q) => Math.Min(1.5, 3 / Math.Sqrt(Math.Max(q, 1e-12)));

    /// <summary>Runs successive orders until two agree within tolerance × Σ|terms| (so a zero integral is judged absolutely).</summary>
    private static bool TryConverge(Func<int, (double value, double scale)> rule, int[] orders, double tolerance, out double value)
    {
        double previous = double.NaN;
        foreach (int n in orders)
        {
            var (v, scale) = rule(n);
            if (!double.IsFinite(v)) throw new NumericalException("a Gaussian integral of the activation is not finite");
            if (!double.IsNaN(previous) && Math.Abs(v - previous) <= tolerance * Math.Max(scale, 1e-300)) { value = v; return true; }
            previous = v;
        }
        value = double.NaN;
        return false;
    }

    private static (double, double) Hermite1(Func<double, double> f, int n)
    {
        var rule = GaussRule.Hermite(n);
        double sum = 0, abs = 0;
        for (int i = 0; i < n; i++) { double v = rule.Weights[i] * f(rule.Nodes[i]); sum += v; abs += Math.Abs(v); }
        return (sum, abs);
    }

    private static (double, double) Hermite2(Func<double, double> f, Func<double, double> g, double r, double c, double s, int n)
    {
        var rule = GaussRule.Hermite(n);
        double sum = 0, abs = 0;
        for (int i = 0; i < n; i++)
        {
            double x = rule.Nodes[i], fx = f(r * x), inner = 0, innerAbs = 0;
            for (int j = 0; j < n; j++)
            {
                double v = rule.Weights[j] * g(r * (c * x + s * rule.Nodes[j]));
                inner += v; innerAbs += Math.Abs(v);
            }
            sum += rule.Weights[i] * fx * inner;
            abs += rule.Weights[i] * Math.Abs(fx) * innerAbs;
        }
        return (sum, abs);
    }

    /// <summary>∫ over [lo, hi] of h(z)ϕ(z) dz by composite Gauss–Legendre with panels no wider than width.</summary>
    private static (double, double) Panels(Func<double, double> h, double lo, double hi, double width)
    {
        if (hi <= lo) return (0, 0);
        var (nodes, weights) = PanelRule(lo, hi, width);
        double sum = 0, abs = 0;
        for (int k = 0; k < nodes.Length; k++) { double v = weights[k] * h(nodes[k]); sum += v; abs += Math.Abs(v); }
        return (sum, abs);
    }

    /// <summary>
    /// The nodes z and weights w·(step/2)·ϕ(z) of <see cref="Panels"/> on [lo, hi] (lo &lt; hi), in its order: a weight times h(z) is
    /// the same double as the panel sum's term, so a caller integrating many functions over one panel set computes ϕ once.
    /// </summary>
    private static (double[] Nodes, double[] Weights) PanelRule(double lo, double hi, double width)
    {
        var rule = GaussRule.Legendre(NodesPerPanel);
        int panels = (int)Math.Ceiling((hi - lo) / width);
        double step = (hi - lo) / panels, half = 0.5 * step;
        var nodes = new double[panels * NodesPerPanel];
        var weights = new double[nodes.Length];
        for (int p = 0, k = 0; p < panels; p++)
        {
            double mid = lo + (p + 0.5) * step;
            for (int i = 0; i < NodesPerPanel; i++, k++)
            {
                double z = mid + half * rule.Nodes[i];
                nodes[k] = z;
                weights[k] = rule.Weights[i] * half * Math.Exp(-0.5 * z * z) * InvSqrt2Pi;
            }
        }
        return (nodes, weights);
    }

    private const double InvSqrt2Pi = 0.3989422804014327;

    private static (double, double) Composite1(Func<double, double> f, double width)
    {
        var (l, la) = Panels(f, -Range, 0, width);
        var (u, ua) = Panels(f, 0, Range, width);
        return (l + u, la + ua);
    }

    /// <summary>
    /// Integrands singular on the lines u = 0 and v = 0: in polar coordinates (x, y) = ρ(cos θ, sin θ) we have
    /// u = √a ρ cos θ and v = √a ρ cos(θ − θ_c) with cos θ_c = c, so the singular set is four rays. Splitting θ at
    /// them leaves an integrand smooth in θ on each sector and smooth in ρ > 0, whatever c (even c → ±1,
    /// where a Cartesian split would face a feature of width √(1−c²)).
    /// </summary>
    private static (double, double) Polar2(Func<double, double> f, Func<double, double> g, double r, double c, double s, double radialWidth, double angularWidth)
    {
        double thetaC = Math.Atan2(s, c);
        var cuts = new List<double> { 0, 2 * Math.PI, Math.PI / 2, 3 * Math.PI / 2 };
        foreach (double t in new[] { thetaC + Math.PI / 2, thetaC - Math.PI / 2, thetaC + 3 * Math.PI / 2 })
        {
            double w = t % (2 * Math.PI);
            if (w < 0) w += 2 * Math.PI;
            cuts.Add(w);
        }
        cuts.Sort();
        var rule = GaussRule.Legendre(NodesPerPanel);
        double sum = 0, abs = 0;
        for (int k = 0; k + 1 < cuts.Count; k++)
        {
            double lo = cuts[k], hi = cuts[k + 1];
            if (hi - lo <= 0) continue;
            int panels = (int)Math.Ceiling((hi - lo) / angularWidth);
            double step = (hi - lo) / panels, half = 0.5 * step;
            for (int p = 0; p < panels; p++)
            {
                double mid = lo + (p + 0.5) * step;
                for (int i = 0; i < NodesPerPanel; i++)
                {
                    double theta = mid + half * rule.Nodes[i], wt = rule.Weights[i] * half / (2 * Math.PI);
                    double cu = r * Math.Cos(theta), cv = r * Math.Cos(theta - thetaC);
                    // ∫_0^R ρ e^{−ρ²/2} f(cu ρ) g(cv ρ) dρ by composite Gauss–Legendre.
                    int rp = (int)Math.Ceiling(Range / radialWidth);
                    double rstep = Range / rp, rhalf = 0.5 * rstep, inner = 0, innerAbs = 0;
                    for (int q = 0; q < rp; q++)
                    {
                        double rmid = (q + 0.5) * rstep;
                        for (int j = 0; j < NodesPerPanel; j++)
                        {
                            double rho = rmid + rhalf * rule.Nodes[j];
                            double v = rule.Weights[j] * rhalf * rho * Math.Exp(-0.5 * rho * rho) * f(cu * rho) * g(cv * rho);
                            inner += v; innerAbs += Math.Abs(v);
                        }
                    }
                    sum += wt * inner; abs += wt * innerAbs;
                }
            }
        }
        return (sum, abs);
    }

    private static (double, double) Composite2(Func<double, double> f, Func<double, double> g, double r, double c, double s, double width)
    {
        // The inner argument varies at rate √a·s in y, so the panels may widen by 1/s (capped); the same panels for every x.
        var (ys, yWeights) = s == 0 ? ([], []) : PanelRule(-Range, Range, Math.Min(width / Math.Max(s, 1e-3), 1.5));
        (double, double) Inner(double x)
        {
            if (s == 0) { double v = g(r * c * x); return (v, Math.Abs(v)); }
            double sum = 0, abs = 0;
            for (int k = 0; k < ys.Length; k++) { double v = yWeights[k] * g(r * (c * x + s * ys[k])); sum += v; abs += Math.Abs(v); }
            return (sum, abs);
        }
        var rule = GaussRule.Legendre(NodesPerPanel);
        double sum = 0, abs = 0;
        foreach (var (lo, hi) in new[] { (-Range, 0.0), (0.0, Range) })
        {
            int panels = (int)Math.Ceiling((hi - lo) / width);
            double step = (hi - lo) / panels, half = 0.5 * step;
            for (int p = 0; p < panels; p++)
            {
                double mid = lo + (p + 0.5) * step;
                for (int i = 0; i < NodesPerPanel; i++)
                {
                    double x = mid + half * rule.Nodes[i];
                    double w = rule.Weights[i] * half * Math.Exp(-0.5 * x * x) * InvSqrt2Pi, fx = f(r * x);
                    var (inner, innerAbs) = Inner(x);
                    sum += w * fx * inner;
                    abs += w * Math.Abs(fx) * innerAbs;
                }
            }
        }
        return (sum, abs);
    }
}

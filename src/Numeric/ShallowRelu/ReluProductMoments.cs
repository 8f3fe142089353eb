using MathNet.Numerics.Integration;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// Moments of Y = ReLU(u)·ReLU(v) for (u, v) centred Gaussian with standard deviations a, b and correlation cos θ — the summand of
/// Lemma 1's Monte Carlo estimate of J_ij (u = w_i·x, v = w_j·x, x ~ N(0, I)). In polar coordinates u = a r cos φ,
/// v = b r cos(φ − θ), both positive for φ ∈ (θ − π/2, π/2), and ∫ r^(2q+1) e^(−r²/2) dr = 2^q q!, so
/// E[Y^q] = (ab)^q 2^q q!/(2π) · I_q(θ), I_q(θ) = ∫_{θ−π/2}^{π/2} (cos φ cos(φ − θ))^q dφ.
/// I_q is a smooth non-negative integrand on a finite interval, integrated by Gauss–Legendre (96 nodes: a trigonometric polynomial of degree
/// ≤ 32 in φ, integrated to rounding for q ≤ <see cref="HighestOrder"/>). q = 1 gives Lemma 1's (sin θ + (π − θ) cos θ)/(2π)·ab by a separate route.
/// </summary>
public sealed class ReluProductMoments
{
    /// <summary>The highest moment computed by quadrature; beyond it a bound (<see cref="BernsteinScale"/>).</summary>
    public const int HighestOrder = 16;

    private const int Nodes = 96;
    private static readonly GaussLegendreRule Standard = new(-1, 1, Nodes); // mapped to each interval
    private static readonly double[] StandardNodes = Standard.Abscissas.ToArray(), StandardWeights = Standard.Weights.ToArray();
    private static readonly double[] LogFactorial = Enumerable.Range(0, HighestOrder + 1).Select(q => MathNet.Numerics.SpecialFunctions.FactorialLn(q)).ToArray();
    private readonly double[] _logIntegrals = new double[HighestOrder + 1]; // ln I_q, q = 0 … HighestOrder

    public double A { get; }
    public double B { get; }
    public double Theta { get; }

    public ReluProductMoments(double a, double b, double cosine)
    {
        if (!(a > 0) || !(b > 0) || !double.IsFinite(a) || !double.IsFinite(b)) throw new ArgumentOutOfRangeException(nameof(a), "the standard deviations must be positive");
        (A, B) = (a, b);
        Theta = Math.Acos(Math.Clamp(cosine, -1, 1));
        var sums = new double[HighestOrder + 1];
        if (Theta < Math.PI)
        {
            double half = (Math.PI - Theta) / 2, middle = Theta / 2;
            for (int k = 0; k < Nodes; k++)
            {
                double phi = middle + half * StandardNodes[k];
                double x = Math.Max(0, Math.Cos(phi) * Math.Cos(phi - Theta)), power = half * StandardWeights[k];
                for (int q = 0; q <= HighestOrder; q++) { sums[q] += power; power *= x; }
            }
        }
        for (int q = 0; q <= HighestOrder; q++) _logIntegrals[q] = sums[q] > 0 ? Math.Log(sums[q]) : double.NegativeInfinity;
    }

    /// <summary>E[Y^q] for 0 ≤ q ≤ <see cref="HighestOrder"/>.</summary>
    public double Moment(int q) => Math.Exp(LogMoment(q));

    /// <summary>ln E[Y^q] = q ln(2ab) + ln q! − ln 2π + ln I_q.</summary>
    public double LogMoment(int q)
    {
        if (q < 0 || q > HighestOrder) throw new ArgumentOutOfRangeException(nameof(q));
        if (q == 0) return 0;
        return q * Math.Log(2 * A * B) + LogFactorial[q] - Math.Log(2 * Math.PI) + _logIntegrals[q];
    }

    public double Mean => Moment(1);

    public double Variance => Math.Max(0, Moment(2) - Mean * Mean);

    /// <summary>
    /// A scale c with E[(Y − μ)₊^q] ≤ (q!/2)·σ²·c^(q−2) for every q ≥ 3 (the moment condition of Bernstein's inequality for the
    /// upper tail). Since Y ≥ 0 and μ ≥ 0, (Y − μ)₊ ≤ Y, so c = sup_q (2E[Y^q]/(q!σ²))^(1/(q−2)): exactly for q ≤ 16; beyond,
    /// cos φ cos(φ − θ) = ½(cos θ + cos(2φ − θ)) ≤ cos²(θ/2) =: h bounds I_q ≤ (π − θ)h^q, so the q-th candidate is at most
    /// 2abh·K^(1/(q−2)) with K = (2abh)²(π − θ)/(πσ²): for q ≥ 17 at most 2abh·max(1, K)^(1/15). (About 8% above the
    /// exact supremum at θ = 0 and 12% at θ = π/2; it only enters the ct/n term.)
    /// </summary>
    public double BernsteinScale()
    {
        double variance = Variance;
        if (!(variance > 0)) return 0;
        double logSigma2 = Math.Log(variance), best = double.NegativeInfinity;
        // ln(2E[Y^q]/(q!σ²)) = ln 2 + q ln(2ab) − ln 2π + ln I_q − ln σ² (the q! cancels).
        double log2ab = Math.Log(2 * A * B), offset = Math.Log(2) - Math.Log(2 * Math.PI) - logSigma2;
        for (int q = 3; q <= HighestOrder; q++)
        {
            if (double.IsNegativeInfinity(_logIntegrals[q])) continue;
            best = Math.Max(best, (offset + q * log2ab + _logIntegrals[q]) / (q - 2));
        }
        double logH = Math.Log(2 * A * B * Math.Pow(Math.Cos(Theta / 2), 2));
        double logK = 2 * logH + Math.Log((Math.PI - Theta) / Math.PI) - logSigma2;
        double tail = logH + Math.Max(0, logK) / (HighestOrder - 1);
        return Math.Exp(Math.Max(best, tail));
    }
}

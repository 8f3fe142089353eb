namespace FimVerify.Numeric.MeanField;

/// <summary>Order-to-chaos phase by χ = σ_w² ∫Dz φ′(√q* z)²: χ &lt; 1 ordered, χ &gt; 1 chaotic, χ = 1 the edge.</summary>
public enum Phase { Ordered, Edge, Chaotic }

/// <summary>The fixed point q* of q ← σ_w² ∫Dz φ(√q z)² + σ_b² and χ there. QStar is null when q grows without bound.</summary>
public sealed record FixedPoint(double? QStar, double Chi, Phase Phase)
{
    /// <summary>|χ − 1| below this counts as the edge of chaos.</summary>
    public const double EdgeTolerance = 1e-6;

    /// <param name="homogeneous">True for positively homogeneous φ (ReLU family, linear), whose χ does not depend on q.</param>
    public static FixedPoint Solve(IGaussianKernel kernel, double sigmaW2, double sigmaB2, bool homogeneous)
    {
        double q = sigmaW2 + sigmaB2; // q¹ for unit-variance inputs
        double? star = null;
        for (int it = 0; it < 100_000; it++)
        {
            double next = sigmaW2 * kernel.SecondMoment(q) + sigmaB2;
            if (!double.IsFinite(next) || next > 1e200) break;
            double step = Math.Abs(next - q);
            if (step <= 1e-14 * Math.Max(1, q)) { star = next; break; }
            q = next;
            // At the edge of chaos the approach to q* is algebraic, not geometric: accept a stalled iterate, but only one
            // whose last step is tiny (the step is taken before q moves on, so steady growth is never mistaken for a stall).
            if (it == 99_999 && step <= 1e-9 * Math.Max(1, q)) star = q;
        }
        // Without bias, q = 0 is a fixed point; the iterate approaches it only algebraically at the edge (tanh at
        // σ_w² = 1: q ~ 1/n), so a stalled small iterate means q* = 0, where χ = σ_w² φ′(0)².
        if (star is double s0 && sigmaB2 == 0 && s0 < 1e-4) star = 0;
        if (star is null && !homogeneous)
            throw new NumericalException("the forward recurrence has no finite fixed point q* (it grows without bound or converges too slowly)");
        double chi = sigmaW2 * kernel.DerivativeSecondMoment(star ?? 1.0);
        var phase = Math.Abs(chi - 1) <= EdgeTolerance ? Phase.Edge : chi < 1 ? Phase.Ordered : Phase.Chaotic;
        return new FixedPoint(star, chi, phase);
    }
}

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// The mean-subtraction (batch norm in the last layer) bounds of seeds 001/002, ρα(κ₁ − κ₂) + c₁ ≤ λ_max(F̄) ≤
/// √((Cα²ρ(κ₁ − κ₂)² + c₂)M) with ρ = M/T, where the sources call c₁, c₂ only "non-negative constants". Written with
/// κ̄ = α(κ₁ − κ₂) = Σ_l α_{l−1}(q̂^{l−1}₁q̃^l₁ − q̂^{l−1}₂q̃^l₂) (no division by α, so depth 1 is included). What is derived:
/// <list type="bullet">
/// <item>The leading dual of F̄ is ρκ̄·I_C ⊗ Π, Π = I − 11ᵀ/T (rank C(T − 1)); a Rayleigh quotient on it gives the lower
///   bound with c₁ = 0 as M → ∞.</item>
/// <item>The upper bound is λ_max ≤ ‖F̄*‖_F = √Σλ², exact for every network. Its leading part is C(T − 1)(ρκ̄)² ≈ Cρκ̄²M, so
///   c₂ is the Frobenius excess per unit width, c₂ := lim (Σλ² − C(T − 1)(ρκ̄)²)/M, which the bound needs finite (the
///   finite-width fluctuations of the dual's T² entries are O(√M/T) each). With R = C(T − 1) and the trace Σλ = Rρκ̄(1 + ε),
///   Σλ² − R(ρκ̄)² = [Σλ² − (Σλ)²/R] + Rρ²κ̄²(2ε + ε²): the first bracket is R times the variance of the non-zero
///   eigenvalues, ≥ 0 by Cauchy–Schwarz; the second has mean O(1) (ε has mean O(1/M) and variance O(1/M)) but an O(√M)
///   spread from the network's global scale. So c₂ = lim [Σλ² − (Σλ)²/R]/M ≥ 0, the estimator used here (the
///   definition's estimate, <see cref="C2FromDefinition"/>, has the same limit and a spread of about 2Cρκ̄²·sd(ε)).</item>
/// <item>Cauchy–Schwarz over the at most C(T − 1) non-zero eigenvalues, λ_max² ≥ Σλ²/(C(T − 1)), then forces
///   c₁ ≥ √(ρ²κ̄² + ρc₂/C) − ρκ̄ &gt; 0 whenever c₂ &gt; 0.</item>
/// <item>Depth 1 (f = Wx + b, no hidden layer): F̄'s dual is I_C ⊗ (1/T)ΠXXᵀΠ, a sample covariance of T − 1 effective
///   samples in M_0 = α_0M dimensions, so by Marchenko–Pastur λ_max → (√(ρα_0) + 1)², i.e. c₁ = 2√(ρα_0) + 1, and
///   Σλ² → C(M_0²/T + M_0), i.e. c₂ = Cα_0 — the one case where the constants are explicit.</item>
/// </list>
/// For depth ≥ 2 no closed form for c₁, c₂ is claimed: they are estimated from measured spectra.
/// </summary>
public sealed class MeanSubtractionBounds
{
    public MeanSubtractionBounds(OrderParameters op, int width, int samples, int outputs)
    {
        if (samples < 2) throw new ArgumentException("mean subtraction needs at least two samples");
        var s = op.Shape;
        KappaGap = Enumerable.Range(1, s.Depth).Sum(l => s.WidthRatios[l - 1] * (op.QHat1[l - 1] * op.QTilde1[l] - op.QHat2[l - 1] * op.QTilde2[l]));
        M = width; T = samples; C = outputs; Depth = s.Depth; InputRatio = s.WidthRatios[0];
    }

    /// <summary>κ̄ = α(κ₁ − κ₂), summed without dividing by α.</summary>
    public double KappaGap { get; }
    public int M { get; }
    public int T { get; }
    public int C { get; }
    public int Depth { get; }
    private double InputRatio { get; }
    /// <summary>ρ = M/T as sampled.</summary>
    public double Rho => (double)M / T;

    /// <summary>ρα(κ₁ − κ₂): the lower bound with c₁ = 0, and the C(T − 1)-fold eigenvalue of the leading dual.</summary>
    public double LowerBound => Rho * KappaGap;

    /// <summary>Σλ² of the leading dual, C(T − 1)(ρκ̄)².</summary>
    public double LeadingSumOfSquares => C * (T - 1.0) * LowerBound * LowerBound;

    /// <summary>c₁ measured: λ_max(F̄) − ρκ̄.</summary>
    public double C1(double lambdaMax) => lambdaMax - LowerBound;

    /// <summary>R = C(T − 1), the rank of the leading dual (and at most that of F̄).</summary>
    public int Rank => C * (T - 1);

    /// <summary>c₂ measured as the eigenvalue dispersion: (Σλ² − (Σλ)²/R)/M.</summary>
    public double C2(double sum, double sumOfSquares) => (sumOfSquares - sum * sum / Rank) / M;

    /// <summary>c₂ measured from its definition: (Σλ² − C(T − 1)(ρκ̄)²)/M (same limit as <see cref="C2"/>, noisier).</summary>
    public double C2FromDefinition(double sumOfSquares) => (sumOfSquares - LeadingSumOfSquares) / M;

    /// <summary>Σλ(F̄)/(C(T − 1)ρκ̄): the trace against the leading dual's (→ 1 as the trace self-averages).</summary>
    public double TraceRatio(double sum) => sum / (Rank * LowerBound);

    /// <summary>The upper bound √((Cρκ̄² + c₂)M) (equal to √Σλ² up to the (T − 1)/T of the leading part when c₂ is this network's).</summary>
    public double UpperBound(double c2) => Math.Sqrt((C * Rho * KappaGap * KappaGap + c2) * M);

    /// <summary>The smallest c₁ that Cauchy–Schwarz allows given c₂: √(ρ²κ̄² + ρc₂/C) − ρκ̄.</summary>
    public double CauchySchwarzC1(double c2) => Math.Sqrt(LowerBound * LowerBound + Rho * Math.Max(c2, 0) / C) - LowerBound;

    /// <summary>Depth 1 only: the exact limits c₁ = 2√(ρα_0) + 1 and c₂ = Cα_0 (Marchenko–Pastur); null for deeper networks.</summary>
    public (double C1, double C2)? DepthOneConstants =>
        Depth == 1 ? (2 * Math.Sqrt(Rho * InputRatio) + 1, C * InputRatio) : null;
}

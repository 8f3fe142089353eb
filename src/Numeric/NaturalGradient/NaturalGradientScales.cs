using FimVerify.Numeric.Activations;

namespace FimVerify.Numeric.NaturalGradient;

/// <summary>
/// The step scale α of the isotropic condition Θ̄ = J G⁺ Jᵀ/N = α I (one output, N samples, widths M_0 … M_{L−1}).
/// Derived here from the projector forms in <see cref="ApproximateNaturalGradient"/>, given full-rank factors:
/// <list type="bullet">
/// <item>exact: Θ̄ = K K⁺ = I, α = 1 (J has full row rank, N ≤ P);</item>
/// <item>layer-wise: Θ̄ = Σ_l K_l K_l⁺ = L·I (each J_l has full row rank, N ≤ P_l);</item>
/// <item>K-FAC: Θ̄ = Σ_l N·Π(Δ_lΔ_lᵀ) ∘ Π(H̃H̃ᵀ). For a hidden layer (N ≤ M_l, N ≤ M_{l−1} + 1) both projectors are I
///   and the layer gives N·I; the output layer's Δ_L = 1 (N × 1) has Π = 11ᵀ/N and gives Π(H̃H̃ᵀ) = I. So α = N(L−1) + 1,
///   exactly, where seed 002 writes N·L;</item>
/// <item>unit-wise: Θ̄ = Σ_{l,i} Π(D_i H̃H̃ᵀ D_i) is diagonal, entry n counting the units with δ_{l,i}(n) ≠ 0 (the output
///   unit always): α = 1 + Σ_{l&lt;L} M_l·P(φ′(u) ≠ 0). For ReLU P = 1/2 (u is symmetric), so α = 1 + M(L−1)/2 as M → ∞
///   (seed 002: M(L−1)/2); for activations with φ′ ≠ 0 almost everywhere α = 1 + Σ_{l&lt;L} M_l exactly.</item>
/// </list>
/// </summary>
public static class NaturalGradientScales
{
    public static readonly NaturalGradientMetric[] All =
        [NaturalGradientMetric.Exact, NaturalGradientMetric.LayerWise, NaturalGradientMetric.Kfac, NaturalGradientMetric.UnitWise];

    public static string Name(NaturalGradientMetric metric) => metric switch
    {
        NaturalGradientMetric.Exact => "exact",
        NaturalGradientMetric.LayerWise => "layer-wise",
        NaturalGradientMetric.Kfac => "K-FAC",
        NaturalGradientMetric.UnitWise => "unit-wise",
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    /// <summary>Our α for widths M_0 … M_{L−1}, M_L = 1 and N samples.</summary>
    public static double Derived(NaturalGradientMetric metric, IActivation activation, int[] widths, int samples)
    {
        int L = widths.Length - 1;
        return metric switch
        {
            NaturalGradientMetric.Exact => 1,
            NaturalGradientMetric.LayerWise => L,
            NaturalGradientMetric.Kfac => samples * (L - 1.0) + 1,
            NaturalGradientMetric.UnitWise => 1 + ActiveFraction(activation) * Enumerable.Range(1, L - 1).Sum(l => (double)widths[l]),
            _ => throw new ArgumentOutOfRangeException(nameof(metric)),
        };
    }

    /// <summary>Seed 002's α (FIM 1, layer-wise L, K-FAC N·L, unit-wise M(L−1)/2 for ReLU); NaN where it states none.</summary>
    public static double Source(NaturalGradientMetric metric, IActivation activation, int[] widths, int samples)
    {
        int L = widths.Length - 1;
        return metric switch
        {
            NaturalGradientMetric.Exact => 1,
            NaturalGradientMetric.LayerWise => L,
            NaturalGradientMetric.Kfac => samples * (double)L,
            NaturalGradientMetric.UnitWise => IsRelu(activation) ? widths[1] * (L - 1) / 2.0 : double.NaN,
            _ => throw new ArgumentOutOfRangeException(nameof(metric)),
        };
    }

    /// <summary>True when Θ̄ = αI holds at every width (given the rank conditions), false when only as M → ∞ (ReLU unit-wise).</summary>
    public static bool IsExact(NaturalGradientMetric metric, IActivation activation) =>
        metric != NaturalGradientMetric.UnitWise || ActiveFraction(activation) == 1;

    /// <summary>P(φ′(u) ≠ 0) for a centred Gaussian u: 1/2 for ReLU (leaky slope 0), 1 for the other built-in activations.</summary>
    public static double ActiveFraction(IActivation activation) => activation switch
    {
        _ when IsRelu(activation) => 0.5,
        LeakyRelu or Linear or Tanh or Erf or Sigmoid or Gelu => 1,
        _ => throw new ArgumentException($"the unit-wise scale is derived for the built-in activations only, not '{activation.Name}'"),
    };

    private static bool IsRelu(IActivation a) => a is Relu || a is LeakyRelu { Slope: 0 };

    /// <summary>
    /// The sufficient rank condition of the derivation for this metric, or null when the sizes meet it:
    /// N ≤ P (exact), N ≤ P_l (layer-wise), N ≤ M_{l−1} + 1 and N ≤ M_l for hidden l (K-FAC), N ≤ M_{l−1} + 1 (unit-wise).
    /// </summary>
    public static string? RankConditionViolation(NaturalGradientMetric metric, int[] widths, int samples)
    {
        int L = widths.Length - 1, n = samples;
        long Pl(int l) => (long)widths[l] * (widths[l - 1] + 1);
        switch (metric)
        {
            case NaturalGradientMetric.Exact:
                return n <= Enumerable.Range(1, L).Sum(Pl) ? null : $"N = {n} exceeds the number of parameters";
            case NaturalGradientMetric.LayerWise:
                for (int l = 1; l <= L; l++) if (n > Pl(l)) return $"N = {n} exceeds layer {l}'s {Pl(l)} parameters";
                return null;
            default:
                for (int l = 1; l <= L; l++)
                {
                    if (n > widths[l - 1] + 1) return $"N = {n} exceeds M_{l - 1} + 1 = {widths[l - 1] + 1}";
                    if (metric == NaturalGradientMetric.Kfac && l < L && n > widths[l]) return $"N = {n} exceeds M_{l} = {widths[l]}";
                }
                return null;
        }
    }
}

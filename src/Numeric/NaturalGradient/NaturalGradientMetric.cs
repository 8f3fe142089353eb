namespace FimVerify.Numeric.NaturalGradient;

/// <summary>
/// The metric G a natural-gradient step θ ← θ − η G⁺∇L uses (seed 002, Karakida–Osawa): the exact Fisher
/// (1/N)JᵀJ, its layer-wise block diagonal, K-FAC's per-layer Kronecker factors A_{l−1} ⊗ B_l, or the
/// unit-wise block diagonal (one block per unit's incoming weights and bias).
/// </summary>
public enum NaturalGradientMetric
{
    Exact,
    LayerWise,
    Kfac,
    UnitWise,
}

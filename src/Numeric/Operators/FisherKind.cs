namespace FimVerify.Numeric.Operators;

/// <summary>Which Fisher a classifier's curvature operator represents (seed 003's three matrices).</summary>
public enum FisherKind
{
    /// <summary>Expectation over the model's own class probabilities: per input, diag(p) − p pᵀ in logit space.</summary>
    Exact,
    /// <summary>m labels sampled from the model per input, fixed once drawn.</summary>
    MonteCarlo,
    /// <summary>The data's labels in place of samples from the model.</summary>
    Empirical,
    /// <summary>
    /// K-FAC of the exact Fisher: each layer block F_ll replaced by E[ā āᵀ] ⊗ E[δ δᵀ] (<see cref="KroneckerFactoredFisher"/>);
    /// block-diagonal by construction, so it exists only with <see cref="FisherBlocks.LayerWise"/>.
    /// </summary>
    KroneckerFactored,
}

/// <summary>Whether the operator keeps the cross-layer blocks (full) or only the diagonal layer blocks.</summary>
public enum FisherBlocks { Full, LayerWise }

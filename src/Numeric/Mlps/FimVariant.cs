namespace FimVerify.Numeric.Mlps;

/// <summary>Which metric's dual is built (MATH.md §2).</summary>
public enum FimVariant
{
    /// <summary>F = (1/T) JᵀJ, squared loss with linear output.</summary>
    Regression,
    /// <summary>F_cross = (1/T) Σ_t J_tᵀ Q_t J_t, softmax cross-entropy.</summary>
    Softmax,
    /// <summary>F̄ with E[∇f_k] subtracted (mean subtraction in the last layer).</summary>
    MeanSubtracted,
    /// <summary>Θ = J Jᵀ under the NTK parameterisation.</summary>
    Ntk,
    /// <summary>Θ̄ = (I_C ⊗ Π) Θ (I_C ⊗ Π): the NTK with each output's mean gradient subtracted (mean subtraction in the last layer).</summary>
    NtkMeanSubtracted,
    /// <summary>The diagonal blocks F_ll.</summary>
    Blocks,
    /// <summary>The input metric A⁰ = Σ_k E[∇_x f_k ∇_x f_kᵀ].</summary>
    Input,
}

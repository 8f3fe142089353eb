namespace FimVerify.Numeric.MeanField;

/// <summary>
/// Large-width predictions of MATH.md §2 from the order parameters, for base width M, T samples and C
/// outputs. Each comes from a leading-order dual (F* ≈ (αM/T)·I_C ⊗ ((κ₁ − κ₂)I_T + κ₂ 11ᵀ) for regression): the
/// symbolic layer derives its spectrum and the statistics from it (<see cref="CompiledMeanFieldStatistics"/>,
/// <see cref="CompiledVariantStatistics"/>); this class only gathers the inputs.
/// </summary>
public sealed class Predictions(OrderParameters op, int width, int samples, int outputs)
{
    public OrderParameters OrderParameters => op;
    public int M => width;
    public int T => samples;
    public int C => outputs;

    private void RequireHidden()
    {
        if (op.Depth < 2) throw new ArgumentException("the FIM statistics need at least one hidden layer (depth ≥ 2), since α = 0 at depth 1");
    }

    /// <summary>Theorem 3.1: m_λ = κ₁C/M, s_λ = αC((T−1)/T κ₂² + κ₁²/T), λ_max = α((T−1)/T κ₂ + κ₁/T)M.</summary>
    public EigenvalueStatistics Regression()
    {
        RequireHidden();
        return CompiledMeanFieldStatistics.Regression(op.Kappa1, op.Kappa2, op.Alpha, T, C, M);
    }

    /// <summary>The C(T−1)-fold bulk eigenvalue of the leading-order dual: (αM/T)(κ₁ − κ₂).</summary>
    public double RegressionBulk()
    {
        RequireHidden();
        return CompiledVariantStatistics.RegressionBulk(op.Kappa1, op.Kappa2, op.Alpha, T, C, M);
    }

    /// <summary>
    /// Diagonal block F_ll (l = 1…L), P_l ≈ M_l M_{l−1}: λ^(l)_max = α_{l−1}((T−1)/T q̂^{l−1}₂ q̃^l₂ + q̂^{l−1}₁ q̃^l₁/T)M,
    /// m = C q̂^{l−1}₁ q̃^l₁ / M_l, s = C (M_{l−1}/M_l)(q̂₁²q̃₁²/T + (T−1)/T q̂₂²q̃₂²) with M_L = C.
    /// </summary>
    public EigenvalueStatistics Block(int l)
    {
        if (l < 1 || l > op.Depth) throw new ArgumentOutOfRangeException(nameof(l));
        return CompiledVariantStatistics.Block(op, l, T, C, M);
    }

    /// <summary>
    /// Mean subtraction in the last layer: the outliers go and the top eigenvalue is the bulk value
    /// ρα(κ₁ − κ₂), ρ = M/T — the lower bound of MATH.md (with c₁ = 0); the upper bound's c₂ is not given.
    /// </summary>
    public double MeanSubtractedLowerBound() => RegressionBulk();

    /// <summary>
    /// Mean-subtracted statistics from the leading dual (αM/T)(κ₁ − κ₂) I_C ⊗ Π, Π = I − 11ᵀ/T (rank C(T−1)):
    /// m = C(T−1)(κ₁ − κ₂)/(TM), s = αC(T−1)(κ₁ − κ₂)²/T², λ_max = ρα(κ₁ − κ₂).
    /// </summary>
    public EigenvalueStatistics MeanSubtracted()
    {
        RequireHidden();
        return CompiledVariantStatistics.MeanSubtracted(op.Kappa1, op.Kappa2, op.Alpha, T, C, M);
    }

    /// <summary>The critical learning rate 2/λ_max of gradient descent on (1/2T)Σ‖y − f‖².</summary>
    public double CriticalLearningRate() => 2 / Regression().LambdaMax;

    /// <summary>
    /// NTK parameterisation, Θ = J Jᵀ (CT×CT, no 1/T), statistics over its CT eigenvalues:
    /// m = κ′₁, s = κ′₁² + (T−1)κ′₂², λ_max = κ′₁ + (T−1)κ′₂ — width-independent.
    /// </summary>
    public EigenvalueStatistics Ntk()
    {
        return CompiledMeanFieldStatistics.Ntk(op.NtkKappa1, op.NtkKappa2, T, C);
    }

    /// <summary>
    /// The NTK with each output's mean gradient subtracted, Θ̄ = (I_C ⊗ Π) Θ (I_C ⊗ Π), over its CT eigenvalues:
    /// m = (T−1)(κ′₁ − κ′₂)/T, s = (T−1)(κ′₁ − κ′₂)²/T, λ_max = κ′₁ − κ′₂ — independent of M and (λ_max) of T.
    /// </summary>
    public EigenvalueStatistics NtkMeanSubtracted() => CompiledVariantStatistics.NtkMeanSubtracted(op.NtkKappa1, op.NtkKappa2, T, C);

    /// <summary>
    /// Softmax cross-entropy: the C − 1 outliers ≈ α((T−1)/T κ₂ + κ₁/T)M · eig(mean_t Q_t) (descending): the
    /// regression λ_max times the eigenvalues of the sample-mean Q measured on the network (Q·1 = 0 removes the
    /// C-th). MATH.md's "α κ₂ M · eig(mean Q)" is the large-T limit of this. The scale is derived
    /// (<see cref="SoftmaxStatistics"/>: the Rayleigh quotient of the dual on the eigenvectors of its κ₂ part).
    /// </summary>
    public double[] SoftmaxOutliers(double[] meanQEigenvaluesDescending)
    {
        RequireHidden();
        double scale = CompiledVariantStatistics.SoftmaxOutlierScale(op.Kappa1, op.Kappa2, op.Alpha, T, C, M);
        return meanQEigenvaluesDescending.Select(e => scale * e).ToArray();
    }

    /// <summary>
    /// Softmax statistics from the leading dual (αM/T)[(κ₁ − κ₂) ⊕_t R_tR_tᵀ + κ₂ (R_s R_tᵀ)_{s,t}] (MATH.md's seed-001
    /// Theorem 3.3 lost its formulas; derived by <see cref="SoftmaxStatistics"/>): its trace gives m = κ₁ mean_t tr Q_t / M,
    /// its Frobenius norm s = α[(κ₁² − κ₂²) mean_t tr Q_t²/T + κ₂² tr Q̄²] (Q_t = I gives Theorem 3.1's s), and λ_max is the
    /// mean of the C − 1 outliers of <see cref="SoftmaxOutliers"/>.
    /// </summary>
    public EigenvalueStatistics Softmax(Mlps.SoftmaxQStatistics q)
    {
        RequireHidden();
        var outliers = SoftmaxOutliers(q.MeanQEigenvaluesDescending.Take(Math.Max(1, C - 1)).ToArray());
        var (mean, second) = CompiledVariantStatistics.SoftmaxMoments(op.Kappa1, op.Kappa2, op.Alpha, T, C, M, q.MeanTrace, q.MeanTraceOfSquare, q.TraceOfMeanSquared);
        return new(mean, second, outliers.Average());
    }

    /// <summary>
    /// Input metric A⁰ = Σ_k E[∇_x f_k ∇_x f_kᵀ] (M_0 × M_0), re-derived here from ∇_x f = W¹ᵀδ¹ and
    /// W¹W¹ᵀ ≈ σ_w² I: dual ≈ (σ_w²/T) I_C ⊗ ((q̃¹₁ − q̃¹₂)I + q̃¹₂ 11ᵀ), hence
    /// λ_max = σ_w²((T−1)/T q̃¹₂ + q̃¹₁/T) (order 1), m = Cσ_w² q̃¹₁/M_0 (order 1/M), s = Cσ_w⁴(q̃¹₁²/T + (T−1)/T q̃¹₂²)/M_0.
    /// </summary>
    public EigenvalueStatistics InputMetric() => CompiledVariantStatistics.InputMetric(op, T, C, M);
}

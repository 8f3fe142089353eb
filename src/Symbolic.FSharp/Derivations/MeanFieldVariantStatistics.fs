namespace FimVerify.Symbolic

/// The FIM variants of MATH.md §2 whose leading-order duals have the Kronecker shape s·I_C ⊗ (a I_T + b 11ᵀ), each
/// derived from its dual like Theorem 3.1 (`KroneckerDual.statistics`): the regression dual's C(T−1)-fold bulk
/// eigenvalue, mean subtraction (Π F* Π, and Π Θ Π for the NTK), the diagonal blocks F_ll and the input metric A⁰. Symbols as in
/// `MeanFieldStatistics`, plus sigma_w2.
[<RequireQualifiedAccess>]
module MeanFieldVariantStatistics =
    module X = Expression
    module S = MeanFieldStatistics

    let private step = ProofStep.make
    let private show = Infix.format
    let private areEqual = RationalFunction.areEqual
    let private t, c, m, alpha, kappa1, kappa2 = S.t, S.c, S.m, S.alpha, S.kappa1, S.kappa2
    let sigmaW2 = X.symbol "sigma_w2"
    let private fraction = (t - X.one) / t
    let private square (x: Expression) = X.pow x (X.ofInt 2)
    let private sizes = [ "T"; "C"; "M"; "alpha" ]
    let private overlaps = "q̂₂, q̃₂ ≥ 0 by induction from q̂⁰₂ = 0, since I[a, b] = Σ_k c_k²(b/a)^k ≥ 0 for b ≥ 0 (Mehler)"

    /// Theorem 3.1's dual from its entries (αM/T)κ₁ (t = t′) and (αM/T)κ₂ (t ≠ t′).
    let private regressionDual = KroneckerDual.ofEntries (alpha * m / t) kappa1 kappa2 c t

    /// The regression dual's statistics through the Kronecker route (the same m, s, λ_max as `MeanFieldStatistics`).
    let regression : Lazy<DualStatistics> =
        lazy
            KroneckerDual.statistics regressionDual (alpha * square m) { Carrier = "e_k ⊗ 1"; Nonnegative = kappa2; Reason = overlaps; Positive = sizes }
                (fun () ->
                    let sf = S.spectrumForms.Force()
                    [ step "the regression dual (αM/T)·I_C ⊗ ((κ₁ − κ₂)I_T + κ₂11ᵀ) (Theorem 3.1's, from MeanFieldStatistics)"
                           "its m, s, λ_max below equal MeanFieldStatistics' spectrum sums (checked)"
                           (let sp = KroneckerDual.spectrum regressionDual
                            areEqual (KroneckerDual.moment 1 sp (alpha * square m)) sf.Mean
                            && areEqual (KroneckerDual.moment 2 sp (alpha * square m)) sf.SecondMoment
                            && areEqual sp[1].Value sf.LambdaMax) ])
                (kappa1 * c / m, alpha * c * (fraction * square kappa2 + square kappa1 / t), alpha * (fraction * kappa2 + kappa1 / t) * m)

    /// The regression dual's C(T−1)-fold eigenvalue (αM/T)(κ₁ − κ₂), in `MeanFieldStatistics.statisticsSymbols`.
    let bulk : Lazy<Expression> = lazy (regression.Force().Spectrum |> List.find (fun e -> e.Eigenvectors = "e_k ⊗ 1⊥")).Value

    /// Mean subtraction in the last layer: F̄ = F − Σ_k E[∇f_k]E[∇f_k]ᵀ = (1/T) J̄ᵀJ̄ with J̄ = (I_C ⊗ Π)J, so its dual is
    /// Π F* Π = (αM/T)(κ₁ − κ₂) I_C ⊗ Π; in `MeanFieldStatistics.statisticsSymbols`.
    let meanSubtracted : Lazy<DualStatistics> =
        lazy
            let centring = KroneckerDual.centring c t
            let dual = KroneckerDual.multiply (KroneckerDual.multiply centring regressionDual) centring
            let gap = kappa1 - kappa2
            KroneckerDual.statistics dual (alpha * square m)
                { Carrier = "e_k ⊗ 1⊥"; Nonnegative = gap; Reason = "κ₁ ≥ κ₂ since |q̂₂| ≤ q̂₁ and |q̃₂| ≤ q̃₁ (Cauchy–Schwarz)"; Positive = sizes }
                (fun () ->
                    let idempotent = KroneckerDual.multiply centring centring
                    [ step $"F̄* = (I_C ⊗ Π) F* (I_C ⊗ Π) = {KroneckerDual.shape dual}, Π = I − 11ᵀ/T"
                           "centring each output's T gradients with the empirical mean; products in the algebra aI + b11ᵀ (its rule checked on explicit matrices for T = 2…4); Π² = Π (checked); the result is (αM/T)(κ₁ − κ₂) I_C ⊗ Π (checked)"
                           (KroneckerDual.productRuleHolds.Force()
                            && areEqual idempotent.Identity centring.Identity && areEqual idempotent.Ones centring.Ones && areEqual idempotent.Scale X.one
                            && areEqual (dual.Scale * dual.Identity) (alpha * m / t * gap)
                            && areEqual (dual.Scale * dual.Ones) (X.neg (alpha * m / t * gap / t))) ])
                (c * (t - X.one) * gap / (t * m), alpha * c * (t - X.one) * square gap / square t, m / t * alpha * gap)

    /// The NTK parameterisation's Θ = J Jᵀ with each output's empirical mean gradient subtracted (mean subtraction in the
    /// last layer): Θ̄ = (I_C ⊗ Π) Θ (I_C ⊗ Π) = (κ′₁ − κ′₂) I_C ⊗ Π, statistics over its CT eigenvalues, in
    /// `MeanFieldStatistics.ntkStatisticsSymbols`. Its λ_max = κ′₁ − κ′₂ depends on neither M nor T (MATH.md §2), while
    /// Θ's own λ_max = κ′₁ + (T−1)κ′₂ grows with T.
    let ntkMeanSubtracted : Lazy<DualStatistics> =
        lazy
            let k1, k2 = S.ntkKappa1, S.ntkKappa2
            let centring = KroneckerDual.centring c t
            let ntk = KroneckerDual.ofEntries X.one k1 k2 c t
            let dual = KroneckerDual.multiply (KroneckerDual.multiply centring ntk) centring
            let gap = k1 - k2
            KroneckerDual.statistics dual (c * t)
                { Carrier = "e_k ⊗ 1⊥"; Nonnegative = gap; Reason = "κ′₁ ≥ κ′₂ since |q₂| ≤ q₁ and |q̃₂| ≤ q̃₁ (Cauchy–Schwarz)"; Positive = [ "T"; "C" ] }
                (fun () ->
                    let sf = S.spectrumForms.Force()
                    let sp = KroneckerDual.spectrum ntk
                    [ step "Θ's dual I_C ⊗ ((κ′₁ − κ′₂)I_T + κ′₂11ᵀ) (the NTK kernel, entries κ′₁ for t = t′ and κ′₂ for t ≠ t′)"
                           "its m, s, λ_max over CT eigenvalues equal MeanFieldStatistics' NTK spectrum sums (checked)"
                           (areEqual (KroneckerDual.moment 1 sp (c * t)) sf.NtkMean
                            && areEqual (KroneckerDual.moment 2 sp (c * t)) sf.NtkSecondMoment
                            && areEqual (sp |> List.find (fun e -> e.Eigenvectors = "e_k ⊗ 1")).Value sf.NtkLambdaMax)
                      step $"Θ̄ = (I_C ⊗ Π) Θ (I_C ⊗ Π) = {KroneckerDual.shape dual}, Π = I − 11ᵀ/T"
                           "products in the algebra aI + b11ᵀ (its rule checked on explicit matrices for T = 2…4); the result is (κ′₁ − κ′₂) I_C ⊗ Π (checked), free of M and, for λ_max, of T"
                           (KroneckerDual.productRuleHolds.Force()
                            && areEqual (dual.Scale * dual.Identity) gap
                            && areEqual (dual.Scale * dual.Ones) (X.neg (gap / t))) ])
                ((t - X.one) * gap / t, (t - X.one) * square gap / t, gap)

    /// The symbols of block l's statistics, in compiled order: alpha_(l−1), alpha_l (l < L only; M_L = C),
    /// qhat1_(l−1), qhat2_(l−1), qtilde1_l, qtilde2_l, T, C, M.
    let blockSymbols (depth: int) (l: int) : string list =
        [ yield S.widthName (l - 1)
          if l < depth then yield S.widthName l
          yield! [ S.qhatName 1 (l - 1); S.qhatName 2 (l - 1); S.qtildeName 1 l; S.qtildeName 2 l; "T"; "C"; "M" ] ]

    // Whether the blocks' leading entries sum to Theorem 3.1's D₁, D₂: one check per depth, which every block's step cites
    // (recomputing it per block made the depth-L variants cost O(L²) normal forms of L-term sums).
    let private blocksSumToDual = System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<bool>>()

    let private blocksSum (depth: int) : bool =
        blocksSumToDual.GetOrAdd(depth, fun d ->
            lazy
                (let kf = S.kappas d
                 let total i = X.add [ for k in 1 .. d -> S.leading 1 (S.layerTerm d i k) ]
                 areEqual (total 1) kf.DualDiagonal && areEqual (total 2) kf.DualOffDiagonal)).Force()

    let private deriveBlock (depth: int) (l: int) : DualStatistics =
        if l < 1 || l > depth then invalidArg "l" "the block index must be in 1…L"
        let entry i = S.leading 1 (S.layerTerm depth i l)
        let dual = KroneckerDual.ofEntries X.one (entry 1) (entry 2) c t
        let full = S.width depth l * S.width depth (l - 1) + S.width depth l
        // P_l's order in M: 2 for a hidden layer, 1 for the output layer (M_L = C).
        let degree = if S.leading 2 full <> X.zero then 2 else 1
        let count = S.leading degree full
        let a i = S.qhat i (l - 1) * S.qtilde i l
        let previous, this = S.widthRatio (l - 1) * m, S.width depth l
        KroneckerDual.statistics dual count
            { Carrier = "e_k ⊗ 1"; Nonnegative = a 2; Reason = overlaps; Positive = S.widthName (l - 1) :: sizes }
            (fun () ->
                [ step $"F_ll's dual is layer l's term of the dual (l = {l}): entries {show (entry 1)} (t = t′), {show (entry 2)} (t ≠ t′), leading order in M"
                       "(1/T) J_l J_lᵀ for the Jacobian J_l of layer l's weights and biases; the bias term is O(1), dropped; summed over l the entries give Theorem 3.1's D₁, D₂ (checked)"
                       (blocksSum depth)
                  step $"P_l = M_l M_(l−1) + M_l = {show full} ≈ {show count} (order M^{degree})"
                       "the leading term in M (the next derivative vanishes, checked)"
                       (count <> X.zero && Differentiate.nth (degree + 1) "M" full = X.zero) ])
            (c * a 1 / this, c * previous / this * (square (a 1) / t + fraction * square (a 2)), S.widthRatio (l - 1) * (fraction * a 2 + a 1 / t) * m)

    // Keyed by depth (an int key, as the κ cache: a value-tuple key would cost the first call its own JIT).
    let private blocks = System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<DualStatistics>[]>()

    /// The diagonal block F_ll (l = 1…L) of a depth-L network, in `blockSymbols depth l` (cached per depth and l).
    let block (depth: int) (l: int) : DualStatistics =
        if l < 1 || l > depth then invalidArg "l" "the block index must be in 1…L"
        let layers = blocks.GetOrAdd(depth, fun d -> Array.init d (fun k -> lazy (deriveBlock d (k + 1))))
        layers[l - 1].Force()

    /// The symbols of the input metric's statistics, in compiled order.
    let inputMetricSymbols = [ "sigma_w2"; S.qtildeName 1 1; S.qtildeName 2 1; S.widthName 0; "T"; "C"; "M" ]

    /// The input metric A⁰ = Σ_k E[∇_x f_k ∇_x f_kᵀ] over M_0 = α_0 M coordinates: ∇_x f_k = W¹ᵀδ¹_k, so the dual's entries are
    /// (1/T) δ¹ᵀ W¹W¹ᵀ δ¹′ → (σ_w²/T) q̃¹_i with E[W¹W¹ᵀ] = σ_w² I; in `inputMetricSymbols`.
    let inputMetric : Lazy<DualStatistics> =
        lazy
            let inputWidth = S.widthRatio 0 * m
            // E[(W¹W¹ᵀ)_ii] = Σ_j Var W¹_ij = M_0 · σ_w²/M_0.
            let covariance = Expand.expand (inputWidth * (sigmaW2 / inputWidth))
            let entry i = covariance * S.qtilde i 1 / t
            let dual = KroneckerDual.ofEntries X.one (entry 1) (entry 2) c t
            let t1, t2 = S.qtilde 1 1, S.qtilde 2 1
            KroneckerDual.statistics dual inputWidth
                { Carrier = "e_k ⊗ 1"; Nonnegative = t2; Reason = overlaps; Positive = "sigma_w2" :: sizes }
                (fun () ->
                    [ step $"A⁰'s dual: entries {show (entry 1)} (t = t′), {show (entry 2)} (t ≠ t′), from ∇_x f_k = W¹ᵀδ¹_k"
                           $"δ¹ᵀ W¹W¹ᵀ δ¹′ concentrates on δ¹ᵀ E[W¹W¹ᵀ] δ¹′ with E[W¹W¹ᵀ] = M_0·(σ_w²/M_0) I = {show covariance}·I (checked), then Σ_i δ¹_i δ¹′_i → q̃¹"
                           (covariance = sigmaW2) ])
                (c * sigmaW2 * t1 / inputWidth, c * square sigmaW2 * (square t1 / t + fraction * square t2) / inputWidth, sigmaW2 * (fraction * t2 + t1 / t))

    /// Every step of the depth-L variants (blocks l = 1…L, bulk and mean subtraction, input metric).
    let steps (depth: int) : ProofStep list =
        [ yield! regression.Force().Steps.Force()
          yield! meanSubtracted.Force().Steps.Force()
          yield! ntkMeanSubtracted.Force().Steps.Force()
          for l in 1 .. depth do yield! (block depth l).Steps.Force()
          yield! inputMetric.Force().Steps.Force() ]

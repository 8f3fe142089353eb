namespace FimVerify.Symbolic

/// Theorem 3.1's FIM eigenvalue statistics (MATH.md §2) for a network of depth L, derived from the leading-order
/// dual: symbols alpha_l (width ratios), qhat1_l, qhat2_l (l = 0…L−1), qtilde1_l, qtilde2_l, q1_l, q2_l (l = 1…L),
/// and T (samples), C (outputs), M (base width). The statistics themselves are in kappa1, kappa2, alpha (and
/// ntkKappa1, ntkKappa2 for the NTK parameterisation).
type KappaForms =
    { /// Leading order in M of the dual's diagonal and off-diagonal entries (same output, t = t′ and t ≠ t′).
      DualDiagonal: Expression
      DualOffDiagonal: Expression
      /// κ_i = T·D_i/(αM), with α as the symbol alpha.
      Kappa1: Expression
      Kappa2: Expression
      /// κ′_i = Σ_l q^l_i q̃^l_i.
      NtkKappa1: Expression
      NtkKappa2: Expression }

/// The statistics as sums over the dual's spectrum, before any simplification (what compiled code evaluates).
type SpectrumForms =
    { /// (eigenvalue, multiplicity) of the regression dual, in kappa1, kappa2, alpha, T, C, M.
      Spectrum: (Expression * Expression) list
      Mean: Expression
      SecondMoment: Expression
      LambdaMax: Expression
      NtkSpectrum: (Expression * Expression) list
      NtkMean: Expression
      NtkSecondMoment: Expression
      NtkLambdaMax: Expression }

type MeanFieldStatisticsDerivation =
    { Depth: int
      /// P(M) = Σ_l (M_l M_(l−1) + M_l), M_l = α_l M (l < L), M_L = C.
      ParameterCount: Expression
      /// α = ½ ∂²P/∂M², so P = αM² + O(M).
      Alpha: Expression
      /// Leading order in M of the dual's diagonal and off-diagonal entries (same output, t = t′ and t ≠ t′).
      DualDiagonal: Expression
      DualOffDiagonal: Expression
      /// κ_i = T·D_i/(αM), with α as the symbol alpha.
      Kappa1: Expression
      Kappa2: Expression
      /// κ′_i = Σ_l q^l_i q̃^l_i.
      NtkKappa1: Expression
      NtkKappa2: Expression
      /// The dual's spectrum: (eigenvalue, multiplicity), in kappa1, kappa2.
      Spectrum: (Expression * Expression) list
      /// m_λ = Σλ/P, s_λ = Σλ²/P, λ_max, in kappa1, kappa2, alpha, T, C, M (rational normal forms of SpectrumForms).
      Mean: Expression
      SecondMoment: Expression
      LambdaMax: Expression
      /// The NTK kernel's statistics over its CT eigenvalues, in ntkKappa1, ntkKappa2, T.
      NtkMean: Expression
      NtkSecondMoment: Expression
      NtkLambdaMax: Expression
      /// Steps and their checks, run on demand (the numeric layer needs only the expressions).
      Steps: Lazy<ProofStep list> }

    member x.Holds = ProofStep.allHold (x.Steps.Force())

[<RequireQualifiedAccess>]
module MeanFieldStatistics =
    module X = Expression

    let t = X.symbol "T"
    let c = X.symbol "C"
    let m = X.symbol "M"
    let alpha = X.symbol "alpha"
    let kappa1 = X.symbol "kappa1"
    let kappa2 = X.symbol "kappa2"
    let ntkKappa1 = X.symbol "ntkKappa1"
    let ntkKappa2 = X.symbol "ntkKappa2"
    // Names by concatenation: an interpolated string with integer holes goes through FSharp.Core's Printf, whose
    // JIT compilation costs the numeric layer's first call tens of milliseconds.
    let widthName (l: int) = "alpha_" + string l
    let qhatName (i: int) (l: int) = "qhat" + string i + "_" + string l
    let qtildeName (i: int) (l: int) = "qtilde" + string i + "_" + string l
    let private qName (i: int) (l: int) = "q" + string i + "_" + string l
    let widthRatio (l: int) = X.symbol (widthName l)
    /// q̂^l_i, q̃^l_i, q^l_i for i = 1 (same input) or 2 (different inputs).
    let qhat (i: int) (l: int) = X.symbol (qhatName i l)
    let qtilde (i: int) (l: int) = X.symbol (qtildeName i l)
    let q (i: int) (l: int) = X.symbol (qName i l)
    let private two = X.ofInt 2
    let private show = Infix.format
    let private step = ProofStep.make

    /// The symbols κ_i reads, in the order compiled code takes them: alpha, alpha_0…alpha_(L−1), qhat_i_0…, qtilde_i_1….
    let kappaSymbols (depth: int) (i: int) : string list =
        [ yield "alpha"
          for l in 0 .. depth - 1 -> widthName l
          for l in 0 .. depth - 1 -> qhatName i l
          for l in 1 .. depth -> qtildeName i l ]

    /// The symbols κ′_i reads: q_i_1…q_i_L, qtilde_i_1….
    let ntkKappaSymbols (depth: int) (i: int) : string list =
        [ for l in 1 .. depth -> qName i l
          for l in 1 .. depth -> qtildeName i l ]

    /// The symbols of the regression statistics, in compiled order.
    let statisticsSymbols = [ "kappa1"; "kappa2"; "alpha"; "T"; "C"; "M" ]
    let ntkStatisticsSymbols = [ "ntkKappa1"; "ntkKappa2"; "T"; "C" ]

    /// The leading term in M of an expression polynomial in M of degree ≤ `degree`: the coefficient of M^degree times M^degree.
    let leading (degree: int) (x: Expression) =
        let factorial = Seq.fold (*) 1 (seq { 1 .. degree })
        Expand.expand (Substitute.one "M" X.zero (Differentiate.nth degree "M" x) / X.ofInt factorial * X.pow m (X.ofInt degree))

    /// M_l = α_l M for l < L, M_L = C.
    let width (depth: int) (l: int) = if l = depth then c else widthRatio l * m

    /// Layer l's contribution to the dual's entry i (1: t = t′, 2: t ≠ t′, same output), before the leading order in M.
    let layerTerm (depth: int) (i: int) (l: int) = qtilde i l * (width depth (l - 1) * qhat i (l - 1) + X.one) / t

    let private deriveKappas (depth: int) : KappaForms =
        if depth < 1 then invalidArg "depth" "the depth must be at least 1"
        // The dual (1/T) J Jᵀ of the regression FIM: a weight W^l_(ij) contributes δ^l_(k,i)(t) h^(l−1)_j(t) to row (k, t),
        // a bias δ^l_(k,i)(t). In the mean-field limit Σ_i δ^l_(k,i)(t)δ^l_(k′,i)(t′) → δ_(kk′) q̃^l and
        // Σ_j h^(l−1)_j(t)h^(l−1)_j(t′) → M_(l−1) q̂^(l−1), index 1 for t = t′ and 2 for t ≠ t′.
        let dual i = X.add [ for l in 1 .. depth -> layerTerm depth i l ]
        let d1, d2 = leading 1 (dual 1), leading 1 (dual 2)
        let kappaOf (d: Expression) = Expand.expand (t * d / m) / alpha
        // NTK parameterisation: W = σ_w ω/√M_(l−1), b = σ_b β, Θ = J Jᵀ: each layer gives (σ_w² q̂^(l−1) + σ_b²) q̃^l = q^l q̃^l.
        let ntk i = X.add [ for l in 1 .. depth -> q i l * qtilde i l ]
        { DualDiagonal = d1; DualOffDiagonal = d2; Kappa1 = kappaOf d1; Kappa2 = kappaOf d2; NtkKappa1 = ntk 1; NtkKappa2 = ntk 2 }

    let private kappaCache = System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<KappaForms>>()

    /// κ₁, κ₂, κ′₁, κ′₂ for depth L (cached per depth).
    let kappas (depth: int) : KappaForms = kappaCache.GetOrAdd(depth, fun d -> lazy (deriveKappas d)).Force()

    let private moment k (pairs: (Expression * Expression) list) (count: Expression) =
        X.add [ for lam, mult in pairs -> mult * X.pow lam (X.ofInt k) ] / count

    /// The dual in κ's, (αM/T) I_C ⊗ ((κ₁ − κ₂) I_T + κ₂ 11ᵀ): eigenvalues (αM/T)(κ₁ − κ₂) (multiplicity C(T−1)) and
    /// (αM/T)(κ₁ + (T−1)κ₂) (multiplicity C); m_λ = Σλ/P, s_λ = Σλ²/P with P = αM², λ_max the second (κ₂ ≥ 0).
    /// The NTK kernel Θ ≈ I_C ⊗ ((κ′₁ − κ′₂) I_T + κ′₂ 11ᵀ), statistics over its CT eigenvalues.
    let spectrumForms : Lazy<SpectrumForms> =
        lazy
            let scale = alpha * m / t
            let spectrum = [ scale * (kappa1 - kappa2), c * (t - X.one); scale * (kappa1 + (t - X.one) * kappa2), c ]
            let p = alpha * X.pow m two
            let ntkSpectrum = [ ntkKappa1 - ntkKappa2, c * (t - X.one); ntkKappa1 + (t - X.one) * ntkKappa2, c ]
            { Spectrum = spectrum
              Mean = moment 1 spectrum p
              SecondMoment = moment 2 spectrum p
              LambdaMax = fst spectrum[1]
              NtkSpectrum = ntkSpectrum
              NtkMean = moment 1 ntkSpectrum (c * t)
              NtkSecondMoment = moment 2 ntkSpectrum (c * t)
              NtkLambdaMax = fst ntkSpectrum[1] }

    /// The whole derivation for depth L, uncached (κ's are cached per depth by `kappas`).
    let derive (depth: int) : MeanFieldStatisticsDerivation =
        let parameterCount = X.add [ for l in 1 .. depth -> width depth l * width depth (l - 1) + width depth l ]
        let alphaExpr = Expand.expand (Substitute.one "M" X.zero (Differentiate.nth 2 "M" parameterCount) / two)
        let kf = kappas depth
        let d1, d2, k1, k2 = kf.DualDiagonal, kf.DualOffDiagonal, kf.Kappa1, kf.Kappa2
        let sigmaW2, sigmaB2 = X.symbol "sigma_w2", X.symbol "sigma_b2"
        let ntkRaw i = X.add [ for l in 1 .. depth -> (sigmaW2 * qhat i (l - 1) + sigmaB2) * qtilde i l ]
        let forward i = Map.ofList [ for l in 1 .. depth -> qName i l, sigmaW2 * qhat i (l - 1) + sigmaB2 ]
        let ntk i = if i = 1 then kf.NtkKappa1 else kf.NtkKappa2
        let sf = spectrumForms.Force()
        let spectrum = sf.Spectrum
        let normal = RationalFunction.normalForm
        let mean, second, lambdaMax = normal sf.Mean, normal sf.SecondMoment, normal sf.LambdaMax
        let ntkMean, ntkSecond, ntkLambdaMax = normal sf.NtkMean, normal sf.NtkSecondMoment, normal sf.NtkLambdaMax
        let steps =
            lazy
                let fraction = (t - X.one) / t
                let stated =
                    [ "m_λ = κ₁C/M", mean, kappa1 * c / m
                      "s_λ = αC((T−1)/T κ₂² + κ₁²/T)", second, alpha * c * (fraction * kappa2 * kappa2 + kappa1 * kappa1 / t)
                      "λ_max = α((T−1)/T κ₂ + κ₁/T)M", lambdaMax, alpha * (fraction * kappa2 + kappa1 / t) * m
                      "NTK m = κ′₁", ntkMean, ntkKappa1
                      "NTK s = κ′₁² + (T−1)κ′₂²", ntkSecond, ntkKappa1 * ntkKappa1 + (t - X.one) * ntkKappa2 * ntkKappa2
                      "NTK λ_max = κ′₁ + (T−1)κ′₂", ntkLambdaMax, ntkKappa1 + (t - X.one) * ntkKappa2 ]
                let alphaStated = X.add [ for l in 1 .. depth - 1 -> widthRatio l * widthRatio (l - 1) ]
                let kappaStated i = X.add [ for l in 1 .. depth -> widthRatio (l - 1) * qhat i (l - 1) * qtilde i l ] / alpha
                [ step $"P = {show parameterCount}, α = ½ ∂²P/∂M² = {show alphaExpr}"
                       "weights M_l M_(l−1) and biases M_l per layer, M_l = α_l M, M_L = C; P − αM² has no M² term (checked)"
                       (Expand.expand alphaExpr = Expand.expand alphaStated
                        && Differentiate.nth 3 "M" parameterCount = X.zero)
                  step $"D₁ = {show d1}, D₂ = {show d2} (leading order in M)"
                       "mean-field inner products of the backward and forward signals; bias terms are O(1), dropped" true
                  step $"κ₁ = T D₁/(αM) = {show k1}, κ₂ = {show k2}"
                       "definition; equals Σ_l (α_(l−1)/α) q̂^(l−1)_i q̃^l_i"
                       (RationalFunction.areEqual k1 (kappaStated 1) && RationalFunction.areEqual k2 (kappaStated 2))
                  step "the dual's eigenvalues: (αM/T)(κ₁ − κ₂) with multiplicity C(T−1), (αM/T)(κ₁ + (T−1)κ₂) with multiplicity C"
                       "I_C ⊗ ((x − y) I_T + y 11ᵀ): 1 is an eigenvector with x + (T−1)y and 1⊥ has x − y; the characteristic polynomials checked exactly for T = 2…5"
                       (KroneckerDual.spectrumHolds.Force())
                  step $"m_λ = Σλ/P = {show mean}, s_λ = Σλ²/P = {show second}, λ_max = {show lambdaMax} (for κ₂ ≥ 0), P = αM²"
                       "sums over the spectrum with multiplicities, rational normal form"
                       (stated |> List.take 3 |> List.forall (fun (_, derived, s) -> RationalFunction.areEqual derived s))
                  step $"NTK: κ′_i = Σ_l (σ_w² q̂^(l−1)_i + σ_b²) q̃^l_i = {show (ntk 1)} (i = 1), by q^l = σ_w² q̂^(l−1) + σ_b²"
                       "the forward recurrence substituted (checked)"
                       (Substitute.many (forward 1) (ntk 1) = ntkRaw 1 && Substitute.many (forward 2) (ntk 2) = ntkRaw 2)
                  step $"NTK: Θ ≈ I_C ⊗ ((κ′₁ − κ′₂) I_T + κ′₂ 11ᵀ) over CT eigenvalues: m = {show ntkMean}, s = {show ntkSecond}, λ_max = {show ntkLambdaMax}"
                       "the same spectrum, normalised by CT"
                       (stated |> List.skip 3 |> List.forall (fun (_, derived, s) -> RationalFunction.areEqual derived s)) ]
        { Depth = depth
          ParameterCount = parameterCount
          Alpha = alphaExpr
          DualDiagonal = d1
          DualOffDiagonal = d2
          Kappa1 = k1
          Kappa2 = k2
          NtkKappa1 = ntk 1
          NtkKappa2 = ntk 2
          Spectrum = spectrum
          Mean = mean
          SecondMoment = second
          LambdaMax = lambdaMax
          NtkMean = ntkMean
          NtkSecondMoment = ntkSecond
          NtkLambdaMax = ntkLambdaMax
          Steps = steps }

    let private cache = System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<MeanFieldStatisticsDerivation>>()

    /// The derivation's closed forms and checked steps, as the derivation cache keeps them.
    let toCached (x: MeanFieldStatisticsDerivation) : CachedDerivation =
        { Expressions =
            [ "P", x.ParameterCount; "alpha", x.Alpha; "D1", x.DualDiagonal; "D2", x.DualOffDiagonal
              "kappa1", x.Kappa1; "kappa2", x.Kappa2; "ntkKappa1", x.NtkKappa1; "ntkKappa2", x.NtkKappa2
              "mean", x.Mean; "secondMoment", x.SecondMoment; "lambdaMax", x.LambdaMax
              "ntkMean", x.NtkMean; "ntkSecondMoment", x.NtkSecondMoment; "ntkLambdaMax", x.NtkLambdaMax ]
            @ [ for i, (value, multiplicity) in List.indexed x.Spectrum do
                  yield "spectrum." + string i + ".value", value
                  yield "spectrum." + string i + ".multiplicity", multiplicity ]
          Steps = x.Steps.Force() }

    /// The derivation rebuilt from what the cache kept (its steps already checked).
    let ofCached (depth: int) (c: CachedDerivation) : MeanFieldStatisticsDerivation =
        let e = c.Expression
        let pairs = c.Expressions |> List.filter (fun (n, _) -> n.StartsWith "spectrum." && n.EndsWith ".value") |> List.length
        { Depth = depth
          ParameterCount = e "P"
          Alpha = e "alpha"
          DualDiagonal = e "D1"
          DualOffDiagonal = e "D2"
          Kappa1 = e "kappa1"
          Kappa2 = e "kappa2"
          NtkKappa1 = e "ntkKappa1"
          NtkKappa2 = e "ntkKappa2"
          Spectrum = [ for i in 0 .. pairs - 1 -> e ("spectrum." + string i + ".value"), e ("spectrum." + string i + ".multiplicity") ]
          Mean = e "mean"
          SecondMoment = e "secondMoment"
          LambdaMax = e "lambdaMax"
          NtkMean = e "ntkMean"
          NtkSecondMoment = e "ntkSecondMoment"
          NtkLambdaMax = e "ntkLambdaMax"
          Steps = Lazy<ProofStep list>.CreateFromValue c.Steps }

    /// The key of depth L's derivation in the derivation cache.
    let cacheKey (depth: int) = "mean-field-statistics-depth-" + string depth

    /// The whole derivation for depth L, with normal forms and checks: from the per-user derivation cache when it holds this
    /// engine version's checked derivation, else derived (and stored once every step holds); once per process per depth.
    let forDepth (depth: int) : MeanFieldStatisticsDerivation =
        cache.GetOrAdd(depth, fun d -> lazy (DerivationCache.getOrDerive (cacheKey d) (System.Func<_>(fun () -> toCached (derive d))) |> ofCached d)).Force()

    /// The key of `spectrumForms` in the derivation cache (they depend on no input).
    let spectrumFormsCacheKey = "mean-field-spectrum-forms"

    let private pairsToCached (prefix: string) (pairs: (Expression * Expression) list) =
        [ for i, (value, multiplicity) in List.indexed pairs do
              yield prefix + "." + string i + ".value", value
              yield prefix + "." + string i + ".multiplicity", multiplicity ]

    let private pairsOfCached (prefix: string) (c: CachedDerivation) =
        let count = c.Expressions |> List.filter (fun (n, _) -> n.StartsWith(prefix + ".") && n.EndsWith ".value") |> List.length
        [ for i in 0 .. count - 1 -> c.Expression(prefix + "." + string i + ".value"), c.Expression(prefix + "." + string i + ".multiplicity") ]

    /// The spectrum forms as the derivation cache keeps them (no steps: they are sums over a spectrum, checked in `derive`).
    let spectrumFormsToCached (f: SpectrumForms) : CachedDerivation =
        { Expressions =
            [ "mean", f.Mean; "secondMoment", f.SecondMoment; "lambdaMax", f.LambdaMax
              "ntkMean", f.NtkMean; "ntkSecondMoment", f.NtkSecondMoment; "ntkLambdaMax", f.NtkLambdaMax ]
            @ pairsToCached "spectrum" f.Spectrum @ pairsToCached "ntkSpectrum" f.NtkSpectrum
          Steps = [] }

    /// The spectrum forms rebuilt from what the cache kept.
    let spectrumFormsOfCached (c: CachedDerivation) : SpectrumForms =
        let e = c.Expression
        { Spectrum = pairsOfCached "spectrum" c
          Mean = e "mean"
          SecondMoment = e "secondMoment"
          LambdaMax = e "lambdaMax"
          NtkSpectrum = pairsOfCached "ntkSpectrum" c
          NtkMean = e "ntkMean"
          NtkSecondMoment = e "ntkSecondMoment"
          NtkLambdaMax = e "ntkLambdaMax" }

    /// `spectrumForms` from the per-user derivation cache when it holds them, else built (and stored); once per process. Building
    /// them is cheap arithmetic but the first symbolic arithmetic of a process (about 70 ms of JIT in a cold `fim-stats`); reading
    /// them back is a few milliseconds, and the forms are structurally identical (so evaluating them gives the same doubles).
    let cachedSpectrumForms : Lazy<SpectrumForms> =
        lazy (DerivationCache.getOrDerive spectrumFormsCacheKey (System.Func<_>(fun () -> spectrumFormsToCached (spectrumForms.Force())))
              |> spectrumFormsOfCached)

    /// LaTeX for this module's symbols (qhat1_0 → {\hat{q}^{0}_{1}}, ntkKappa2 → {\kappa'_{2}}, …; braced, so a power
    /// of one is valid LaTeX); None for others.
    let latexSymbol (name: string) : string option =
        let split (prefix: string) =
            if name.StartsWith prefix && name.Length > prefix.Length + 2 && name[prefix.Length + 1] = '_' then
                Some(name[prefix.Length .. prefix.Length], name[prefix.Length + 2 ..])
            else None
        match name with
        | "alpha" -> Some "\\alpha"
        | "kappa1" | "kappa2" -> Some $"\\kappa_{{{name[5..]}}}"
        | "ntkKappa1" | "ntkKappa2" -> Some $"{{\\kappa'_{{{name[8..]}}}}}"
        | "sigma_w2" -> Some "{\\sigma_w^2}"
        | "sigma_b2" -> Some "{\\sigma_b^2}"
        | _ when name.StartsWith "alpha_" -> Some $"\\alpha_{{{name[6..]}}}"
        | _ ->
            match split "qhat", split "qtilde", split "q" with
            | Some(i, l), _, _ -> Some $"{{\\hat{{q}}^{{{l}}}_{{{i}}}}}"
            | _, Some(i, l), _ -> Some $"{{\\tilde{{q}}^{{{l}}}_{{{i}}}}}"
            | _, _, Some(i, l) -> Some $"{{q^{{{l}}}_{{{i}}}}}"
            | _ -> None

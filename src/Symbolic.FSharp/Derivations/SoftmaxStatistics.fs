namespace FimVerify.Symbolic

/// The softmax cross-entropy FIM's statistics from its leading-order dual
/// s[(κ₁ − κ₂) D + κ₂ B], s = αM/T, D = ⊕_t R_tR_tᵀ, B = (R_sR_tᵀ)_(s,t), R_tᵀR_t = Q_t (MATH.md §2), in terms of the
/// measured statistics meanTrQ = mean_t tr Q_t, meanTrQ2 = mean_t tr Q_t², trQbar2 = tr Q̄² (Q̄ = mean_t Q_t).
type SoftmaxStatisticsDerivation =
    { /// tr and ‖·‖²_F of the dual from the Frobenius Gram table of D and B.
      Trace: Expression
      FrobeniusSquared: Expression
      ParameterCount: Expression
      /// m = tr/P, s = ‖·‖²_F/P, unsimplified (what compiled code evaluates).
      Mean: Expression
      SecondMoment: Expression
      /// The j-th outlier is OutlierScale·μ_j, μ_j the j-th eigenvalue of Q̄ (in `MeanFieldStatistics.statisticsSymbols`).
      OutlierScale: Expression
      Simplified: Lazy<Expression * Expression * Expression>
      Steps: Lazy<ProofStep list> }

    member x.Holds = ProofStep.allHold (x.Steps.Force())

[<RequireQualifiedAccess>]
module SoftmaxStatistics =
    module X = Expression
    module S = MeanFieldStatistics

    let meanTraceQ = X.symbol "meanTrQ"
    let meanTraceQSquared = X.symbol "meanTrQ2"
    let traceMeanQSquared = X.symbol "trQbar2"

    /// The symbols of m and s, in compiled order.
    let symbols = S.statisticsSymbols @ [ "meanTrQ"; "meanTrQ2"; "trQbar2" ]

    let private step = ProofStep.make
    let private show = Infix.format
    let private areEqual = RationalFunction.areEqual
    let private t, c, m, alpha, kappa1, kappa2 = S.t, S.c, S.m, S.alpha, S.kappa1, S.kappa2
    let private square (x: Expression) = X.pow x (X.ofInt 2)

    /// tr D, tr B, ⟨D, D⟩, ⟨D, B⟩, ⟨B, B⟩ in the Q statistics: T·meanTrQ, T·meanTrQ, T·meanTrQ2, T·meanTrQ2, T²·trQbar2.
    let private gramTable =
        [ "tr D", t * meanTraceQ; "tr B", t * meanTraceQ; "⟨D, D⟩", t * meanTraceQSquared; "⟨D, B⟩", t * meanTraceQSquared; "⟨B, B⟩", square t * traceMeanQSquared ]

    let private gram name = gramTable |> List.find (fst >> (=) name) |> snd

    // Exact rational matrices for the independent check.
    let private zero = Rational.Zero
    let private product (a: Rational[,]) (b: Rational[,]) =
        Array2D.init (Array2D.length1 a) (Array2D.length2 b) (fun i j -> Seq.fold (fun acc k -> acc + a[i, k] * b[k, j]) zero (seq { 0 .. Array2D.length2 a - 1 }))
    let private transpose (a: Rational[,]) = Array2D.init (Array2D.length2 a) (Array2D.length1 a) (fun i j -> a[j, i])
    let private trace (a: Rational[,]) = Seq.fold (fun acc i -> acc + a[i, i]) zero (seq { 0 .. Array2D.length1 a - 1 })
    let private inner (a: Rational[,]) (b: Rational[,]) = trace (product (transpose a) b)
    let private sum (xs: Rational[,] seq) = xs |> Seq.reduce (fun a b -> Array2D.init (Array2D.length1 a) (Array2D.length2 a) (fun i j -> a[i, j] + b[i, j]))
    let private scaled (r: Rational) (a: Rational[,]) = Array2D.map (fun x -> r * x) a

    /// With arbitrary rational R_t (C × C, t = 1…T, a fixed seed): the Gram table, tr Bᵏ = Tᵏ tr Q̄ᵏ for k = 1…C (B's non-zero
    /// spectrum is T·eig Q̄), and for a rational c: (R̃c)ᵀD(R̃c) = T cᵀ mean(Q_t²) c, (R̃c)ᵀB(R̃c) = T² cᵀQ̄²c (R̃ the stacked R_t).
    let private exactCheck (classes: int) (samples: int) (seed: int) =
        let rnd = System.Random seed
        let entry () = Rational.make (rnd.Next(-5, 6)) (rnd.Next(1, 4))
        let r = Array.init samples (fun _ -> Array2D.init classes classes (fun _ _ -> entry ()))
        let n = classes * samples
        let block s u = product r[s] (transpose r[u])
        let d = Array2D.init n n (fun i j -> if i / classes = j / classes then (block (i / classes) (i / classes))[i % classes, j % classes] else zero)
        let b = Array2D.init n n (fun i j -> (block (i / classes) (j / classes))[i % classes, j % classes])
        let q = r |> Array.map (fun x -> product (transpose x) x)
        let invT = Rational.One / Rational.ofInt samples
        let qBar = scaled invT (sum q)
        let meanQSquared = scaled invT (sum (q |> Array.map (fun x -> product x x)))
        let values =
            Map.ofList [ "T", X.ofInt samples
                         "meanTrQ", X.number (invT * Array.sumBy trace q)
                         "meanTrQ2", X.number (trace meanQSquared)
                         "trQbar2", X.number (trace (product qBar qBar)) ]
        let at (x: Expression) = X.tryRational (RationalFunction.normalFormExpandingFirst (Substitute.many values x))
        let measured = [ "tr D", trace d; "tr B", trace b; "⟨D, D⟩", inner d d; "⟨D, B⟩", inner d b; "⟨B, B⟩", inner b b ]
        let table = measured |> List.forall (fun (name, v) -> at (gram name) = Some v)
        let power (a: Rational[,]) k = Seq.fold (fun acc _ -> product acc a) a (seq { 2 .. k })
        let spectrum = seq { 1 .. classes } |> Seq.forall (fun k -> trace (power b k) = Rational.pow (Rational.ofInt samples) k * trace (power qBar k))
        let cvec = Array2D.init classes 1 (fun _ _ -> entry ())
        let stacked = Array2D.init n classes (fun i j -> r[i / classes][i % classes, j])
        let v = product stacked cvec
        let quadratic (a: Rational[,]) (x: Rational[,]) = (product (transpose x) (product a x))[0, 0]
        let rayleigh =
            quadratic d v = Rational.ofInt samples * quadratic meanQSquared cvec
            && quadratic b v = Rational.pow (Rational.ofInt samples) 2 * quadratic (product qBar qBar) cvec
        table && spectrum && rayleigh

    let private derive () : SoftmaxStatisticsDerivation =
        let scale = alpha * m / t
        let gap = kappa1 - kappa2
        let traceForm = scale * (gap * gram "tr D" + kappa2 * gram "tr B")
        let frobenius = square scale * (square gap * gram "⟨D, D⟩" + X.ofInt 2 * gap * kappa2 * gram "⟨D, B⟩" + square kappa2 * gram "⟨B, B⟩")
        let count = alpha * square m
        let mean, second = traceForm / count, frobenius / count
        // On B's eigenvector v_j = R̃c_j/√(Tμ_j) (Q̄c_j = μ_jc_j): vᵀBv = Tμ_j and vᵀDv = c_jᵀ mean(Q_t²) c_j/μ_j, taken as μ_j.
        let mu = X.symbol "mu"
        let outlierScale = Expand.expand (scale * (kappa2 * t * mu + gap * mu) / mu)
        let simplified = lazy (RationalFunction.normalFormExpandingFirst mean, RationalFunction.normalFormExpandingFirst second, RationalFunction.normalFormExpandingFirst outlierScale)
        let steps =
            lazy
                let sm, ss, scaleNormal = simplified.Force()
                let sf = S.spectrumForms.Force()
                let identity = Map.ofList [ "meanTrQ", c; "meanTrQ2", c; "trQbar2", c ]
                let table = gramTable |> List.map (fun (name, x) -> $"{name} = {show x}") |> String.concat ", "
                [ step $"Frobenius Gram table of D = ⊕_t R_tR_tᵀ and B = (R_sR_tᵀ)_(s,t): {table}"
                       "tr(R_tR_tᵀ)ᵏ = tr Q_tᵏ and Σ_(s,t) tr(Q_sQ_t) = T² tr Q̄²; checked exactly with random rational R_t for (C, T) = (2, 3), (3, 2), (3, 4)"
                       (exactCheck 2 3 1 && exactCheck 3 2 2 && exactCheck 3 4 3)
                  step $"m = tr/P = {show sm}, s = ‖·‖²_F/P = {show ss}, P = αM²"
                       "tr and ‖·‖²_F of (αM/T)[(κ₁ − κ₂)D + κ₂B] by bilinearity; equal to the stated m = κ₁ mean_t tr Q_t/M, s = α[(κ₁² − κ₂²) mean_t tr Q_t²/T + κ₂² tr Q̄²] (checked)"
                       (areEqual sm (kappa1 * meanTraceQ / m)
                        && areEqual ss (alpha * ((square kappa1 - square kappa2) * meanTraceQSquared / t + square kappa2 * traceMeanQSquared)))
                  step "Q_t = I gives Theorem 3.1's m and s"
                       "meanTrQ = meanTrQ2 = trQbar2 = C substituted (checked against MeanFieldStatistics)"
                       (areEqual (Substitute.many identity mean) sf.Mean && areEqual (Substitute.many identity second) sf.SecondMoment)
                  step $"the C − 1 outliers: λ_j ≈ {show scaleNormal}·μ_j, μ_j the non-zero eigenvalues of Q̄"
                       "B's non-zero spectrum is T·eig Q̄ (power sums checked exactly above); on its eigenvector the Rayleigh quotient is (αM/T)[κ₂Tμ_j + (κ₁ − κ₂)c_jᵀ mean(Q_t²) c_j/μ_j] (checked exactly above) with the last factor taken as μ_j; the scale is Theorem 3.1's λ_max (checked)"
                       (areEqual outlierScale sf.LambdaMax) ]
        { Trace = traceForm
          FrobeniusSquared = frobenius
          ParameterCount = count
          Mean = mean
          SecondMoment = second
          OutlierScale = outlierScale
          Simplified = simplified
          Steps = steps }

    /// The derivation (once per process).
    let derivation : Lazy<SoftmaxStatisticsDerivation> = lazy (derive ())

    /// LaTeX for the Q statistics' symbols; None for others.
    let latexSymbol (name: string) : string option =
        match name with
        | "meanTrQ" -> Some "{\\overline{\\operatorname{tr} Q}}"
        | "meanTrQ2" -> Some "{\\overline{\\operatorname{tr} Q^2}}"
        | "trQbar2" -> Some "{\\operatorname{tr} \\bar{Q}^2}"
        | _ -> None

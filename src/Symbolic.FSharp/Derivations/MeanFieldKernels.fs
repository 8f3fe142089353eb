namespace FimVerify.Symbolic

/// The Gaussian integrals of one activation φ that the mean-field recurrences need (MATH.md §2), derived.
/// Symbols: q (a variance), a and b (the common variance and the covariance of (u, v) ~ N(0, [[a, b], [b, a]])),
/// and the activation's own parameters (`slope` for leaky ReLU).
type GaussianKernelForms =
    { Activation: string
      /// ∫Dz φ(√q z), in q.
      Mean: Expression
      /// ∫Dz φ(√q z)², in q.
      SecondMoment: Expression
      /// I_φ[a, b] = E[φ(u) φ(v)], in a, b.
      Correlation: Expression
      /// ∫Dz φ′(√q z)², in q.
      DerivativeSecondMoment: Expression
      /// I_φ′[a, b] = E[φ′(u) φ′(v)], in a, b.
      DerivativeCorrelation: Expression
      /// Parameters besides q, a, b, in the order compiled code takes them after its variables.
      Parameters: string list
      /// The derivation's steps with their checks, run on demand (compiled numeric kernels need only the forms;
      /// the tests and `derive order-params` force the checks).
      Steps: Lazy<ProofStep list> }

    /// Every step of the derivation was confirmed by the engine.
    member x.Holds = ProofStep.allHold (x.Steps.Force())

/// Derivations of the closed forms of MATH.md §2: ReLU from Tian's arc integral (and the half-line Gaussian
/// moments), leaky ReLU from ReLU by linearity and the symmetries of (u, v), polynomial activations (linear)
/// from the moments of independent normals, and erf by Price's theorem with an exact Gaussian integral of
/// exp(quadratic form), integrated back from b = 0.
[<RequireQualifiedAccess>]
module MeanFieldKernels =
    module X = Expression

    let q = X.symbol "q"
    let a = X.symbol "a"
    let b = X.symbol "b"
    let slope = X.symbol "slope"
    let private two = X.ofInt 2
    let private show = Infix.format
    let private step = ProofStep.make

    /// x evaluated at b = a (u = v), then written in q: the diagonal of a two-point integral.
    let private atEqualArguments (x: Expression) =
        x |> Substitute.many (Map.ofList [ "a", q; "b", q ]) |> Expand.expand

    /// I[a, b] at b = a equals the one-point integral at q = a (checked after expansion).
    let private diagonalStep (name: string) (twoPoint: Expression) (onePoint: Expression) =
        let diagonal = atEqualArguments twoPoint
        step $"{name}[q, q] = {show diagonal} equals the one-point integral {show onePoint}"
             "b = a substituted and expanded; structural equality" (diagonal = Expand.expand onePoint)

    /// ReLU: I_φ and I_φ′ from Tian's Theorem 1 (Lemma 1 with n_i = n_j = √a, θ = arccos(b/a)); the one-point
    /// integrals twice, from θ = 0 and from the half-line moments H_k = E[z^k 1{z>0}].
    let deriveRelu () : GaussianKernelForms =
        let t = TianTheorem1.derive ()
        let c = X.div b a
        let correlation = t.ReluKernel |> Substitute.one "c" c |> Expand.expand
        let derivativeCorrelation = t.ReluDerivativeKernel |> Substitute.one "theta" (X.arccos c) |> Expand.expand
        let secondMomentByMoments = Expand.expand (q * GaussianIntegrals.halfLineMoment 2)
        let derivativeSecondByMoments = GaussianIntegrals.halfLineMoment 0
        let mean = X.sqrt q * GaussianIntegrals.halfLineMoment 1
        { Activation = "relu"
          Mean = mean
          SecondMoment = t.ReluSquare
          Correlation = correlation
          DerivativeSecondMoment = t.ReluDerivativeSquare
          DerivativeCorrelation = derivativeCorrelation
          Parameters = []
          Steps =
           lazy
            [ step "Tian's Theorem 1 and Lemma 1: E[(x·W_i)⁺(x·W_j)⁺] = n_i n_j ((π − θ) cos θ + sin θ)/(2π)"
                   "exact arc integral in the plane of the two vectors (derive tian); canonical equality with the stated forms"
                   (t.Holds && t.Lemma1Holds)
              step $"I_φ[a, b] = {show correlation}"
                   "Lemma 1 with n_i = n_j = √a, cos θ = b/a, sin θ = √(1 − b²/a²) (u = √a x·e, v = √a x·w for unit e, w)" true
              step $"I_φ′[a, b] = P(u > 0, v > 0) = {show derivativeCorrelation}"
                   "the arc of directions where both indicators are 1 has length π − θ (Tian's arc), θ = arccos(b/a)" true
              step $"∫Dz φ(√q z)² = {show t.ReluSquare} = q·H₂ = {show secondMomentByMoments}"
                   "Lemma 1 at θ = 0, and the half-line moments (H₂ = H₀ by integration by parts, checked)"
                   (t.ReluSquare = secondMomentByMoments && GaussianIntegrals.halfLineRecurrenceHolds 2)
              step $"∫Dz φ′(√q z)² = {show t.ReluDerivativeSquare} = H₀ = {show derivativeSecondByMoments}"
                   "the arc at θ = 0 has length π; and P(z > 0) = 1/2" (t.ReluDerivativeSquare = derivativeSecondByMoments)
              step $"∫Dz φ(√q z) = √q·H₁ = {show mean}"
                   "H₁ = E[z 1{z>0}] = 1/√(2π), since z e^(−z²/2) = −(e^(−z²/2))′ (checked by differentiating)"
                   GaussianIntegrals.halfLineBaseHolds
              diagonalStep "I_φ" correlation t.ReluSquare
              diagonalStep "I_φ′" derivativeCorrelation t.ReluDerivativeSquare ] }

    let relu = lazy (deriveRelu ())

    /// Leaky ReLU φ_s(x) = relu(x) − s·relu(−x), φ_s′ = 1{x>0} + s·1{x<0}. Since (−u, −v) has the law of (u, v) and
    /// (u, −v) that of (u, v) with b → −b: I_φs = (1 + s²) I_relu[a, b] − 2s I_relu[a, −b],
    /// I_φs′ = (1 + s²) I_relu′[a, b] + 2s I_relu′[a, −b], and the mean is (1 − s) times ReLU's.
    let deriveLeakyRelu () : GaussianKernelForms =
        let r = relu.Force()
        let negated = Substitute.one "b" (X.neg b)
        let s2 = X.one + X.pow slope two
        let correlation = Expand.expand (s2 * r.Correlation - two * slope * negated r.Correlation)
        let derivativeCorrelation = Expand.expand (s2 * r.DerivativeCorrelation + two * slope * negated r.DerivativeCorrelation)
        let secondMoment = atEqualArguments correlation
        let derivativeSecond = atEqualArguments derivativeCorrelation
        let mean = Expand.expand ((X.one - slope) * r.Mean)
        { Activation = "leaky-relu"
          Mean = mean
          SecondMoment = secondMoment
          Correlation = correlation
          DerivativeSecondMoment = derivativeSecond
          DerivativeCorrelation = derivativeCorrelation
          Parameters = [ "slope" ]
          Steps =
           lazy
            r.Steps.Force()
            @ [ step $"I_φ[a, b] = (1 + s²) I_relu[a, b] − 2s I_relu[a, −b] = {show correlation}"
                     "φ_s(u)φ_s(v) = relu(u)relu(v) + s² relu(−u)relu(−v) − s relu(u)relu(−v) − s relu(−u)relu(v); (−u, −v) ~ (u, v), (u, −v) has covariance −b" true
                step $"I_φ′[a, b] = (1 + s²) I_relu′[a, b] + 2s I_relu′[a, −b] = {show derivativeCorrelation}"
                     "φ_s′ = 1{x>0} + s·1{x<0}, the same symmetries" true
                step $"∫Dz φ(√q z)² = I_φ[q, q] = {show secondMoment}, ∫Dz φ′(√q z)² = I_φ′[q, q] = {show derivativeSecond}"
                     "b = a substituted (arccos(−1) = π folds)"
                     (secondMoment = Expand.expand (s2 * q / two) && derivativeSecond = Expand.expand (s2 / two))
                step $"∫Dz φ(√q z) = (1 − s)·∫Dz relu(√q z) = {show mean}" "relu(−u) has the law of relu(u)" true ] }

    let leakyRelu = lazy (deriveLeakyRelu ())

    /// A polynomial activation φ(x) (a polynomial in the symbol x): u = √a x, v = √a (c x + √(1 − c²) y) with
    /// x, y independent standard normals and c = b/a have Var = a and Cov = b, so every integral is a polynomial
    /// expectation (GaussianIntegrals.standardPolynomialExpectation); φ′ by differentiation.
    let polynomial (name: string) (phi: Expression) : GaussianKernelForms =
        let xs, ys = X.symbol "x", X.symbol "y"
        let c = X.div b a
        let u = X.sqrt a * xs
        let v = X.sqrt a * (c * xs + X.sqrt (X.one - X.pow c two) * ys)
        let at (w: Expression) (f: Expression) = Substitute.one "x" w f
        let dphi = Differentiate.withRespectTo "x" phi
        let expect p = GaussianIntegrals.standardPolynomialExpectation [ "x"; "y" ] p |> RationalFunction.normalForm
        let oneD = X.sqrt q * xs
        let correlation = expect (at u phi * at v phi)
        let derivativeCorrelation = expect (at u dphi * at v dphi)
        let secondMoment = expect (X.pow (at oneD phi) two)
        let derivativeSecond = expect (X.pow (at oneD dphi) two)
        let mean = expect (at oneD phi)
        { Activation = name
          Mean = mean
          SecondMoment = secondMoment
          Correlation = correlation
          DerivativeSecondMoment = derivativeSecond
          DerivativeCorrelation = derivativeCorrelation
          Parameters = []
          Steps =
           lazy
            [ step $"φ(x) = {show phi}, φ′(x) = {show dphi}" "symbolic differentiation" true
              step "u = √a x, v = √a (c x + √(1 − c²) y), c = b/a, x, y ~ N(0, 1) independent: Var u = Var v = a, Cov(u, v) = b"
                   "E[u²], E[uv] as polynomial expectations"
                   (expect (u * v) = b && expect (u * u) = a && expect (v * v) = a)
              step $"I_φ[a, b] = E[φ(u)φ(v)] = {show correlation}, I_φ′[a, b] = {show derivativeCorrelation}"
                   "expand, replace x^i y^j by E x^i E y^j = (i−1)!!(j−1)!! (zero for odd powers), rational normal form" true
              step $"∫Dz φ(√q z)² = {show secondMoment}, ∫Dz φ′(√q z)² = {show derivativeSecond}, ∫Dz φ(√q z) = {show mean}"
                   "the same with u = √q x" true
              diagonalStep "I_φ" correlation secondMoment
              diagonalStep "I_φ′" derivativeCorrelation derivativeSecond ] }

    let linear = lazy (polynomial "linear" (X.symbol "x"))

    /// erf: φ′(x) = (2/√π) e^(−x²), so φ′(u)φ′(v) = (4/π) exp(−u² − v²) is an exponential of a quadratic form and
    /// E[φ′(u)φ′(v)] = (4/π) det(I + 2Σ)^(−1/2). Price's theorem, ∂/∂b E[φ(u)φ(v)] = E[φ′(u)φ′(v)] for
    /// (u, v) ~ N(0, [[a, b], [b, a]]), with E[φ(u)φ(v)] = (E φ(u))² = 0 at b = 0 (φ odd), gives I_φ by one integral in b.
    let deriveErf () : GaussianKernelForms =
        let xs, us, vs = X.symbol "x", X.symbol "u", X.symbol "v"
        let phi = X.erf xs
        let dphi = Differentiate.withRespectTo "x" phi
        let at (w: Expression) (f: Expression) = Substitute.one "x" w f
        let odd = at (X.neg xs) phi = X.neg phi
        let sigma = array2D [ [ a; b ]; [ b; a ] ]
        let derivativeCorrelation = GaussianIntegrals.expQuadraticExpectation [ "u"; "v" ] sigma (at us dphi * at vs dphi)
        let derivativeSecond = GaussianIntegrals.expQuadraticExpectation [ "u" ] (array2D [ [ q ] ]) (X.pow (at us dphi) two)
        let tSym = "t"
        let integral =
            match Antiderivative.arcsine tSym b (Substitute.one "b" (X.symbol tSym) derivativeCorrelation) with
            | Some i -> i
            | None -> invalidOp $"no table antiderivative for {show derivativeCorrelation} in b"
        let correlation = integral.Value
        let secondMoment = atEqualArguments correlation
        { Activation = "erf"
          Mean = X.zero
          SecondMoment = secondMoment
          Correlation = correlation
          DerivativeSecondMoment = derivativeSecond
          DerivativeCorrelation = derivativeCorrelation
          Parameters = []
          Steps =
           lazy
            [ step $"φ(x) = erf(x), φ′(x) = {show dphi}" "symbolic differentiation" true
              step "erf is odd: φ(−x) = −φ(x), so ∫Dz φ(√q z) = 0 and I_φ[a, 0] = (E φ(u))² = 0"
                   "canonical form (odd functions take the sign out); u and v are independent at b = 0" odd
              step $"I_φ′[a, b] = E[(4/π) exp(−u² − v²)] = {show derivativeCorrelation}"
                   "E exp(−uᵀKu) = det(I + 2ΣK)^(−1/2) for u ~ N(0, Σ), here K = I (read off the exponent and checked), Σ = [[a, b], [b, a]]" true
              step $"∫Dz φ′(√q z)² = E[(4/π) exp(−2u²)] = {show derivativeSecond}" "the same with u ~ N(0, q), K = 2" true
              step $"I_φ[a, b] = ∫₀^b I_φ′[a, t] dt = {show correlation}"
                   $"Price's theorem ∂I_φ/∂b = I_φ′ and I_φ[a, 0] = 0; {snd (integral.Verification.Force())}" (odd && fst (integral.Verification.Force()))
              step $"∫Dz φ(√q z)² = I_φ[q, q] = {show secondMoment}" "b = a substituted" true
              diagonalStep "I_φ′" derivativeCorrelation derivativeSecond ] }

    let erf = lazy (deriveErf ())

    /// The derived forms for an activation name of the numeric layer, when it has closed forms.
    let tryFor (name: string) : GaussianKernelForms option =
        match name with
        | "relu" -> Some(relu.Force())
        | "leaky-relu" -> Some(leakyRelu.Force())
        | "linear" -> Some(linear.Force())
        | "erf" -> Some(erf.Force())
        | _ -> None

    /// The forms as the derivation cache keeps them: the five integrals, the parameters (as symbols, in order) and the checked steps.
    let toCached (f: GaussianKernelForms) : CachedDerivation =
        { Expressions =
            [ "mean", f.Mean; "secondMoment", f.SecondMoment; "correlation", f.Correlation
              "derivativeSecondMoment", f.DerivativeSecondMoment; "derivativeCorrelation", f.DerivativeCorrelation ]
            @ [ for p in f.Parameters -> "parameter", X.symbol p ]
          Steps = f.Steps.Force() }

    /// The forms of an activation rebuilt from what the cache kept (its steps already checked).
    let ofCached (activation: string) (c: CachedDerivation) : GaussianKernelForms =
        let e = c.Expression
        { Activation = activation
          Mean = e "mean"
          SecondMoment = e "secondMoment"
          Correlation = e "correlation"
          DerivativeSecondMoment = e "derivativeSecondMoment"
          DerivativeCorrelation = e "derivativeCorrelation"
          Parameters =
            [ for n, x in c.Expressions do
                  if n = "parameter" then
                      match x with
                      | Symbol p -> yield p
                      | _ -> raise (System.FormatException "a parameter entry is not a symbol") ]
          Steps = Lazy<ProofStep list>.CreateFromValue c.Steps }

    /// The key of an activation's forms in the derivation cache.
    let cacheKey (activation: string) = "gaussian-kernel-forms-" + activation

    let private cachedForms (activation: string) (forms: Lazy<GaussianKernelForms>) =
        lazy (DerivationCache.getOrDerive (cacheKey activation) (System.Func<_>(fun () -> toCached (forms.Force()))) |> ofCached activation)

    /// The forms from the per-user derivation cache when it holds this engine version's checked derivation, else derived with
    /// every step checked (and stored when all hold): deriving ReLU's forms is the first symbolic algebra of a `fim-stats` process
    /// (≈ 45 ms of a cold process, most of it JIT), reading them back a few milliseconds; the forms are structurally identical.
    let cachedRelu = cachedForms "relu" relu
    let cachedLeakyRelu = cachedForms "leaky-relu" leakyRelu
    let cachedLinear = cachedForms "linear" linear
    let cachedErf = cachedForms "erf" erf

    /// x(a, b) in the variables (a, c) with b = a·c, the form compiled code takes (so it can clamp c to [−1, 1]).
    let inCosine (x: Expression) : Expression = Substitute.one "b" (a * X.symbol "c") x

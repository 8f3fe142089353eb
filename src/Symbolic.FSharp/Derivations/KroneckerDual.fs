namespace FimVerify.Symbolic

/// A leading-order dual of MATH.md §2 of the Kronecker shape Scale · I_C ⊗ (a I_T + b 11ᵀ) for C outputs and T samples:
/// the regression FIM's, its diagonal blocks', the mean-subtracted FIM's (b = −a/T), the input metric's.
type KroneckerDual =
    { Scale: Expression
      /// a, the coefficient of I_T.
      Identity: Expression
      /// b, the coefficient of 11ᵀ.
      Ones: Expression
      Outputs: Expression
      Samples: Expression }

/// An eigenvalue of a structured dual with its multiplicity and the eigenvectors that carry it.
type DualEigenvalue = { Value: Expression; Multiplicity: Expression; Eigenvectors: string }

/// Which eigenvalue is the largest (the one on `Carrier`, "e_k ⊗ 1" or "e_k ⊗ 1⊥"), and why: `Nonnegative` ≥ 0 for the
/// stated `Reason`; checked by the dominance step (the difference is a positive monomial in `Positive` times `Nonnegative`).
type TopAssumption = { Carrier: string; Nonnegative: Expression; Reason: string; Positive: string list }

/// The statistics of a dual over P parameters, as sums over its spectrum (what compiled code evaluates), with checks.
/// Building it does no rational normal form (that would cost the numeric layer's first call); the checks and the
/// simplified forms are lazy.
type DualStatistics =
    { Dual: KroneckerDual
      Spectrum: DualEigenvalue list
      ParameterCount: Expression
      /// m = Σλ/P, s = Σλ²/P, λ_max: the sums over the spectrum, unsimplified.
      Mean: Expression
      SecondMoment: Expression
      LambdaMax: Expression
      /// Their rational normal forms (for printing and checks).
      Simplified: Lazy<Expression * Expression * Expression>
      Steps: Lazy<ProofStep list> }

    member x.Holds = ProofStep.allHold (x.Steps.Force())

[<RequireQualifiedAccess>]
module KroneckerDual =
    module X = Expression

    let private normal = RationalFunction.normalFormExpandingFirst
    let private step = ProofStep.make

    /// From its entries: `diagonal` at t = t′, `offDiagonal` at t ≠ t′ in the same output, 0 across outputs.
    let ofEntries (scale: Expression) (diagonal: Expression) (offDiagonal: Expression) (outputs: Expression) (samples: Expression) =
        { Scale = scale; Identity = diagonal - offDiagonal; Ones = offDiagonal; Outputs = outputs; Samples = samples }

    /// Π = I_C ⊗ (I_T − 11ᵀ/T), the projector that centres each output's T samples.
    let centring (outputs: Expression) (samples: Expression) =
        { Scale = X.one; Identity = X.one; Ones = X.neg (X.one / samples); Outputs = outputs; Samples = samples }

    /// The algebra is closed: (a₁I + b₁J)(a₂I + b₂J) = a₁a₂ I + (a₁b₂ + b₁a₂ + T b₁b₂) J, J = 11ᵀ, J² = TJ.
    let multiply (x: KroneckerDual) (y: KroneckerDual) =
        let t = x.Samples
        { x with
            Scale = Expand.expand (x.Scale * y.Scale)
            Identity = Expand.expand (x.Identity * y.Identity)
            Ones = Expand.expand (x.Identity * y.Ones + x.Ones * y.Identity + t * x.Ones * y.Ones) }

    /// The entries of the T×T block: Scale(a + b) on the diagonal, Scale·b off it.
    let diagonalEntry (d: KroneckerDual) = d.Scale * (d.Identity + d.Ones)
    let offDiagonalEntry (d: KroneckerDual) = d.Scale * d.Ones

    /// Eigenvalues: Scale·a on e_k ⊗ 1⊥ (multiplicity C(T−1)), Scale·(a + Tb) on e_k ⊗ 1 (multiplicity C), expanded (cheap,
    /// and exact cancellation: mean subtraction's a + Tb is 0).
    let spectrum (d: KroneckerDual) : DualEigenvalue list =
        [ { Value = Expand.expand (d.Scale * d.Identity); Multiplicity = d.Outputs * (d.Samples - X.one); Eigenvectors = "e_k ⊗ 1⊥" }
          { Value = Expand.expand (d.Scale * (d.Identity + d.Samples * d.Ones)); Multiplicity = d.Outputs; Eigenvectors = "e_k ⊗ 1" } ]

    /// tr and ‖·‖²_F from the entries alone (C blocks, each with T diagonal and T(T−1) off-diagonal entries).
    let traceFromEntries (d: KroneckerDual) = d.Outputs * d.Samples * diagonalEntry d
    let frobeniusFromEntries (d: KroneckerDual) =
        d.Outputs * (d.Samples * X.pow (diagonalEntry d) (X.ofInt 2) + d.Samples * (d.Samples - X.one) * X.pow (offDiagonalEntry d) (X.ofInt 2))

    let private powerSum (k: int) (spectrum: DualEigenvalue list) = X.add [ for e in spectrum -> e.Multiplicity * X.pow e.Value (X.ofInt k) ]

    /// Σ multiplicity·λ^k / count.
    let moment (k: int) (spectrum: DualEigenvalue list) (count: Expression) = powerSum k spectrum / count

    /// det(λI − (aI + bJ)) = (λ − a)^(T−1)(λ − a − Tb) at a concrete T, expanded exactly.
    let private characteristicPolynomialHolds (size: int) =
        let a, b, lambda = X.symbol "a", X.symbol "b", X.symbol "lambda"
        let matrix = Array2D.init size size (fun i j -> if i = j then lambda - a - b else X.neg b)
        let stated = X.pow (lambda - a) (X.ofInt (size - 1)) * (lambda - a - X.ofInt size * b)
        Expand.expand (GaussianIntegrals.determinant matrix) = Expand.expand stated

    /// The product rule of `multiply` against explicit T×T matrices of symbols.
    let private productRuleHoldsAt (size: int) =
        let s = X.ofInt size
        let x = { Scale = X.one; Identity = X.symbol "a1"; Ones = X.symbol "b1"; Outputs = X.one; Samples = s }
        let y = { x with Identity = X.symbol "a2"; Ones = X.symbol "b2" }
        let entry (d: KroneckerDual) i j = if i = j then diagonalEntry d else offDiagonalEntry d
        let z = multiply x y
        Seq.forall id (seq {
            for i in 0 .. size - 1 do
                for j in 0 .. size - 1 ->
                    Expand.expand (X.add [ for k in 0 .. size - 1 -> entry x i k * entry y k j ] - entry z i j) = X.zero })

    /// The spectrum of aI + b11ᵀ, checked once per process for T = 2…5.
    let spectrumHolds : Lazy<bool> = lazy (Seq.forall characteristicPolynomialHolds (seq { 2 .. 5 }))

    /// The product rule of `multiply`, checked once per process for T = 2…4.
    let productRuleHolds : Lazy<bool> = lazy (Seq.forall productRuleHoldsAt (seq { 2 .. 4 }))

    /// A product of positive rationals and powers of symbols in `positive`.
    let rec private isPositiveMonomial (positive: string list) (x: Expression) =
        match x with
        | Number r -> r.Sign > 0
        | Symbol s -> List.contains s positive
        | Power(Symbol s, Number _) -> List.contains s positive
        | Product fs -> List.forall (isPositiveMonomial positive) fs
        | _ -> false

    /// e exceeds o by 0 or by a positive monomial times `Nonnegative`.
    let private dominates (assumption: TopAssumption) (e: DualEigenvalue) (o: DualEigenvalue) =
        let difference = Expand.expand (e.Value - o.Value)
        let ratio = difference / assumption.Nonnegative
        difference = X.zero || isPositiveMonomial assumption.Positive (Expand.expand ratio) || isPositiveMonomial assumption.Positive (normal ratio)

    let private show = Infix.format

    /// s·I_C ⊗ ((a)·I_T + (b)·11ᵀ) as text (the scale left out when it is 1).
    let shape (d: KroneckerDual) =
        let inner = $"({show (normal d.Identity)})·I_T + ({show (normal d.Ones)})·11ᵀ"
        if d.Scale = X.one then $"I_C ⊗ ({inner})" else $"({show (normal d.Scale)})·I_C ⊗ ({inner})"

    /// m, s, λ_max of the dual over `parameterCount` parameters, with the spectrum's checks (multiplicities sum to CT,
    /// Σλ = tr and Σλ² = ‖·‖²_F computed from the entries), `derivation` (how the dual was obtained) first and the
    /// comparison with `stated` (m, s, λ_max as the documentation writes them) last.
    let statistics (dual: KroneckerDual) (parameterCount: Expression) (assumption: TopAssumption)
                   (derivation: unit -> ProofStep list) (stated: Expression * Expression * Expression) : DualStatistics =
        let spectrum = spectrum dual
        let topEigenvalue = spectrum |> List.find (fun e -> e.Eigenvectors = assumption.Carrier)
        let lambdaMax = topEigenvalue.Value
        let mean, second = moment 1 spectrum parameterCount, moment 2 spectrum parameterCount
        let simplified = lazy (normal mean, normal second, normal lambdaMax)
        let steps =
            lazy
                let polynomial = spectrumHolds.Force()
                let m, s, l = simplified.Force()
                let sm, ss, sl = stated
                let eigenvalues = spectrum |> List.map (fun e -> $"{show (normal e.Value)} ×{show e.Multiplicity} on {e.Eigenvectors}") |> String.concat ", "
                [ yield! derivation ()
                  step $"the dual {shape dual} has eigenvalues {eigenvalues}"
                       "aI + b11ᵀ: 1 carries a + Tb and 1⊥ carries a; the characteristic polynomial checked exactly for T = 2…5, the multiplicities sum to CT"
                       (polynomial && RationalFunction.areEqual (X.add [ for e in spectrum -> e.Multiplicity ]) (dual.Outputs * dual.Samples))
                  step "Σ multiplicity·λ = tr and Σ multiplicity·λ² = ‖·‖²_F of the dual"
                       "both computed independently from the entries (T diagonal and T(T−1) off-diagonal per output block), rational normal form"
                       (RationalFunction.areEqual (powerSum 1 spectrum) (traceFromEntries dual)
                        && RationalFunction.areEqual (powerSum 2 spectrum) (frobeniusFromEntries dual))
                  step $"λ_max = {show l}, on {assumption.Carrier} ({show assumption.Nonnegative} ≥ 0: {assumption.Reason})"
                       "it exceeds the other eigenvalue by a positive monomial times that quantity (checked)"
                       (spectrum |> List.forall (dominates assumption topEigenvalue))
                  step $"m = Σλ/P = {show m}, s = Σλ²/P = {show s}, λ_max = {show l}, P = {show parameterCount}"
                       $"sums over the spectrum; equal to the stated m = {show sm}, s = {show ss}, λ_max = {show sl} (rational normal form)"
                       (RationalFunction.areEqual m sm && RationalFunction.areEqual s ss && RationalFunction.areEqual l sl) ]
        { Dual = dual
          Spectrum = spectrum
          ParameterCount = parameterCount
          Mean = mean
          SecondMoment = second
          LambdaMax = lambdaMax
          Simplified = simplified
          Steps = steps }

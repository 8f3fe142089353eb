namespace FimVerify.Symbolic

/// Guessing the term ratio of a hypergeometric sequence from exact values: find polynomials P, Q of degree
/// ≤ k with c_(n+1) Q(n) = c_n P(n), from the first few terms by linear algebra over Q, then check the
/// guess against every term available. A guess is only a conjecture; callers prove it separately.
[<RequireQualifiedAccess>]
module HypergeometricGuess =
    type Guess =
        { /// P(n)/Q(n) = c_(n+1)/c_n, as a rational function of n.
          Ratio: UnivariateRationalFunction
          /// The guess holds for every n in [FirstIndex, FirstIndex + Checked).
          FirstIndex: int
          Checked: int }

    /// terms[k] = c_(firstIndex + k), all non-zero. None when no ratio of degree ≤ `degree` fits uniquely.
    let ratio (degree: int) (firstIndex: int) (terms: Rational[]) : Guess option =
        let unknowns = 2 * (degree + 1)
        let fitRows = unknowns + 2   // two more equations than unknowns: the guess is over-determined
        if terms.Length < fitRows + 1 then invalidArg "terms" $"need at least {fitRows + 1} terms to guess a degree-{degree} ratio"
        if terms |> Array.exists (fun c -> c.IsZero) then invalidArg "terms" "the sequence has a zero term"
        // Unknowns: p_0..p_k, q_0..q_k; equation: c_n Σ p_j n^j − c_(n+1) Σ q_j n^j = 0.
        let row k =
            let n = Rational.ofInt (firstIndex + k)
            Array.append
                (Array.init (degree + 1) (fun j -> terms[k] * Rational.pow n j))
                (Array.init (degree + 1) (fun j -> -(terms[k + 1] * Rational.pow n j)))
        match RationalNullspace.basis (Array.init fitRows row) with
        | [| x |] ->
            let p = UnivariatePolynomial.OfCoeffs x[0 .. degree]
            let q = UnivariatePolynomial.OfCoeffs x[degree + 1 ..]
            if q.IsZero then None
            else
                let ratio = UnivariateRationalFunction.Make(p, q)
                let holds k =
                    let n = Rational.ofInt (firstIndex + k)
                    not (q.Evaluate n).IsZero && terms[k + 1] = terms[k] * ratio.Evaluate n
                let checkedCount = Seq.initInfinite id |> Seq.takeWhile (fun k -> k < terms.Length - 1 && holds k) |> Seq.length
                if checkedCount = terms.Length - 1 then Some { Ratio = ratio; FirstIndex = firstIndex; Checked = checkedCount } else None
        | _ -> None

    /// The ratio of least degree ≤ maxDegree that fits every term.
    let leastRatio (maxDegree: int) (firstIndex: int) (terms: Rational[]) : Guess option =
        seq { 0 .. maxDegree } |> Seq.tryPick (fun k -> ratio k firstIndex terms)

    /// A rational function f of least degree ≤ maxDegree with f(firstIndex + k) = values[k] for every k
    /// (interpolation with an over-determined linear system: v_n Q(n) − P(n) = 0).
    let rationalFunction (maxDegree: int) (firstIndex: int) (values: Rational[]) : UnivariateRationalFunction option =
        let attempt degree =
            let unknowns = 2 * (degree + 1)
            if values.Length < unknowns + 2 then None
            else
                let row k =
                    let n = Rational.ofInt (firstIndex + k)
                    Array.append
                        (Array.init (degree + 1) (fun j -> -(Rational.pow n j)))
                        (Array.init (degree + 1) (fun j -> values[k] * Rational.pow n j))
                match RationalNullspace.basis (Array.init (unknowns + 1) row) with
                | [| x |] ->
                    let p = UnivariatePolynomial.OfCoeffs x[0 .. degree]
                    let q = UnivariatePolynomial.OfCoeffs x[degree + 1 ..]
                    if q.IsZero then None
                    else
                        let f = UnivariateRationalFunction.Make(p, q)
                        let fits k =
                            let n = Rational.ofInt (firstIndex + k)
                            not (f.Den.Evaluate n).IsZero && f.Evaluate n = values[k]
                        if Seq.forall fits (seq { 0 .. values.Length - 1 }) then Some f else None
                | _ -> None
        seq { 0 .. maxDegree } |> Seq.tryPick attempt

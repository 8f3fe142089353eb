namespace FimVerify.Symbolic

open System.Numerics

/// An end of an integration range.
[<RequireQualifiedAccess>]
type RangeEnd =
    | MinusInfinity
    | At of Expression
    | PlusInfinity

/// The integral or expectation does not exist (it diverges); the term is undefined.
exception Divergent of string

/// No closed form applies (the term stays an opaque atom, decided by evaluation).
exception NoClosedForm of string

/// Closed forms of one- and two-dimensional Gaussian-type integrals, each from one elementary fact:
/// - ∫ z^k e^(Az² + Bz + C) over an interval: completing the square reduces it to the incomplete moments of a standard
///   normal, M_j(a, b) = ∫_a^b y^j φ(y) dy = a^(j−1)φ(a) − b^(j−1)φ(b) + (j − 1) M_(j−2) (integration by parts, as
///   GaussianIntegrals.halfLineMoment), with M_0 = Φ(b) − Φ(a) and M_1 = φ(a) − φ(b);
/// - E z^k for z ~ N(m, v) from the binomial theorem and the moments (j − 1)!! of a standard normal;
/// - E u^i w^j for (u, w) ~ N(0, [[a, b], [b, c]]) as i! j! times the coefficient of s^i t^j in the moment generating
///   function exp((a s² + 2b s t + c t²)/2);
/// - E[z^k erf(αz + β)] by Stein's identity E[(z − m) g(z)] = v E[g′(z)], down to E erf(αz + β) = erf((αm + β)/√(1 + 2α²v));
/// - the two-point kernels of relu, step (ReLU's derivative) and erf, from MeanFieldKernels (Tian's arc integral, and
///   Price's theorem with the exp-quadratic Gaussian integral), scaled to unequal variances.
[<RequireQualifiedAccess>]
module GaussianIntegralForms =
    module X = Expression

    let private two = X.ofInt 2
    let private sqrtTwoPi = X.sqrt (X.mul [ two; X.pi ])
    /// The standard normal density and distribution function at y.
    let density (y: Expression) = X.div (X.exp (X.neg (X.div (X.pow y two) two))) sqrtTwoPi
    let distribution (y: Expression) = X.mul [ X.half; X.add [ X.one; X.erf (X.div y (X.sqrt two)) ] ]

    let private factorial (n: int) = Seq.fold (fun (acc: BigInteger) k -> acc * BigInteger(k: int)) BigInteger.One (seq { 1 .. n })
    let private binomial (n: int) (k: int) = X.number (Rational.ofBigInt (Rational.binomial n k))

    /// Coefficients c_0 … c_d of x as a polynomial in z (expanded; coefficients free of z), when it is one of degree ≤ maxDegree.
    let polynomialCoefficients (session: LoweringSession) (z: string) (maxDegree: int) (x: Expression) : Expression[] option =
        let terms = match ExpansionGuard.expand session.Limits x with Sum ts -> ts | t -> [ t ]
        let coefficients = Array.create (maxDegree + 1) []
        let mutable ok = true
        for t in terms do
            if ok then
                let factors = match t with Product fs -> fs | f -> [ f ]
                let mutable degree = 0
                let rest = ResizeArray<Expression>()
                for f in factors do
                    match f with
                    | Symbol s when s = z -> degree <- degree + 1
                    | Power(Symbol s, Number n) when s = z && n.IsInteger && n.Sign > 0 && n.Num <= BigInteger maxDegree -> degree <- degree + int n.Num
                    | f when session.DependsOn z f -> ok <- false
                    | f -> rest.Add f
                if degree > maxDegree then ok <- false
                elif ok then coefficients[degree] <- X.mul (List.ofSeq rest) :: coefficients[degree]
        if ok then Some(coefficients |> Array.map X.add) else None

    /// One term c·z^k·e^(Az² + Bz + C) of an integrand.
    type private Part = { Coefficient: Expression; Power: int; A: Expression; B: Expression; C: Expression }

    /// The integrand as a sum of parts, or NoClosedForm when a term depends on z otherwise.
    let private decompose (session: LoweringSession) (z: string) (integrand: Expression) : Part list =
        let terms = match ExpansionGuard.expand session.Limits integrand with Sum ts -> ts | t -> [ t ]
        terms
        |> List.map (fun t ->
            let factors = match t with Product fs -> fs | f -> [ f ]
            let mutable k = 0
            let mutable exponent = X.zero
            let coefficient = ResizeArray<Expression>()
            for f in factors do
                match f with
                | Symbol s when s = z -> k <- k + 1
                | Power(Symbol s, Number n) when s = z && n.IsInteger && n.Sign > 0 && n.Num <= BigInteger 200 -> k <- k + int n.Num
                | Apply(Exp, q) when session.DependsOn z q -> exponent <- X.add [ exponent; q ]
                | f when session.DependsOn z f -> raise (NoClosedForm $"the factor {Infix.format f} is not a power or Gaussian exponential of the variable")
                | f -> coefficient.Add f
            let a, b, c =
                match polynomialCoefficients session z 2 exponent with
                | Some [| c; b; a |] -> a, b, c
                | _ -> raise (NoClosedForm "an exponent is not a quadratic polynomial in the variable")
            { Coefficient = X.mul (List.ofSeq coefficient); Power = k; A = a; B = b; C = c })

    /// M_0 … M_k over (a, b) in standard units (either end infinite).
    let private incompleteMoments (a: RangeEnd) (b: RangeEnd) (k: int) : Expression[] =
        let phi e = match e with RangeEnd.At y -> density y | _ -> X.zero
        let cdf e = match e with RangeEnd.At y -> distribution y | RangeEnd.MinusInfinity -> X.zero | RangeEnd.PlusInfinity -> X.one
        let powerTimesPhi (e: RangeEnd) (j: int) = match e with RangeEnd.At y -> X.mul [ X.pow y (X.ofInt j); density y ] | _ -> X.zero
        let m = Array.create (k + 1) X.zero
        for j in 0 .. k do
            m[j] <-
                if j = 0 then X.sub (cdf b) (cdf a)
                elif j = 1 then X.sub (phi a) (phi b)
                else X.add [ powerTimesPhi a (j - 1); X.neg (powerTimesPhi b (j - 1)); X.mul [ X.ofInt (j - 1); m[j - 2] ] ]
        m

    let private isZero (x: Expression) = x = X.zero

    let private signOrUnknown (session: LoweringSession) (x: Expression) = session.Sign x

    /// ∫_lo^hi Σ parts, oriented, where the parts already include any Gaussian weight.
    let private integrateParts (session: LoweringSession) (parts: Part list) (lo: RangeEnd) (hi: RangeEnd) : Expression =
        let infinite = (match lo with RangeEnd.At _ -> false | _ -> true) || (match hi with RangeEnd.At _ -> false | _ -> true)
        parts
        |> List.map (fun part ->
            let k = part.Power
            let scale = X.mul [ part.Coefficient; X.exp part.C ]
            if isZero part.A && isZero part.B then
                // A polynomial piece.
                match lo, hi with
                | RangeEnd.At a, RangeEnd.At b ->
                    X.mul [ scale; X.div (X.sub (X.pow b (X.ofInt (k + 1))) (X.pow a (X.ofInt (k + 1)))) (X.ofInt (k + 1)) ]
                | _ ->
                    if isZero part.Coefficient then X.zero
                    elif (session.Sign part.Coefficient).NotZero then raise (Divergent "a polynomial integrated over an infinite range diverges")
                    else raise (NoClosedForm "a polynomial over an infinite range whose coefficient may vanish")
            elif isZero part.A then
                // ∫ z^k e^(Bz) dz = e^(Bz) Σ_j (−1)^j k!/(k − j)! z^(k−j)/B^(j+1).
                let b = part.B
                let sign = signOrUnknown session b
                let antiderivative (z: Expression) =
                    X.mul [ X.exp (X.mul [ b; z ])
                            X.add [ for j in 0 .. k ->
                                        X.mul [ X.number (Rational.ofBigInt (factorial k / factorial (k - j)) * (if j % 2 = 0 then Rational.One else Rational.ofInt -1))
                                                X.pow z (X.ofInt (k - j)); X.pow b (X.ofInt (-(j + 1))) ] ] ]
                let at (e: RangeEnd) =
                    match e with
                    | RangeEnd.At z -> antiderivative z
                    | RangeEnd.PlusInfinity ->
                        if sign = Sign.Negative then X.zero
                        elif sign.AtLeastZero then raise (Divergent "e^(Bz) with B ≥ 0 is not integrable up to +∞")
                        else raise (NoClosedForm "the sign of an exponential rate is unknown")
                    | RangeEnd.MinusInfinity ->
                        if sign = Sign.Positive then X.zero
                        elif sign.AtMostZero then raise (Divergent "e^(Bz) with B ≤ 0 is not integrable down to −∞")
                        else raise (NoClosedForm "the sign of an exponential rate is unknown")
                if not sign.NotZero then session.Require(Requirement.NonZero, b)
                X.mul [ scale; X.sub (at hi) (at lo) ]
            else
                let a = part.A
                match signOrUnknown session a with
                | Sign.Negative ->
                    // A(z − μ)² + K with s² = −1/(2A): ∫ z^k e^(A z² + B z) = e^K √(2π) s E-moments over the standardised range.
                    let s2 = X.pow (X.neg (X.mul [ two; a ])) X.minusOne
                    let s = X.sqrt s2
                    let mu = X.div (X.neg part.B) (X.mul [ two; a ])
                    let offset = X.sub X.zero (X.div (X.pow part.B two) (X.mul [ X.ofInt 4; a ]))
                    let standard (e: RangeEnd) = match e with RangeEnd.At z -> RangeEnd.At(X.div (X.sub z mu) s) | e -> e
                    let moments = incompleteMoments (standard lo) (standard hi) k
                    let sum = X.add [ for j in 0 .. k -> X.mul [ binomial k j; X.pow mu (X.ofInt (k - j)); X.pow s (X.ofInt j); moments[j] ] ]
                    X.mul [ scale; X.exp offset; sqrtTwoPi; s; sum ]
                | Sign.Positive when infinite -> raise (Divergent "e^(Az²) with A > 0 is not integrable over an infinite range")
                | _ -> raise (NoClosedForm "the quadratic coefficient of an exponent is not known to be negative"))
        |> X.add

    /// ∫_lo^hi f dz (oriented) for f a sum of z^k e^(quadratic) terms.
    let integral (session: LoweringSession) (z: string) (f: Expression) (lo: RangeEnd) (hi: RangeEnd) : Expression =
        integrateParts session (decompose session z f) lo hi

    /// E[f(z); lo < z < hi] for z ~ N(m, v), v > 0 (the density folded into each part).
    let expectationOver (session: LoweringSession) (z: string) (f: Expression) (m: Expression) (v: Expression) (lo: RangeEnd) (hi: RangeEnd) : Expression =
        session.Require(Requirement.Positive, v)
        let weight = X.pow (X.mul [ two; X.pi; v ]) (X.rational -1 2)
        let parts =
            decompose session z f
            |> List.map (fun p ->
                { p with
                    Coefficient = X.mul [ p.Coefficient; weight ]
                    A = X.sub p.A (X.div X.one (X.mul [ two; v ]))
                    B = X.add [ p.B; X.div m v ]
                    C = X.sub p.C (X.div (X.pow m two) (X.mul [ two; v ])) })
        integrateParts session parts lo hi

    /// E z^k for z ~ N(m, v): Σ_(j even) C(k, j) m^(k−j) v^(j/2) (j − 1)!!.
    let normalMoment (k: int) (m: Expression) (v: Expression) : Expression =
        X.add [ for j in 0 .. 2 .. k ->
                    X.mul [ binomial k j; X.pow m (X.ofInt (k - j)); X.pow v (X.ofInt (j / 2))
                            X.number (Rational.ofBigInt (GaussianMoments.scalar j)) ] ]

    /// E f(z) for z ~ N(m, v) and f a polynomial in z (no condition beyond v ≥ 0).
    let polynomialExpectation (session: LoweringSession) (z: string) (f: Expression) (m: Expression) (v: Expression) : Expression option =
        polynomialCoefficients session z 400 f
        |> Option.map (fun cs -> X.add [ for k in 0 .. cs.Length - 1 do if not (isZero cs[k]) then yield X.mul [ cs[k]; normalMoment k m v ] ])

    /// E u^i w^j for (u, w) ~ N(0, [[a, b], [b, c]]).
    let bivariateMoment (i: int) (j: int) (a: Expression) (b: Expression) (c: Expression) : Expression =
        if (i + j) % 2 = 1 then X.zero
        else
            let n = (i + j) / 2
            let fi, fj = factorial i, factorial j
            X.add [ for q in (i % 2) .. 2 .. min i j do
                        let p, r = (i - q) / 2, (j - q) / 2
                        if p + q + r = n then
                            let coefficient = Rational(fi * fj * BigInteger.Pow(BigInteger 2, q), BigInteger.Pow(BigInteger 2, n) * factorial p * factorial q * factorial r)
                            yield X.mul [ X.number coefficient; X.pow a (X.ofInt p); X.pow b (X.ofInt q); X.pow c (X.ofInt r) ] ]

    /// E[z^k erf(αz + β)] for z ~ N(m, v) by Stein's identity, the derivative terms being Gaussian exponentials.
    let rec erfMoment (session: LoweringSession) (z: string) (k: int) (alpha: Expression) (beta: Expression) (m: Expression) (v: Expression) : Expression =
        if k = 0 then X.erf (X.div (X.add [ X.mul [ alpha; m ]; beta ]) (X.sqrt (X.add [ X.one; X.mul [ two; X.pow alpha two; v ] ])))
        else
            let g' = X.mul [ two; alpha; X.pow X.pi (X.rational -1 2); X.exp (X.neg (X.pow (X.add [ X.mul [ alpha; X.symbol z ]; beta ]) two)) ]
            let derivativeTerm =
                if isZero v then X.zero
                else X.mul [ v; expectationOver session z (X.mul [ X.pow (X.symbol z) (X.ofInt (k - 1)); g' ]) m v RangeEnd.MinusInfinity RangeEnd.PlusInfinity ]
            X.add [ X.mul [ m; erfMoment session z (k - 1) alpha beta m v ]
                    (if k >= 2 then X.mul [ v; X.ofInt (k - 1); erfMoment session z (k - 2) alpha beta m v ] else X.zero)
                    derivativeTerm ]

    /// The two-point kernels at unit variances and correlation ρ, from the derived mean-field forms (a = 1, b = ρ).
    let private atUnitVariance (x: Expression) (rho: Expression) = x |> Substitute.many (Map.ofList [ "a", X.one; "b", rho ])
    let private reluCorrelation = lazy ((MeanFieldKernels.relu.Force()).Correlation)
    let private stepCorrelation = lazy ((MeanFieldKernels.relu.Force()).DerivativeCorrelation)

    /// E[erf(u) erf(w)] for (u, w) ~ N(0, [[A, B], [B, C]]) by Price's theorem: ∂/∂B E[erf(u)erf(w)] = E[erf′(u)erf′(w)]
    /// = (4/π) det(I + 2Σ)^(−1/2) (exp-quadratic Gaussian integral), integrated from B = 0 where it vanishes (erf odd).
    let erfKernelDerivation =
        lazy
            let sa, sb, sc = X.symbol "A", X.symbol "B", X.symbol "C"
            let u, w = X.symbol "u", X.symbol "w"
            let dphi (x: Expression) = Differentiate.withRespectTo "x" (X.erf (X.symbol "x")) |> Substitute.one "x" x
            let derivative = GaussianIntegrals.expQuadraticExpectation [ "u"; "w" ] (array2D [ [ sa; sb ]; [ sb; sc ] ]) (X.mul [ dphi u; dphi w ])
            match Antiderivative.arcsine "t" sb (Substitute.one "B" (X.symbol "t") derivative) with
            | Some integral -> integral
            | None -> invalidOp "no table antiderivative for the erf kernel"

    /// E[F(u) G(w)] for F, G both relu, both step, or both erf, (u, w) ~ N(0, [[A, B], [B, C]]).
    let kernel (session: LoweringSession) (name: string) (a: Expression) (b: Expression) (c: Expression) : Expression =
        match name with
        | "erf" ->
            session.Require(Requirement.NonNegative, a)
            session.Require(Requirement.NonNegative, c)
            erfKernelDerivation.Force().Value |> Substitute.many (Map.ofList [ "A", a; "B", b; "C", c ])
        | "relu" | "step" ->
            session.Require(Requirement.Positive, a)
            session.Require(Requirement.Positive, c)
            session.Require(Requirement.NonNegative, X.sub (X.mul [ a; c ]) (X.pow b two))
            let scale = X.sqrt (X.mul [ a; c ])
            let rho = X.div b scale
            if name = "relu" then X.mul [ scale; atUnitVariance (reluCorrelation.Force()) rho ]
            else atUnitVariance (stepCorrelation.Force()) rho
        | other -> raise (NoClosedForm $"no two-point kernel for {other}")

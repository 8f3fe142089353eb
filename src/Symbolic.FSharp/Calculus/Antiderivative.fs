namespace FimVerify.Symbolic

/// A definite integral ∫₀^x f found from a table entry, and its verification (run on demand: callers that only
/// need the value, like compiled numeric kernels, do not pay for it; tests and printed derivations force it).
type DefiniteIntegral =
    { Value: Expression
      /// Whether F(0) = 0 and F′ = f were both confirmed by the engine, and how.
      Verification: Lazy<bool * string> }

/// Antiderivatives by matching a table entry, then verified by differentiating back, so a wrong match cannot
/// pass silently. Only the entries the derivations need are here.
[<RequireQualifiedAccess>]
module Antiderivative =
    module X = Expression

    /// The terms of a sum (a single term otherwise).
    let private termsOf (x: Expression) = match x with Sum ts -> ts | t -> [ t ]

    /// ∫₀^x c·(R² − k t²)^(−1/2) dt = (c/√k)·arcsin(√k x/R) for R > 0, k > 0 rational, |√k x| < R, where c and R
    /// are free of t. R² is read off the t-free part of the radicand: a square R^2 as built, else √ of it.
    /// Verification: F(0) = 0 structurally, and F′² = f² as rational functions (RationalFunction.areEqual); since
    /// arcsin′ > 0 and a real (·)^(−1/2) is > 0, F′ and f both have the sign of c, so F′ = f on the domain.
    let arcsine (t: string) (x: Expression) (integrand: Expression) : DefiniteIntegral option =
        let c, factors = GaussianIntegrals.splitFactors [ t ] integrand
        match factors with
        | [ Power(radicand, Number e) ] when e = Rational.make -1 2 ->
            let free, dependent = termsOf radicand |> List.partition (fun s -> not (X.contains t s))
            match dependent with
            | [ term ] ->
                match X.splitCoefficient term with
                | kappa, Power(Symbol s, Number two) when s = t && two = Rational.ofInt 2 && kappa.Sign < 0 && not free.IsEmpty ->
                    let k = X.number (-kappa)
                    let rSquared = X.add free
                    let r = match rSquared with Power(r, Number two) when two = Rational.ofInt 2 -> r | a -> X.sqrt a
                    let sqrtK = X.sqrt k
                    let antiderivative v = X.mul [ c; X.pow sqrtK X.minusOne; X.arcsin (X.mul [ sqrtK; v; X.pow r X.minusOne ]) ]
                    let f = antiderivative (X.symbol t)
                    let verification =
                        lazy
                            let derivative = Differentiate.withRespectTo t f
                            let startsAtZero = Substitute.one t X.zero f = X.zero
                            let squaresAgree = RationalFunction.areEqual (X.pow derivative (X.ofInt 2)) (X.pow integrand (X.ofInt 2))
                            let verdict ok = if ok then "holds" else "FAILS"
                            startsAtZero && squaresAgree,
                            $"table entry ∫₀^x c(R² − k t²)^(−1/2) dt = (c/√k) arcsin(√k x/R) with R = {Infix.format r}, k = {Infix.format k}; "
                            + $"F(0) = 0 {verdict startsAtZero}, (dF/d{t})² = f² as rational functions {verdict squaresAgree}, "
                            + "and both have the sign of c (for R > 0)"
                    Some { Value = antiderivative x; Verification = verification }
                | _ -> None
            | _ -> None
        | _ -> None

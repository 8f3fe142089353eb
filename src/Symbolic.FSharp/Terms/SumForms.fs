namespace FimVerify.Symbolic

open System.Collections.Concurrent

/// Closed forms of sums over integers: polynomial summands by the power sums S_j(n) = Σ_{k=0}^{n} k^j, each the
/// polynomial of degree j + 1 through its values at n = 0 … j + 1 (exact interpolation: derived, not tabulated), and
/// geometric summands c·r^k by the telescoping (r − 1) Σ r^k = r^(hi+1) − r^lo.
[<RequireQualifiedAccess>]
module SumForms =
    module X = Expression

    let private powerSums = ConcurrentDictionary<int, Rational[]>()

    /// Coefficients (lowest first) of S_j(n) = Σ_{k=0}^{n} k^j, by Newton interpolation through n = 0 … j + 1.
    let powerSumCoefficients (j: int) : Rational[] =
        powerSums.GetOrAdd(j, fun j ->
            let points = j + 2
            let values = Array.init points (fun n -> Seq.sum (seq { for k in 0 .. n -> Rational.pow (Rational.ofInt k) j }))
            // Divided differences at integer nodes 0 … points − 1.
            let dd = Array.copy values
            for level in 1 .. points - 1 do
                for i in points - 1 .. -1 .. level do
                    dd[i] <- (dd[i] - dd[i - 1]) / Rational.ofInt level
            // Σ dd_i Π_{m<i} (n − m), expanded into monomials.
            let coefficients = Array.create points Rational.Zero
            let mutable basis = [| Rational.One |]
            for i in 0 .. points - 1 do
                basis |> Array.iteri (fun d c -> coefficients[d] <- coefficients[d] + dd[i] * c)
                // basis ← basis · (n − i)
                let next = Array.create (basis.Length + 1) Rational.Zero
                basis |> Array.iteri (fun d c ->
                    next[d + 1] <- next[d + 1] + c
                    next[d] <- next[d] - Rational.ofInt i * c)
                basis <- next
            coefficients)

    /// S_j(n) as an expression in n.
    let powerSum (j: int) (n: Expression) : Expression =
        powerSumCoefficients j |> Array.mapi (fun d c -> X.mul [ X.number c; X.pow n (X.ofInt d) ]) |> List.ofArray |> X.add

    /// Σ_{k=lo}^{hi} f for f a polynomial in k (coefficients free of k) or c·r^k terms; valid for integers hi ≥ lo − 1,
    /// conditions recorded in the session. NoClosedForm when a term is of neither kind.
    let sum (session: LoweringSession) (k: string) (f: Expression) (lo: Expression) (hi: Expression) : Expression =
        session.Require(Requirement.Integer, lo)
        session.Require(Requirement.Integer, hi)
        session.Require(Requirement.NonNegative, X.add [ X.sub hi lo; X.one ])
        let terms = match ExpansionGuard.expand session.Limits f with Sum ts -> ts | t -> [ t ]
        terms
        |> List.map (fun t ->
            let factors = match t with Product fs -> fs | f -> [ f ]
            let mutable degree = 0
            let mutable ratio = None
            let coefficient = ResizeArray<Expression>()
            for factor in factors do
                match factor with
                | Symbol s when s = k -> degree <- degree + 1
                | Power(Symbol s, Number n) when s = k && n.IsInteger && n.Sign > 0 && n.Num <= System.Numerics.BigInteger 60 -> degree <- degree + int n.Num
                | Power(r, e) when not (session.DependsOn k r) && ratio.IsNone ->
                    // r^(αk + β) = r^β (r^α)^k with α, β free of k.
                    match GaussianIntegralForms.polynomialCoefficients session k 1 e with
                    | Some [| beta; alpha |] when not (alpha = X.zero) ->
                        coefficient.Add(X.pow r beta)
                        ratio <- Some(X.pow r alpha)
                    | _ when not (session.DependsOn k e) -> coefficient.Add factor
                    | _ -> raise (NoClosedForm $"the factor {Infix.format factor} of a summand is not geometric in {k}")
                | Apply(Exp, e) when session.DependsOn k e && ratio.IsNone ->
                    match GaussianIntegralForms.polynomialCoefficients session k 1 e with
                    | Some [| beta; alpha |] ->
                        coefficient.Add(X.exp beta)
                        ratio <- Some(X.exp alpha)
                    | _ -> raise (NoClosedForm $"the factor {Infix.format factor} of a summand is not geometric in {k}")
                | factor when session.DependsOn k factor -> raise (NoClosedForm $"the factor {Infix.format factor} of a summand has no closed-form sum")
                | factor -> coefficient.Add factor
            let c = X.mul (List.ofSeq coefficient)
            match ratio with
            | None -> X.mul [ c; X.sub (powerSum degree hi) (powerSum degree (X.sub lo X.one)) ]
            | Some r when degree = 0 ->
                if r = X.one then X.mul [ c; X.add [ X.sub hi lo; X.one ] ]
                else
                    session.Require(Requirement.NonZero, X.sub r X.one)
                    X.mul [ c; X.div (X.sub (X.pow r (X.add [ hi; X.one ])) (X.pow r lo)) (X.sub r X.one) ]
            | Some _ -> raise (NoClosedForm "a polynomial times a geometric summand"))
        |> X.add

namespace FimVerify.Symbolic

/// Exact Gaussian expectations with symbolic parameters, each from one elementary fact stated where it is used:
/// half-line moments by integration by parts, polynomials by the moments of independent coordinates, and
/// exponentials of quadratic forms by completing the square (a determinant).
[<RequireQualifiedAccess>]
module GaussianIntegrals =
    module X = Expression

    /// Splits a product into the factors free of every symbol in `vars` (multiplied out) and those that are not.
    let splitFactors (vars: string list) (x: Expression) : Expression * Expression list =
        let factors = match x with Product fs -> fs | f -> [ f ]
        let depends (f: Expression) = vars |> List.exists (fun v -> X.contains v f)
        X.mul (factors |> List.filter (depends >> not)), factors |> List.filter depends

    /// d/dz (z^(k−1) e^(−z²/2)) = ((k−1) z^(k−2) − z^k) e^(−z²/2), checked by the engine (expanded derivative minus
    /// the stated right side is 0). With the boundary terms vanishing this is E[z^k 1{z>0}] = (k−1) E[z^(k−2) 1{z>0}].
    let halfLineRecurrenceHolds (k: int) : bool =
        let z = X.symbol "z"
        let density = X.exp (X.neg (X.div (X.pow z (X.ofInt 2)) (X.ofInt 2)))
        let lhs = Differentiate.withRespectTo "z" (X.pow z (X.ofInt (k - 1)) * density)
        let rhs = (X.ofInt (k - 1) * X.pow z (X.ofInt (k - 2)) - X.pow z (X.ofInt k)) * density
        Expand.expand (lhs - rhs) = X.zero

    /// z e^(−z²/2) = d/dz (−e^(−z²/2)), checked by the engine: the base case E[z 1{z>0}] = 1/√(2π).
    let halfLineBaseHolds : bool =
        let z = X.symbol "z"
        let density = X.exp (X.neg (X.div (X.pow z (X.ofInt 2)) (X.ofInt 2)))
        Expand.expand (Differentiate.withRespectTo "z" (X.neg density) - z * density) = X.zero

    /// E[z^k 1{z > 0}] for z ~ N(0, 1): H₀ = 1/2 (the density is even), H₁ = 1/√(2π) (z e^(−z²/2) is the derivative
    /// of −e^(−z²/2), which is −1 at 0 and tends to 0), and H_k = (k − 1) H_(k−2) by `halfLineRecurrenceHolds`.
    let rec halfLineMoment (k: int) : Expression =
        if k < 0 then invalidArg "k" "negative exponent"
        elif k = 0 then X.half
        elif k = 1 then X.pow (X.ofInt 2 * X.pi) (X.rational -1 2)
        else X.ofInt (k - 1) * halfLineMoment (k - 2)

    /// The exponent of `v` in a factor that must be a natural power of one of `vars`, if it is.
    let private exponentIn (v: string) (f: Expression) =
        match f with
        | Symbol s when s = v -> 1
        | Power(Symbol s, Number k) when s = v && k.IsInteger && k.Sign > 0 -> int k.Num
        | _ -> 0

    /// E[p(z₁, …, z_n)] for independent standard normal z_i (the symbols `vars`), p a polynomial in them whose
    /// coefficients are free of them: each monomial Π z_i^(k_i) is replaced by Π (k_i − 1)!! (GaussianMoments.monomial).
    let standardPolynomialExpectation (vars: string list) (p: Expression) : Expression =
        let terms = match Expand.expand p with Sum ts -> ts | t -> [ t ]
        terms
        |> List.map (fun t ->
            let coefficient, factors = splitFactors vars t
            for f in factors do
                if vars |> List.sumBy (fun v -> exponentIn v f) = 0 || vars |> List.filter (fun v -> X.contains v f) |> List.length <> 1 then
                    let names = String.concat ", " vars
                    invalidArg "p" $"not a polynomial in {names}: the factor {Infix.format f}"
            let exponents = vars |> List.map (fun v -> factors |> List.sumBy (exponentIn v))
            coefficient * X.number (GaussianMoments.monomial exponents))
        |> X.add

    /// The determinant of a small square matrix of expressions by Laplace expansion along the first row
    /// (products built by the smart constructors, so (1 + 2a)(1 + 2a) stays the square (1 + 2a)²).
    let rec determinant (m: Expression[,]) : Expression =
        let n = Array2D.length1 m
        if n <> Array2D.length2 m then invalidArg "m" "the matrix is not square"
        elif n = 1 then m[0, 0]
        else
            X.add [ for j in 0 .. n - 1 ->
                        let minor = Array2D.init (n - 1) (n - 1) (fun r c -> m[r + 1, (if c < j then c else c + 1)])
                        X.mul [ X.ofInt (if j % 2 = 0 then 1 else -1); m[0, j]; determinant minor ] ]

    /// The symmetric matrix K of a homogeneous quadratic form −uᵀKu in `vars` (K_ij = −½ ∂²Q/∂u_i∂u_j), checked
    /// by rebuilding the form; None when Q is not such a form.
    let quadraticFormMatrix (vars: string list) (q: Expression) : Expression[,] option =
        let v = Array.ofList vars
        let n = v.Length
        let k = Array2D.init n n (fun i j -> X.mul [ X.rational -1 2; Differentiate.withRespectTo v[j] (Differentiate.withRespectTo v[i] q) ])
        let constant = k |> Seq.cast<Expression> |> Seq.forall (fun e -> vars |> List.forall (fun s -> not (X.contains s e)))
        let rebuilt = X.neg (X.add [ for i in 0 .. n - 1 do for j in 0 .. n - 1 -> X.mul [ k[i, j]; X.symbol v[i]; X.symbol v[j] ] ])
        if constant && Expand.expand (q - rebuilt) = X.zero then Some k else None

    /// E[c·exp(−uᵀKu)] for u ~ N(0, Σ) (the symbols `vars`, covariance `sigma`) = c·det(I + 2ΣK)^(−1/2): completing
    /// the square in the Gaussian integral, valid whenever I + 2ΣK is positive definite (e.g. Σ, K ⪰ 0).
    /// The integrand must be c times one exp of a homogeneous quadratic form, with c free of `vars`.
    let expQuadraticExpectation (vars: string list) (sigma: Expression[,]) (integrand: Expression) : Expression =
        let c, factors = splitFactors vars integrand
        let q =
            match factors with
            | [ Apply(Exp, q) ] -> q
            | _ -> invalidArg "integrand" $"not a constant times exp(quadratic form): {Infix.format integrand}"
        match quadraticFormMatrix vars q with
        | None ->
            let names = String.concat ", " vars
            invalidArg "integrand" $"the exponent {Infix.format q} is not a homogeneous quadratic form in {names}"
        | Some k ->
            let n = vars.Length
            let m = Array2D.init n n (fun i j ->
                        X.add [ (if i = j then X.one else X.zero)
                                X.mul [ X.ofInt 2; X.add [ for l in 0 .. n - 1 -> X.mul [ sigma[i, l]; k[l, j] ] ] ] ])
            X.mul [ c; X.pow (determinant m) (X.rational -1 2) ]

namespace FimVerify.Symbolic

open System
open System.Numerics

/// A univariate polynomial Σ c_k x^k over Q. Canonical form: no trailing zero coefficients, so the zero
/// polynomial has no coefficients and structural equality is polynomial equality.
[<CustomEquality; NoComparison>]
type UnivariatePolynomial =
    { Coeffs: Rational[] }

    static member private Trim(cs: Rational[]) =
        let mutable n = cs.Length
        while n > 0 && cs[n - 1].IsZero do n <- n - 1
        { Coeffs = if n = cs.Length then cs else Array.sub cs 0 n }

    static member OfCoeffs(cs: Rational seq) = UnivariatePolynomial.Trim(Array.ofSeq cs)
    static member Zero = { Coeffs = [||] }
    static member One = { Coeffs = [| Rational.One |] }
    static member Constant(c: Rational) = UnivariatePolynomial.Trim [| c |]
    /// The variable x itself.
    static member X = { Coeffs = [| Rational.Zero; Rational.One |] }
    /// Used by generic code (PowerSeries) through member constraints.
    static member FromInt(n: int) = UnivariatePolynomial.Constant(Rational.OfInt n)

    member p.IsZero = p.Coeffs.Length = 0
    /// Degree; −1 for the zero polynomial.
    member p.Degree = p.Coeffs.Length - 1
    member p.Leading = if p.IsZero then Rational.Zero else p.Coeffs[p.Coeffs.Length - 1]

    static member (+)(a: UnivariatePolynomial, b: UnivariatePolynomial) =
        let n = max a.Coeffs.Length b.Coeffs.Length
        let at (p: UnivariatePolynomial) k = if k < p.Coeffs.Length then p.Coeffs[k] else Rational.Zero
        UnivariatePolynomial.Trim(Array.init n (fun k -> at a k + at b k))

    static member (~-)(a: UnivariatePolynomial) = { Coeffs = Array.map (fun (c: Rational) -> -c) a.Coeffs }
    static member (-)(a: UnivariatePolynomial, b: UnivariatePolynomial) = a + (-b)

    static member (*)(a: UnivariatePolynomial, b: UnivariatePolynomial) =
        if a.IsZero || b.IsZero then UnivariatePolynomial.Zero
        else
            let out = Array.create (a.Coeffs.Length + b.Coeffs.Length - 1) Rational.Zero
            for i in 0 .. a.Coeffs.Length - 1 do
                for j in 0 .. b.Coeffs.Length - 1 do
                    out[i + j] <- out[i + j] + a.Coeffs[i] * b.Coeffs[j]
            UnivariatePolynomial.Trim out

    static member Scale(c: Rational, a: UnivariatePolynomial) = UnivariatePolynomial.Trim(Array.map (fun x -> c * x) a.Coeffs)

    /// Euclidean division a = q·b + r with deg r < deg b.
    static member DivRem(a: UnivariatePolynomial, b: UnivariatePolynomial) =
        if b.IsZero then raise (DivideByZeroException "division by the zero polynomial")
        let r = Array.copy a.Coeffs
        let db = b.Degree
        let q = Array.create (max 0 (a.Degree - db + 1)) Rational.Zero
        for k in a.Degree - db .. -1 .. 0 do
            let c = r[k + db] / b.Leading
            q[k] <- c
            if not c.IsZero then
                for j in 0 .. db do
                    r[k + j] <- r[k + j] - c * b.Coeffs[j]
        UnivariatePolynomial.Trim q, UnivariatePolynomial.Trim(if db > 0 then Array.sub r 0 (min r.Length db) else [||])

    /// The same polynomial divided by its leading coefficient (zero stays zero).
    member p.Monic = if p.IsZero then p else UnivariatePolynomial.Scale(Rational.One / p.Leading, p)

    /// Monic greatest common divisor (Euclid over Q).
    static member Gcd(a: UnivariatePolynomial, b: UnivariatePolynomial) =
        let mutable x = a
        let mutable y = b
        while not y.IsZero do
            let _, r = UnivariatePolynomial.DivRem(x, y)
            x <- y
            y <- r.Monic
        x.Monic

    member p.Evaluate(x: Rational) =
        let mutable acc = Rational.Zero
        for k in p.Coeffs.Length - 1 .. -1 .. 0 do
            acc <- acc * x + p.Coeffs[k]
        acc

    /// p(x + s): used to shift a recurrence index (n → n + 1) exactly.
    member p.Shift(s: Rational) =
        let xs = UnivariatePolynomial.OfCoeffs [ s; Rational.One ]
        let mutable acc = UnivariatePolynomial.Zero
        for k in p.Coeffs.Length - 1 .. -1 .. 0 do
            acc <- acc * xs + UnivariatePolynomial.Constant p.Coeffs[k]
        acc

    /// Infix with the given variable name, highest power first, e.g. `d^2 + 3*d + 4`.
    member p.Format(variable: string) =
        if p.IsZero then "0"
        else
            let term k (c: Rational) =
                let a = Rational.abs c
                let pow = if k = 0 then "" elif k = 1 then variable else $"{variable}^{k}"
                let body =
                    if k = 0 then string a
                    elif a = Rational.One then pow
                    else $"{a}*{pow}"
                (c.Sign < 0), body
            [ for k in p.Coeffs.Length - 1 .. -1 .. 0 do
                  if not p.Coeffs[k].IsZero then yield term k p.Coeffs[k] ]
            |> List.mapi (fun i (neg, body) -> if i = 0 then (if neg then "-" + body else body) else (if neg then " - " else " + ") + body)
            |> String.concat ""

    override p.ToString() = p.Format "x"
    override p.Equals(o: obj) =
        match o with
        | :? UnivariatePolynomial as q -> p.Coeffs = q.Coeffs
        | _ -> false
    override p.GetHashCode() = p.Coeffs |> Array.fold (fun h c -> HashCode.Combine(h, c)) 17

[<RequireQualifiedAccess>]
module UnivariatePolynomial =
    /// c·x + e for integers: the building block of rising products like d(d+2)…(d+2m−2).
    let linear (c: int) (e: int) = UnivariatePolynomial.OfCoeffs [ Rational.ofInt e; Rational.ofInt c ]
    let constant (c: Rational) = UnivariatePolynomial.Constant c
    let ofInt (n: int) = UnivariatePolynomial.Constant(Rational.ofInt n)

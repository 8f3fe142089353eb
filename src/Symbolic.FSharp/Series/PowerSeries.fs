namespace FimVerify.Symbolic

/// A truncated power series Σ_{k<N} c_k z^k + O(z^N) with exact coefficients of any ring type that
/// provides +, -, *, Zero, One, FromInt and DivideByInt (Rational and PiLaurent do).
/// `Coeffs.Length` is the truncation order N: every coefficient below N is exact, nothing above is known.
type PowerSeries<'c> =
    { Coeffs: 'c[] }
    member s.Order = s.Coeffs.Length

[<RequireQualifiedAccess>]
module PowerSeries =
    let inline private fromInt (n: int) : ^c = (^c: (static member FromInt: int -> ^c) n)

    let inline ofCoeffs (cs: 'c[]) : PowerSeries<'c> = { Coeffs = cs }

    /// The series of the constant c, to order n.
    let inline constant (order: int) (c: ^c) : PowerSeries< ^c > =
        { Coeffs = Array.init order (fun k -> if k = 0 then c else LanguagePrimitives.GenericZero) }

    /// z itself, to order n.
    let inline z (order: int) : PowerSeries< ^c > =
        { Coeffs = Array.init order (fun k -> if k = 1 then LanguagePrimitives.GenericOne else LanguagePrimitives.GenericZero) }

    let inline truncate (order: int) (s: PowerSeries< ^c >) : PowerSeries< ^c > =
        if order > s.Order then invalidArg "order" $"cannot raise a series known to order {s.Order} to order {order}"
        { Coeffs = Array.sub s.Coeffs 0 order }

    let inline coeff (k: int) (s: PowerSeries< ^c >) : ^c =
        if k < s.Order then s.Coeffs[k] else invalidArg "k" $"coefficient {k} is beyond the truncation order {s.Order}"

    let inline map (f: 'a -> 'b) (s: PowerSeries<'a>) : PowerSeries<'b> = { Coeffs = Array.map f s.Coeffs }

    let inline add (a: PowerSeries< ^c >) (b: PowerSeries< ^c >) : PowerSeries< ^c > =
        let n = min a.Order b.Order
        { Coeffs = Array.init n (fun k -> a.Coeffs[k] + b.Coeffs[k]) }

    let inline neg (a: PowerSeries< ^c >) : PowerSeries< ^c > = { Coeffs = Array.map (fun c -> LanguagePrimitives.GenericZero - c) a.Coeffs }

    let inline sub (a: PowerSeries< ^c >) (b: PowerSeries< ^c >) : PowerSeries< ^c > = add a (neg b)

    let inline scale (c: ^c) (a: PowerSeries< ^c >) : PowerSeries< ^c > = { Coeffs = Array.map (fun x -> c * x) a.Coeffs }

    /// Multiplication by z^k: known to order N + k.
    let inline shift (k: int) (a: PowerSeries< ^c >) : PowerSeries< ^c > =
        { Coeffs = Array.append (Array.create k LanguagePrimitives.GenericZero) a.Coeffs }

    /// Cauchy product, truncated at the smaller order.
    let inline mul (a: PowerSeries< ^c >) (b: PowerSeries< ^c >) : PowerSeries< ^c > =
        let n = min a.Order b.Order
        let out = Array.create n LanguagePrimitives.GenericZero
        for i in 0 .. n - 1 do
            let ai = a.Coeffs[i]
            if ai <> LanguagePrimitives.GenericZero then
                for j in 0 .. n - 1 - i do
                    out[i + j] <- out[i + j] + ai * b.Coeffs[j]
        { Coeffs = out }

    /// f(g(z)) for g(0) = 0, by Horner's rule in series arithmetic.
    let inline compose (f: PowerSeries< ^c >) (g: PowerSeries< ^c >) : PowerSeries< ^c > =
        if g.Order > 0 && g.Coeffs[0] <> LanguagePrimitives.GenericZero then
            invalidArg "g" "composition needs an inner series without constant term"
        let n = min f.Order g.Order
        let g = truncate n g
        let mutable acc = constant n LanguagePrimitives.GenericZero
        for k in n - 1 .. -1 .. 0 do
            acc <- add (mul acc g) (constant n f.Coeffs[k])
        acc

    /// f(c·z^m): substitution of a monomial, exact and O(N) (used for arcsin's (1 − z²)^(−1/2)).
    let inline substituteMonomial (c: ^c) (m: int) (order: int) (f: PowerSeries< ^c >) : PowerSeries< ^c > =
        if m < 1 then invalidArg "m" "the monomial must have positive degree"
        if (order - 1) / m >= f.Order then invalidArg "order" "the outer series is not known to the order asked for"
        let out = Array.create order LanguagePrimitives.GenericZero
        let mutable cPow = LanguagePrimitives.GenericOne
        let mutable k = 0
        while k * m < order do
            out[k * m] <- f.Coeffs[k] * cPow
            cPow <- cPow * c
            k <- k + 1
        { Coeffs = out }

    /// ∫₀^z: the constant of integration is 0, and the order grows by one.
    let inline integrate (a: PowerSeries< ^c >) : PowerSeries< ^c > =
        { Coeffs = Array.init (a.Order + 1) (fun k -> if k = 0 then LanguagePrimitives.GenericZero else LanguagePrimitives.DivideByInt a.Coeffs[k - 1] k) }

    /// d/dz: the order drops by one.
    let inline derivative (a: PowerSeries< ^c >) : PowerSeries< ^c > =
        { Coeffs = Array.init (max 0 (a.Order - 1)) (fun k -> fromInt (k + 1) * a.Coeffs[k + 1]) }

    /// Evaluates the truncated polynomial at z with the caller's arithmetic (Horner).
    let inline evaluate (toValue: ^c -> float) (x: float) (a: PowerSeries< ^c >) : float =
        let mutable acc = 0.0
        for k in a.Order - 1 .. -1 .. 0 do
            acc <- acc * x + toValue a.Coeffs[k]
        acc

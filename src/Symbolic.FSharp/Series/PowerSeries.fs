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
                    let bj = b.Coeffs[j]
                    // Skipping zeros halves the work for odd or even series (sin, arcsin, κ's tail).
                    if bj <> LanguagePrimitives.GenericZero then out[i + j] <- out[i + j] + ai * bj
        { Coeffs = out }

    /// The Cauchy product truncated to `order` (both factors must be known that far).
    let inline private mulTo (order: int) (a: PowerSeries< ^c >) (b: PowerSeries< ^c >) : PowerSeries< ^c > =
        let out = Array.create order LanguagePrimitives.GenericZero
        for i in 0 .. order - 1 do
            let ai = a.Coeffs[i]
            if ai <> LanguagePrimitives.GenericZero then
                for j in 0 .. order - 1 - i do
                    let bj = b.Coeffs[j]
                    if bj <> LanguagePrimitives.GenericZero then out[i + j] <- out[i + j] + ai * bj
        { Coeffs = out }

    /// f(g(z)) for g(0) = 0, by Horner's rule: acc_k = f_k + g·acc_(k+1). Since acc_k is multiplied by g^k
    /// afterwards, it is needed only to order N − k, which cuts the work to about N³/6 ring operations.
    let inline compose (f: PowerSeries< ^c >) (g: PowerSeries< ^c >) : PowerSeries< ^c > =
        if g.Order > 0 && g.Coeffs[0] <> LanguagePrimitives.GenericZero then
            invalidArg "g" "composition needs an inner series without constant term"
        let n = min f.Order g.Order
        let mutable acc = constant 1 LanguagePrimitives.GenericZero
        for k in n - 1 .. -1 .. 0 do
            let m = n - k
            // g·acc to order m, where acc is known to order m − 1 and g has no constant term.
            let product = if m = 1 then constant 1 LanguagePrimitives.GenericZero else shift 1 (mulTo (m - 1) (ofCoeffs g.Coeffs[1..]) acc)
            product.Coeffs[0] <- f.Coeffs[k]
            acc <- product
        acc

    /// 1/a, for a(0) invertible: b_0 = 1/a_0, b_n = −(1/a_0) Σ_{k=1..n} a_k b_(n−k).
    let inline reciprocal (a: PowerSeries< ^c >) : PowerSeries< ^c > =
        let n = a.Order
        if n = 0 then a
        else
            if a.Coeffs[0] = LanguagePrimitives.GenericZero then invalidArg "a" "the series has no reciprocal: its constant term is zero"
            let inv = LanguagePrimitives.GenericOne / a.Coeffs[0]
            let b = Array.create n LanguagePrimitives.GenericZero
            b[0] <- inv
            for m in 1 .. n - 1 do
                let mutable s = LanguagePrimitives.GenericZero
                for k in 1 .. m do
                    if a.Coeffs[k] <> LanguagePrimitives.GenericZero then s <- s + a.Coeffs[k] * b[m - k]
                b[m] <- LanguagePrimitives.GenericZero - inv * s
            { Coeffs = b }

    /// a/b, for b(0) invertible.
    let inline divide (a: PowerSeries< ^c >) (b: PowerSeries< ^c >) : PowerSeries< ^c > = mul a (reciprocal b)

    /// a^k for a natural k, by repeated squaring.
    let inline power (k: int) (a: PowerSeries< ^c >) : PowerSeries< ^c > =
        let mutable result = constant a.Order LanguagePrimitives.GenericOne
        let mutable b = a
        let mutable e = k
        while e > 0 do
            if e &&& 1 = 1 then result <- mul result b
            b <- mul b b
            e <- e >>> 1
        result

    /// The compositional inverse g of f (f(g(z)) = z = g(f(z))) for f(0) = 0 and f'(0) invertible, by
    /// Lagrange inversion: g_n = (1/n)·[w^(n−1)] (w/f(w))^n.
    let inline revert (f: PowerSeries< ^c >) : PowerSeries< ^c > =
        let n = f.Order
        if n < 2 || f.Coeffs[0] <> LanguagePrimitives.GenericZero || f.Coeffs[1] = LanguagePrimitives.GenericZero then
            invalidArg "f" "reversion needs f(0) = 0 and f'(0) ≠ 0"
        let h = reciprocal (ofCoeffs f.Coeffs[1..])   // w/f(w), known to order n − 1
        let g = Array.create n LanguagePrimitives.GenericZero
        let mutable hPower = constant (n - 1) LanguagePrimitives.GenericOne
        for m in 1 .. n - 1 do
            hPower <- mul hPower h
            g[m] <- LanguagePrimitives.DivideByInt hPower.Coeffs[m - 1] m
        { Coeffs = g }

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

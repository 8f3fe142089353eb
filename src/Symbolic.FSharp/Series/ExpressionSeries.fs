namespace FimVerify.Symbolic

/// Taylor series of an Expression around a point, by series arithmetic on the expression tree (no
/// repeated differentiation): each node's series is built from its children's series and the standard series.
/// Coefficients are canonical Expressions (exact: rationals, π, √2, sin(1), … as they arise).
[<RequireQualifiedAccess>]
module ExpressionSeries =
    module X = Expression

    let private lift (s: PowerSeries<Rational>) : PowerSeries<Expression> = PowerSeries.map X.number s

    /// (head, tail) with the series = head + tail and tail(0) = 0.
    let private split (s: PowerSeries<Expression>) =
        let tail = Array.copy s.Coeffs
        tail[0] <- X.zero
        s.Coeffs[0], PowerSeries.ofCoeffs tail

    /// s^e for a rational e: c^e (1 + t/c)^e with c = s(0) ≠ 0, via the binomial series.
    let private rationalPower (e: Rational) (s: PowerSeries<Expression>) =
        let c, t = split s
        if c = X.zero then invalidArg "s" "a non-integer power of a series vanishing at the point has no Taylor series there"
        let n = s.Order
        PowerSeries.compose (lift (StandardSeries.binomial e n)) (PowerSeries.scale (X.pow c X.minusOne) t)
        |> PowerSeries.scale (X.pow c (Number e))

    /// f(u) from u's series, for each elementary f.
    let rec private applySeries (f: Function) (u: PowerSeries<Expression>) : PowerSeries<Expression> =
        let n = u.Order
        let c, t = split u
        let viaIntegral (derivative: PowerSeries<Expression>) =
            // f(u) = f(c) + ∫ f'(u) u' dz.
            let integrand = PowerSeries.mul (PowerSeries.truncate (n - 1) derivative) (PowerSeries.derivative u)
            let s = PowerSeries.integrate integrand
            s.Coeffs[0] <- X.apply f c
            s
        let oneMinusSquare () = PowerSeries.sub (PowerSeries.constant n X.one) (PowerSeries.mul u u)
        match f with
        | Exp -> PowerSeries.compose (lift (StandardSeries.exp n)) t |> PowerSeries.scale (X.exp c)
        | Log ->
            let s = PowerSeries.compose (lift (StandardSeries.log1p n)) (PowerSeries.scale (X.pow c X.minusOne) t)
            s.Coeffs[0] <- X.log c
            s
        | Sin | Cos ->
            let sinT = PowerSeries.compose (lift (StandardSeries.sin n)) t
            let cosT = PowerSeries.compose (lift (StandardSeries.cos n)) t
            if f = Sin then PowerSeries.add (PowerSeries.scale (X.sin c) cosT) (PowerSeries.scale (X.cos c) sinT)
            else PowerSeries.sub (PowerSeries.scale (X.cos c) cosT) (PowerSeries.scale (X.sin c) sinT)
        | Arcsin -> viaIntegral (rationalPower (Rational.make -1 2) (oneMinusSquare ()))
        | Arccos -> viaIntegral (PowerSeries.neg (rationalPower (Rational.make -1 2) (oneMinusSquare ())))
        | Arctan -> viaIntegral (PowerSeries.reciprocal (PowerSeries.add (PowerSeries.constant n X.one) (PowerSeries.mul u u)))
        | Erf -> viaIntegral (PowerSeries.scale StandardSeries.erfFactor (applySeries Exp (PowerSeries.neg (PowerSeries.mul u u))))

    /// The series of x in powers of (variable − point), to `order` terms.
    let rec around (variable: string) (point: Expression) (order: int) (x: Expression) : PowerSeries<Expression> =
        if order < 1 then invalidArg "order" "at least one term is needed"
        let recurse = around variable point order
        match x with
        | _ when not (X.contains variable x) -> PowerSeries.constant order x
        | Symbol _ -> PowerSeries.add (PowerSeries.constant order point) (PowerSeries.z order)
        | Sum ts -> ts |> List.map recurse |> List.reduce PowerSeries.add
        | Product fs -> fs |> List.map recurse |> List.reduce PowerSeries.mul
        | Power(b, Number r) when r.IsInteger ->
            let s = PowerSeries.power (int (abs r.Num)) (recurse b)
            if r.Sign > 0 then s else PowerSeries.reciprocal s
        | Power(b, Number r) -> rationalPower r (recurse b)
        | Power(b, e) -> recurse (X.exp (X.mul [ e; X.log b ]))
        | Apply(f, a) -> applySeries f (recurse a)
        | Number _ | Constant _ -> PowerSeries.constant order x

    /// The Maclaurin series (around 0).
    let maclaurin (variable: string) (order: int) (x: Expression) = around variable X.zero order x

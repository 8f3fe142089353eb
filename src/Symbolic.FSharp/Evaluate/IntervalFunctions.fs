namespace FimVerify.Symbolic

open System
open System.Collections.Concurrent
open System.Numerics

/// Certified enclosures of the elementary and special functions on intervals: every value is a truncated series
/// (after argument reduction) evaluated in interval arithmetic, with the truncation remainder bounded explicitly and
/// added, so the result contains the true value at every point of the argument interval. Arguments must lie in the
/// function's domain (the caller decides definedness first).
[<RequireQualifiedAccess>]
module IntervalFunctions =
    /// Extra bits carried inside each function so the final rounding to p bits dominates the error.
    let private guard = 24

    let private magnitudeUp (x: Interval) : Dyadic =
        match x.Lo, x.Hi with
        | Fin a, Fin b -> Dyadic.max (Dyadic.abs a) (Dyadic.abs b)
        | _ -> invalidArg "x" "a finite interval is needed"

    /// x/n for a positive integer n.
    let private divInt p (x: Interval) (n: int) =
        let d dir e = match e with Fin v -> Ext.fin dir (Dyadic.div dir p v (Dyadic.ofInt n)) | e -> e
        { Lo = d Down x.Lo; Hi = d Up x.Hi }

    let private sqrtInterval p (x: Interval) =
        let s dir e = match e with Fin v -> Ext.fin dir (Dyadic.sqrt dir p (Dyadic.max v Dyadic.zero)) | e -> e
        { Lo = s Down x.Lo; Hi = s Up x.Hi }

    let private lessThanPow2 (d: Dyadic) (k: int64) = d.M.IsZero || Dyadic.top d <= k

    /// Σ_{n≥0} (∓1)^n y^(2n+1)/(2n+1) for |y| ≤ 1/4 with the tail bounded by |y|^(2N+1)/(2N+1)·(4/3).
    let private oddSeries p (alternating: bool) (y: Interval) =
        let m = magnitudeUp y
        let y2 = Interval.mul p y y
        let mutable power = y
        let mutable sum = Interval.zero
        let mutable n = 0
        let mutable bound = m
        // bound_n = m^(2n+1): stop when it is far below 2^-p.
        while not (lessThanPow2 bound (int64 (-p - 4))) do
            let term = divInt p power (2 * n + 1)
            sum <- if alternating && n % 2 = 1 then Interval.sub p sum term else Interval.add p sum term
            power <- Interval.mul p power y2
            bound <- Dyadic.mul Up p (Dyadic.mul Up p bound m) m
            n <- n + 1
        Interval.widen p (Dyadic.div Up p (Dyadic.mul Up p bound (Dyadic.ofInt 4)) (Dyadic.ofInt (3 * (2 * n + 1)))) sum

    let private piCache = ConcurrentDictionary<int, Interval>()
    let private ln2Cache = ConcurrentDictionary<int, Interval>()

    /// π = 16 arctan(1/5) − 4 arctan(1/239) (Machin), enclosed at p bits.
    let pi (p: int) : Interval =
        piCache.GetOrAdd(p, fun p ->
            let w = p + guard
            let inverse k = Interval.ofRational w (Rational.make 1 k)
            let a = oddSeries w true (inverse 5)
            let b = oddSeries w true (inverse 239)
            Interval.round p (Interval.sub w (Interval.scale 4L a) (Interval.scale 2L b)))

    /// ln 2 = 2 artanh(1/3), enclosed at p bits.
    let ln2 (p: int) : Interval =
        ln2Cache.GetOrAdd(p, fun p ->
            let w = p + guard
            Interval.round p (Interval.scale 1L (oddSeries w false (Interval.ofRational w (Rational.make 1 3)))))

    /// e^y for |y| ≤ 2^-8: Taylor terms until y^n/n! < 2^-p, the tail bounded by twice the first omitted term.
    let private expSmall p (y: Interval) =
        let m = magnitudeUp y
        let mutable sum = Interval.one
        let mutable term = Interval.one
        let mutable bound = Dyadic.one
        let mutable n = 0
        while not (lessThanPow2 bound (int64 (-p - 4))) do
            n <- n + 1
            term <- divInt p (Interval.mul p term y) n
            sum <- Interval.add p sum term
            bound <- Dyadic.div Up p (Dyadic.mul Up p bound m) (Dyadic.ofInt (n + 1))
        Interval.widen p (Dyadic.scale 1L bound) sum

    /// e^x at a point: x = k ln 2 + r, e^r = (e^(r/2^10))^(2^10), times 2^k.
    let private expPoint p (x: Dyadic) : Interval =
        if x.M.IsZero then Interval.one
        elif Dyadic.top x > 62L then
            if x.M.Sign > 0 then { Lo = Fin(Dyadic.pow2 (Ext.maxTop - 1L)); Hi = PosInf }
            else { Lo = Ext.zero; Hi = Fin(Dyadic.pow2 -Ext.maxTop) }
        else
            let k = BigInteger(Math.Round(Dyadic.toDouble x / 0.6931471805599453))
            let w = p + guard + int (k.GetBitLength()) + 4
            let r = Interval.sub w (Interval.point x) (Interval.mul w (Interval.ofBigInt k) (ln2 w))
            let mutable e = expSmall w (Interval.scale -10L r)
            for _ in 1 .. 10 do
                e <- Interval.mul w e e
            Interval.round p (Interval.scale (int64 k) e)

    let exp p (x: Interval) : Interval =
        let lo = match x.Lo with NegInf -> Ext.zero | Fin d -> (expPoint p d).Lo | PosInf -> PosInf
        let hi = match x.Hi with PosInf -> PosInf | Fin d -> (expPoint p d).Hi | NegInf -> Ext.zero
        { Lo = lo; Hi = hi }

    /// log x at a point x > 0: x = m·2^k with m in [3/4, 3/2), log m = 2 artanh((m − 1)/(m + 1)).
    let private logPoint p (x: Dyadic) : Interval =
        let k0 = Dyadic.top x
        let m0 = Dyadic.scale -k0 x
        let k, m = if Dyadic.compare m0 (Dyadic(BigInteger 3, -2L)) < 0 then k0 - 1L, Dyadic.scale 1L m0 else k0, m0
        let w = p + guard + 64
        let mi = Interval.point m
        let s = (Interval.tryDiv w (Interval.sub w mi Interval.one) (Interval.add w mi Interval.one)).Value
        let series = Interval.scale 1L (oddSeries w false s)
        Interval.round p (Interval.add w (Interval.mul w (Interval.ofBigInt (BigInteger k)) (ln2 w)) series)

    /// log on an interval of positive numbers.
    let log p (x: Interval) : Interval =
        if not (Interval.positive x) then invalidArg "x" "log of an interval not certainly positive"
        let lo = match x.Lo with Fin d -> (logPoint p d).Lo | e -> e
        let hi = match x.Hi with Fin d -> (logPoint p d).Hi | e -> e
        { Lo = lo; Hi = hi }

    let sqrt p (x: Interval) : Interval =
        if not (Interval.nonNegative x) then invalidArg "x" "sqrt of an interval not certainly non-negative"
        sqrtInterval p x

    /// sin r and cos r for |r| ≤ 1 by Taylor series, tails bounded by the first omitted term.
    let private sinCosSmall p (r: Interval) =
        let m = magnitudeUp r
        let r2 = Interval.mul p r r
        let series (start: Interval) (first: int) =
            let mutable term = start
            let mutable sum = start
            let mutable n = first
            let mutable bound = if first = 1 then m else Dyadic.one
            while not (lessThanPow2 bound (int64 (-p - 4))) do
                term <- Interval.neg (divInt p (Interval.mul p term r2) ((n + 1) * (n + 2)))
                sum <- Interval.add p sum term
                bound <- Dyadic.div Up p (Dyadic.mul Up p (Dyadic.mul Up p bound m) m) (Dyadic.ofInt ((n + 1) * (n + 2)))
                n <- n + 2
            Interval.widen p bound sum
        series r 1, series Interval.one 0

    /// (sin x, cos x) at a point, after reduction by quarter turns x = q·π/2 + r.
    let private sinCosPoint p (x: Dyadic) : Interval * Interval =
        let unit = { Lo = Fin(Dyadic.ofInt -1); Hi = Fin Dyadic.one }
        if x.M.IsZero then Interval.zero, Interval.one
        elif Dyadic.top x > (1L <<< 20) then unit, unit
        else
            let w = p + guard + int (max 0L (Dyadic.top x)) + 8
            let halfPi = Interval.scale -1L (pi w)
            let q = (Interval.tryDiv w (Interval.point x) halfPi).Value
            let k = match q.Lo with Fin d -> Dyadic.floor (Dyadic.add Down w d (Dyadic(BigInteger.One, -1L))) | _ -> BigInteger.Zero
            let r = Interval.sub w (Interval.point x) (Interval.mul w (Interval.ofBigInt k) halfPi)
            let s, c = sinCosSmall w r
            let clamp (v: Interval) = Interval.round p (Interval.intersect v unit)
            match int (((k % BigInteger 4) + BigInteger 4) % BigInteger 4) with
            | 0 -> clamp s, clamp c
            | 1 -> clamp c, clamp (Interval.neg s)
            | 2 -> clamp (Interval.neg s), clamp (Interval.neg c)
            | _ -> clamp (Interval.neg c), clamp s

    let private unitInterval = { Lo = Fin(Dyadic.ofInt -1); Hi = Fin Dyadic.one }

    /// sin on an interval: the end points' values, widened to ±1 when a maximum or minimum may lie inside.
    let sin p (x: Interval) : Interval =
        match x.Lo, x.Hi with
        | Fin a, Fin _ when Interval.isPoint x -> fst (sinCosPoint p a)
        | Fin a, Fin b when Interval.width x < 7.0 ->
            let sa, sb = fst (sinCosPoint p a), fst (sinCosPoint p b)
            let w = p + 8
            let twoPi = Interval.scale 1L (pi w)
            let halfPi = Interval.scale -1L (pi w)
            // Is there an integer j with c + 2πj in [a, b]?
            let mayContain (c: Interval) =
                let lo = (Interval.tryDiv w (Interval.sub w (Interval.point a) c) twoPi).Value
                let hi = (Interval.tryDiv w (Interval.sub w (Interval.point b) c) twoPi).Value
                match lo.Lo, hi.Hi with
                | Fin l, Fin h -> Dyadic.ceiling l <= Dyadic.floor h
                | _ -> true
            let lo = if mayContain (Interval.neg halfPi) then Fin(Dyadic.ofInt -1) else Ext.min sa.Lo sb.Lo
            let hi = if mayContain halfPi then Fin Dyadic.one else Ext.max sa.Hi sb.Hi
            { Lo = lo; Hi = hi }
        | _ -> unitInterval

    let cos p (x: Interval) : Interval =
        if Interval.isPoint x then (match x.Lo with Fin a -> snd (sinCosPoint p a) | _ -> unitInterval)
        else sin p (Interval.add (p + guard) x (Interval.scale -1L (pi (p + guard))))

    /// arctan of y in [0, 1] (an interval): two angle halvings y → y/(1 + √(1 + y²)), then the series.
    let private arctanCore p (y: Interval) =
        let halve (v: Interval) = (Interval.tryDiv p v (Interval.add p Interval.one (sqrtInterval p (Interval.add p Interval.one (Interval.mul p v v))))).Value
        Interval.scale 2L (oddSeries p true (halve (halve y)))

    let private arctanPoint p (x: Dyadic) : Interval =
        if x.M.IsZero then Interval.zero
        else
            let w = p + guard
            let a = Dyadic.abs x
            let value =
                if Dyadic.compare a Dyadic.one > 0 then
                    Interval.sub w (Interval.scale -1L (pi w)) (arctanCore w (Interval.tryReciprocal w (Interval.point a)).Value)
                else arctanCore w (Interval.point a)
            Interval.round p (if x.M.Sign < 0 then Interval.neg value else value)

    let arctan p (x: Interval) : Interval =
        let halfPi = Interval.scale -1L (pi p)
        let lo = match x.Lo with NegInf -> (Interval.neg halfPi).Lo | Fin d -> (arctanPoint p d).Lo | PosInf -> halfPi.Lo
        let hi = match x.Hi with PosInf -> halfPi.Hi | Fin d -> (arctanPoint p d).Hi | NegInf -> (Interval.neg halfPi).Hi
        { Lo = lo; Hi = hi }

    /// arcsin at a point of [−1, 1]: ±π/2 at the ends, else arctan(x/√((1 − x)(1 + x))).
    let private arcsinPoint p (x: Dyadic) : Interval =
        let halfPi = Interval.scale -1L (pi p)
        let c = Dyadic.compare (Dyadic.abs x) Dyadic.one
        if c = 0 then (if x.M.Sign > 0 then halfPi else Interval.neg halfPi)
        else
            let w = p + guard + int (max 0L (-(Dyadic.top (Dyadic.sub Down 64 Dyadic.one (Dyadic.abs x)))))
            let xi = Interval.point x
            let d = Interval.mul w (Interval.sub w Interval.one xi) (Interval.add w Interval.one xi)
            let t = (Interval.tryDiv w xi (sqrtInterval w d)).Value
            Interval.round p (arctan w t)

    /// arcsin on a sub-interval of [−1, 1] (end points outside are clipped: the caller has checked the domain).
    let arcsin p (x: Interval) : Interval =
        let clip e = Ext.max (Fin(Dyadic.ofInt -1)) (Ext.min (Fin Dyadic.one) e)
        let lo = match clip x.Lo with Fin d -> (arcsinPoint p d).Lo | e -> e
        let hi = match clip x.Hi with Fin d -> (arcsinPoint p d).Hi | e -> e
        { Lo = lo; Hi = hi }

    let arccos p (x: Interval) : Interval = Interval.sub p (Interval.scale -1L (pi (p + 8))) (arcsin (p + 8) x)

    /// erf at a point x ≥ 0: the positive series (2/√π) e^(−x²) Σ 2ⁿ x^(2n+1)/(2n+1)!!, or, when e^(−x²) is far below
    /// 2^-p, the bound 1 − e^(−x²)/(x√π) ≤ erf x ≤ 1.
    let private erfPositive p (x: Dyadic) : Interval =
        let w = p + guard
        let xd = Dyadic.toDouble x
        let xi = Interval.point x
        let sqrtPi = sqrtInterval w (pi w)
        let gaussian = exp w (Interval.neg (Interval.mul w xi xi))
        if xd > 2.0 && xd * xd > 0.7 * float (w + 8) then
            let tail = (Interval.tryDiv w gaussian (Interval.mul w xi sqrtPi)).Value
            { Lo = (Interval.sub w Interval.one tail).Lo; Hi = Fin Dyadic.one }
        else
            let twoX2 = Interval.scale 1L (Interval.mul w xi xi)
            let threshold = Dyadic.scale (int64 (-w - 4)) x
            let mutable term = xi
            let mutable sum = xi
            let mutable n = 0
            let mutable go = true
            while go do
                term <- divInt w (Interval.mul w term twoX2) (2 * n + 3)
                sum <- Interval.add w sum term
                n <- n + 1
                // Once the ratio 2x²/(2n+3) is below 1/2, the tail is at most the last term.
                if float (2 * n + 3) > 4.0 * xd * xd + 1.0 then
                    match term.Hi with
                    | Fin t when Dyadic.compare t threshold < 0 -> go <- false
                    | _ -> ()
            let sum = Interval.widen w (match term.Hi with Fin t -> t | _ -> Dyadic.zero) sum
            let value = (Interval.tryDiv w (Interval.scale 1L (Interval.mul w gaussian sum)) sqrtPi).Value
            Interval.round p (Interval.intersect value { Lo = Ext.zero; Hi = Fin Dyadic.one })

    let private erfPoint p (x: Dyadic) =
        if x.M.IsZero then Interval.zero
        elif x.M.Sign > 0 then erfPositive p x
        else Interval.neg (erfPositive p (Dyadic.neg x))

    let erf p (x: Interval) : Interval =
        let lo = match x.Lo with NegInf -> Fin(Dyadic.ofInt -1) | Fin d -> (erfPoint p d).Lo | PosInf -> Fin Dyadic.one
        let hi = match x.Hi with PosInf -> Fin Dyadic.one | Fin d -> (erfPoint p d).Hi | NegInf -> Fin(Dyadic.ofInt -1)
        { Lo = lo; Hi = hi }

    /// sinh at a point: the odd Taylor series for |x| < 1/16 (no cancellation), else (e^x − e^(−x))/2.
    let private sinhPoint p (x: Dyadic) : Interval =
        let w = p + guard
        if x.M.IsZero then Interval.zero
        elif Dyadic.top x <= -4L then
            let xi = Interval.point x
            let x2 = Interval.mul w xi xi
            let m = Dyadic.abs x
            let mutable term = xi
            let mutable sum = xi
            let mutable n = 1
            let mutable bound = m
            while not (lessThanPow2 bound (int64 (-w - 4))) do
                term <- divInt w (Interval.mul w term x2) ((n + 1) * (n + 2))
                sum <- Interval.add w sum term
                bound <- Dyadic.div Up w (Dyadic.mul Up w (Dyadic.mul Up w bound m) m) (Dyadic.ofInt ((n + 1) * (n + 2)))
                n <- n + 2
            Interval.round p (Interval.widen w (Dyadic.scale 1L bound) sum)
        else
            let e = exp w (Interval.point x)
            let ei = exp w (Interval.point (Dyadic.neg x))
            Interval.round p (Interval.scale -1L (Interval.sub w e ei))

    let sinh p (x: Interval) : Interval =
        let lo = match x.Lo with Fin d -> (sinhPoint p d).Lo | e -> e
        let hi = match x.Hi with Fin d -> (sinhPoint p d).Hi | e -> e
        { Lo = lo; Hi = hi }

    let private coshPoint p (x: Dyadic) =
        let w = p + guard
        Interval.round p (Interval.scale -1L (Interval.add w (exp w (Interval.point x)) (exp w (Interval.point (Dyadic.neg x)))))

    let cosh p (x: Interval) : Interval =
        let at e = match e with Fin d -> coshPoint p d | _ -> { Lo = PosInf; Hi = PosInf }
        if Interval.nonNegative x then { Lo = (at x.Lo).Lo; Hi = (at x.Hi).Hi }
        elif Interval.nonPositive x then { Lo = (at x.Hi).Lo; Hi = (at x.Lo).Hi }
        else { Lo = Fin Dyadic.one; Hi = Ext.max (at x.Lo).Hi (at x.Hi).Hi }

    /// tanh at a point: sinh/cosh near 0, else (1 − e^(−2|x|))/(1 + e^(−2|x|)) with the sign of x.
    let private tanhPoint p (x: Dyadic) : Interval =
        let w = p + guard
        if x.M.IsZero then Interval.zero
        elif Dyadic.top x <= -4L then Interval.round p ((Interval.tryDiv w (sinhPoint w x) (coshPoint w x)).Value)
        else
            let t = exp w (Interval.point (Dyadic.scale 1L (Dyadic.neg (Dyadic.abs x))))
            let v = (Interval.tryDiv w (Interval.sub w Interval.one t) (Interval.add w Interval.one t)).Value
            Interval.round p (if x.M.Sign < 0 then Interval.neg v else v)

    let tanh p (x: Interval) : Interval =
        let lo = match x.Lo with NegInf -> Fin(Dyadic.ofInt -1) | Fin d -> (tanhPoint p d).Lo | PosInf -> Fin Dyadic.one
        let hi = match x.Hi with PosInf -> Fin Dyadic.one | Fin d -> (tanhPoint p d).Hi | NegInf -> Fin(Dyadic.ofInt -1)
        { Lo = lo; Hi = hi }

    /// Bernoulli numbers B_0 … B_n (exact), from Σ_{k=0}^{n} C(n+1, k) B_k = 0.
    let private bernoulliCache = Collections.Generic.List<Rational>([ Rational.One ])

    let bernoulli (n: int) : Rational =
        lock bernoulliCache (fun () ->
            while bernoulliCache.Count <= n do
                let m = bernoulliCache.Count
                let mutable s = Rational.Zero
                for k in 0 .. m - 1 do
                    s <- s + Rational.ofBigInt (Rational.binomial (m + 1) k) * bernoulliCache[k]
                bernoulliCache.Add(-s / Rational.ofInt (m + 1))
            bernoulliCache[n])

    /// log Γ(y) for y ≥ p by Stirling's series (there about p/13 terms reach 2^-p, so few Bernoulli numbers are
    /// needed); for real y > 0 the error is at most the first omitted term.
    let private logGammaLarge p (y: Dyadic) : Interval =
        let w = p + guard
        let yi = Interval.point y
        let logY = log w yi
        let halfLog2Pi = Interval.scale -1L (log w (Interval.scale 1L (pi w)))
        let mutable value = Interval.add w (Interval.sub w (Interval.mul w (Interval.sub w yi (Interval.ofRational w (Rational.make 1 2))) logY) yi) halfLog2Pi
        let inverseY = (Interval.tryReciprocal w yi).Value
        let inverseY2 = Interval.mul w inverseY inverseY
        let mutable power = inverseY
        let mutable k = 1
        let mutable go = true
        while go do
            let coefficient = bernoulli (2 * k) / Rational.ofInt (2 * k * (2 * k - 1))
            let term = Interval.mul w (Interval.ofRational w coefficient) power
            match (Interval.abs term).Hi with
            | Fin t when Dyadic.compare t (Dyadic.pow2 (int64 (-w - 2))) < 0 || k > 4 * w ->
                // The first omitted term bounds the error: widen by it and stop.
                value <- Interval.widen w t value
                go <- false
            | _ ->
                value <- Interval.add w value term
                power <- Interval.mul w power inverseY2
                k <- k + 1
        Interval.round p value

    /// Γ(x) at a point x > 0: Γ(x) = exp(log Γ(x + n))/(x(x + 1)…(x + n − 1)).
    let private gammaPositive p (x: Dyadic) : Interval =
        let w = p + guard
        let threshold = float w
        let n = max 0 (int (Math.Ceiling(threshold - Dyadic.toDouble x)))
        let y = Dyadic.add Down Int32.MaxValue x (Dyadic.ofInt n)
        let mutable denominator = Interval.one
        for j in 0 .. n - 1 do
            denominator <- Interval.mul w denominator (Interval.point (Dyadic.add Down Int32.MaxValue x (Dyadic.ofInt j)))
        Interval.round p ((Interval.tryDiv w (exp w (logGammaLarge w y)) denominator).Value)

    /// Where Γ has its minimum on (0, ∞), bracketed: [1.4616321, 1.4616322], and a lower bound of the minimum 0.88560…
    let private gammaMinimumLo = Dyadic.ofRational Down 64 (Rational(BigInteger 14616321, BigInteger 10000000))
    let private gammaMinimumHi = Dyadic.ofRational Up 64 (Rational(BigInteger 14616322, BigInteger 10000000))
    let private gammaMinimumValue = Dyadic.ofRational Down 64 (Rational(BigInteger 8856, BigInteger 10000))

    /// Γ on an interval avoiding the poles 0, −1, −2, …; None when the interval is not certainly clear of them.
    let rec gamma p (x: Interval) : Interval option =
        match x.Lo, x.Hi with
        | Fin a, Fin b when a.M.Sign > 0 ->
            let at d = gammaPositive p d
            if Dyadic.compare b gammaMinimumLo <= 0 then Some { Lo = (at b).Lo; Hi = (at a).Hi }
            elif Dyadic.compare a gammaMinimumHi >= 0 then Some { Lo = (at a).Lo; Hi = (at b).Hi }
            else Some { Lo = Fin gammaMinimumValue; Hi = Ext.max (at a).Hi (at b).Hi }
        | Fin a, PosInf when a.M.Sign > 0 ->
            let lo = if Dyadic.compare a gammaMinimumHi >= 0 then (gammaPositive p a).Lo else Fin gammaMinimumValue
            Some { Lo = lo; Hi = PosInf }
        | Fin a, Fin b when b.M.Sign < 0 && Dyadic.floor a = Dyadic.floor b && Dyadic.compare (Dyadic.ofBigInt (Dyadic.floor a)) a < 0 ->
            // Reflection Γ(x) = π/(sin(πx) Γ(1 − x)), the interval strictly between two poles.
            let w = p + guard
            let s = sin w (Interval.mul w (pi w) x)
            match gamma w (Interval.sub w Interval.one x) with
            | Some g -> Interval.tryDiv w (pi w) (Interval.mul w s g) |> Option.map (Interval.round p)
            | None -> None
        | _ -> None

namespace FimVerify.Symbolic

open System.Numerics

/// Series algebra specialised to exact rational coefficients, fast at several hundred terms. Every coefficient is
/// produced from integer dot products over prefix common denominators (PrefixScaled), with one reduction per
/// coefficient; exp, log, powers, sin/cos, reciprocal and division run their ODEs or recurrences coefficient by
/// coefficient (O(N²) integer products); composition is Paterson–Stockmeyer (≈ 2√N products) and reversion
/// Newton's iteration on it. The generic PowerSeries functions are the definitional routes these are tested against.
/// Callable from C# (the generic PowerSeries functions are F# inline functions).
[<RequireQualifiedAccess>]
module RationalSeries =
    let private zero = Rational.Zero
    let private ofCoeffs (cs: Rational[]) : PowerSeries<Rational> = { Coeffs = cs }

    let constant (order: int) (c: Rational) : PowerSeries<Rational> = PowerSeries.constant order c
    let add (a: PowerSeries<Rational>) b = PowerSeries.add a b
    let sub (a: PowerSeries<Rational>) b = PowerSeries.sub a b
    let evaluate (x: float) (a: PowerSeries<Rational>) = PowerSeries.evaluate Rational.toDouble x a

    /// The Cauchy product truncated to `order` (both factors known that far).
    let mulTo (order: int) (a: PowerSeries<Rational>) (b: PowerSeries<Rational>) : PowerSeries<Rational> =
        if order > a.Order || order > b.Order then invalidArg "order" "the factors are not known to that order"
        let pa, pb = PrefixScaled order, PrefixScaled order
        ofCoeffs (Array.init order (fun k ->
            pa.Append a.Coeffs[k]
            pb.Append b.Coeffs[k]
            Rational(pa.Dot(pb, k, 0, k), pa.Denominator * pb.Denominator)))

    /// The Cauchy product, truncated at the smaller order.
    let mul (a: PowerSeries<Rational>) (b: PowerSeries<Rational>) = mulTo (min a.Order b.Order) a b

    /// a/b for b(0) ≠ 0: q_n = (a_n − Σ_{k=1..n} b_k q_(n−k)) / b_0, the sum an integer dot product.
    let divide (a: PowerSeries<Rational>) (b: PowerSeries<Rational>) : PowerSeries<Rational> =
        let n = min a.Order b.Order
        if n > 0 && b.Coeffs[0].IsZero then invalidArg "b" "the divisor's constant term is zero"
        let pb, pq = PrefixScaled n, PrefixScaled n
        let q = Array.create n zero
        for m in 0 .. n - 1 do
            pb.Append b.Coeffs[m]
            let s = if m = 0 then zero else Rational(pb.Dot(pq, m, 1, m), pb.Denominator * pq.Denominator)
            q[m] <- (a.Coeffs[m] - s) / b.Coeffs[0]
            pq.Append q[m]
        ofCoeffs q

    /// 1/a for a(0) ≠ 0.
    let reciprocal (a: PowerSeries<Rational>) = divide (PowerSeries.constant a.Order Rational.One) a

    /// exp(g) for g(0) = 0, from f′ = g′f: f_n = (1/n) Σ_{k=1..n} k g_k f_(n−k).
    let exp (g: PowerSeries<Rational>) : PowerSeries<Rational> =
        let n = g.Order
        if n > 0 && not g.Coeffs[0].IsZero then invalidArg "g" "exp of a series needs g(0) = 0 (exp of a non-zero rational is irrational)"
        let pg, pf = PrefixScaled n, PrefixScaled n
        let f = Array.create n zero
        for m in 0 .. n - 1 do
            pg.Append g.Coeffs[m]
            f[m] <- if m = 0 then Rational.One else Rational(pf.Dot(pg, m, 0, m - 1, (fun i -> int64 (m - i))), pf.Denominator * pg.Denominator * BigInteger m)
            pf.Append f[m]
        ofCoeffs f

    /// log(f) for f(0) = 1, from f h′ = f′: h_n = f_n − (1/n) Σ_{k=1..n−1} k h_k f_(n−k).
    let log (f: PowerSeries<Rational>) : PowerSeries<Rational> =
        let n = f.Order
        if n > 0 && f.Coeffs[0] <> Rational.One then invalidArg "f" "log of a series needs f(0) = 1"
        let pf, ph = PrefixScaled n, PrefixScaled n
        let h = Array.create n zero
        for m in 0 .. n - 1 do
            pf.Append f.Coeffs[m]
            h[m] <- if m = 0 then zero else f.Coeffs[m] - Rational(ph.Dot(pf, m, 1, m - 1, int64), ph.Denominator * pf.Denominator * BigInteger m)
            ph.Append h[m]
        ofCoeffs h

    /// f^α for rational α and f(0) = 1, from f h′ = α f′ h: n h_n = Σ_{k=1..n} ((α + 1)k − n) f_k h_(n−k).
    let rationalPower (alpha: Rational) (f: PowerSeries<Rational>) : PowerSeries<Rational> =
        let n = f.Order
        if n > 0 && f.Coeffs[0] <> Rational.One then invalidArg "f" "a rational power of a series needs f(0) = 1"
        let pf, ph = PrefixScaled n, PrefixScaled n
        let h = Array.create n zero
        // With α = p/q: q n h_n = Σ ((p + q)k − q n) f_k h_(n−k), integer weights.
        let p, q = alpha.Num, alpha.Den
        if not (BigInteger.Abs p < BigInteger 1000000 && q < BigInteger 1000000) then invalidArg "alpha" "the exponent's numerator and denominator must be below 10⁶"
        let p, q = int64 p, int64 q
        for m in 0 .. n - 1 do
            pf.Append f.Coeffs[m]
            h[m] <-
                if m = 0 then Rational.One
                else Rational(pf.Dot(ph, m, 1, m, (fun k -> (p + q) * int64 k - q * int64 m)), pf.Denominator * ph.Denominator * BigInteger(q * int64 m))
            ph.Append h[m]
        ofCoeffs h

    /// a^k for a natural k: z^(kv) · c^k · (1 + u)^k with a = c z^v (1 + u), the last by its ODE.
    let power (k: int) (a: PowerSeries<Rational>) : PowerSeries<Rational> =
        if k < 0 then invalidArg "k" "a natural power is needed"
        let n = a.Order
        match Array.tryFindIndex (fun (c: Rational) -> not c.IsZero) a.Coeffs with
        | _ when k = 0 -> PowerSeries.constant n Rational.One
        | None -> a
        | Some v when int64 v * int64 k >= int64 n -> PowerSeries.constant n zero
        | Some v ->
            let c = a.Coeffs[v]
            let unit = ofCoeffs (Array.init (n - v * k) (fun i -> a.Coeffs[v + i] / c))
            let raised = rationalPower (Rational.ofInt k) unit
            ofCoeffs (Array.init n (fun i -> if i < v * k then zero else raised.Coeffs[i - v * k] * Rational.pow c k))

    /// (sin g, cos g) for g(0) = 0, from s′ = g′c, c′ = −g′s.
    let sinCos (g: PowerSeries<Rational>) : PowerSeries<Rational> * PowerSeries<Rational> =
        let n = g.Order
        if n > 0 && not g.Coeffs[0].IsZero then invalidArg "g" "sin and cos of a series need g(0) = 0"
        let pg, ps, pc = PrefixScaled n, PrefixScaled n, PrefixScaled n
        let s, c = Array.create n zero, Array.create n zero
        for m in 0 .. n - 1 do
            pg.Append g.Coeffs[m]
            if m = 0 then s[0] <- zero; c[0] <- Rational.One
            else
                let weight i = int64 (m - i)
                s[m] <- Rational(pc.Dot(pg, m, 0, m - 1, weight), pc.Denominator * pg.Denominator * BigInteger m)
                c[m] <- Rational(-(ps.Dot(pg, m, 0, m - 1, weight)), ps.Denominator * pg.Denominator * BigInteger m)
            ps.Append s[m]
            pc.Append c[m]
        ofCoeffs s, ofCoeffs c

    /// Σ_i w_i·P_i over series known to `order`, as one integer dot product per coefficient: every P_i over its own
    /// common denominator L_i, the weights w_i/L_i over one common denominator W.
    let private combine (order: int) (weights: Rational[]) (scaled: (BigInteger[] * BigInteger)[]) : Rational[] =
        let terms = [| for i in 0 .. weights.Length - 1 do if not weights[i].IsZero then yield weights[i] / Rational.ofBigInt (snd scaled[i]), fst scaled[i] |]
        if terms.Length = 0 then Array.create order zero
        else
            let w = terms |> Array.fold (fun acc (r: Rational, _) -> let d = r.Den in acc / BigInteger.GreatestCommonDivisor(acc, d) * d) BigInteger.One
            let omega = terms |> Array.map (fun (r, nums) -> r.Num * (w / r.Den), nums)
            Array.init order (fun k ->
                let mutable s = BigInteger.Zero
                for o, nums in omega do
                    if not nums[k].IsZero then s <- s + o * nums[k]
                Rational(s, w))

    /// Integer numerators over one common denominator (for `combine`).
    let private overCommonDenominator (cs: Rational[]) : BigInteger[] * BigInteger =
        let p = PrefixScaled.Of cs
        Array.init cs.Length (fun i -> p[i]), p.Denominator

    /// f_1(g), …, f_r(g) to the order of g, for g(0) = 0, by Paterson–Stockmeyer: the powers g, …, g^m (m ≈ √N),
    /// each f cut into blocks of m coefficients evaluated as linear combinations of those powers, and Horner's rule
    /// in G = g^m, truncating each step to the order it can still reach (G^j has valuation ≥ jm).
    let composeMany (fs: PowerSeries<Rational> list) (g: PowerSeries<Rational>) : PowerSeries<Rational> list =
        if g.Order > 0 && not g.Coeffs[0].IsZero then invalidArg "g" "composition needs an inner series without constant term"
        let n = fs |> List.fold (fun acc f -> min acc f.Order) g.Order
        if n <= 1 then fs |> List.map (fun f -> PowerSeries.truncate n f)
        else
            let g = PowerSeries.truncate n g
            // m ≈ √N: the Horner products (dense, large coefficients) cost more than the powers of g, which are
            // often sparse (odd or even g); measured at N = 300, m from 10 to 20 is within 10% of the best.
            let m = max 2 (int (ceil (sqrt (float n))))
            let powers = Array.zeroCreate<PowerSeries<Rational>> (m + 1)
            powers[0] <- PowerSeries.constant n Rational.One
            powers[1] <- g
            for i in 2 .. m do powers[i] <- mulTo n powers[i - 1] g
            let scaled = powers[0 .. m - 1] |> Array.map (fun p -> overCommonDenominator p.Coeffs)
            let bigG = powers[m]
            let blocks = (n + m - 1) / m
            fs |> List.map (fun f ->
                // acc_j = F_j(g) + G·acc_(j+1), needed only to order n − j·m.
                let mutable acc = PowerSeries.constant 1 zero
                for j in blocks - 1 .. -1 .. 0 do
                    let reach = n - j * m
                    let weights = Array.init m (fun i -> if j * m + i < n then f.Coeffs[j * m + i] else zero)
                    let block = combine reach weights (scaled |> Array.map (fun (nums, d) -> nums[.. reach - 1], d))
                    let carried =
                        if j = blocks - 1 then Array.create reach zero
                        else
                            // G·acc with acc known to order reach − m (the rest of G^(j+1) lies beyond n).
                            let known = acc.Coeffs.Length
                            let padded = ofCoeffs (Array.init reach (fun k -> if k < known then acc.Coeffs[k] else zero))
                            (mulTo reach (PowerSeries.truncate reach bigG) padded).Coeffs
                    acc <- ofCoeffs (Array.init reach (fun k -> block[k] + carried[k]))
                acc)

    /// f(g(z)) for g(0) = 0.
    let compose (f: PowerSeries<Rational>) (g: PowerSeries<Rational>) : PowerSeries<Rational> =
        match composeMany [ f ] g with
        | [ r ] -> r
        | _ -> invalidOp "one series in, one out"

    /// The compositional inverse g of f (f(g(z)) = z) for f(0) = 0, f′(0) ≠ 0, by Newton's iteration
    /// g ← g − (f(g) − z)/f′(g), which doubles the number of correct coefficients at each step. f′(g) comes from the
    /// one composition by the chain rule, f′(g) = (f∘g)′/g′, so each step costs one composition and two divisions.
    let revert (f: PowerSeries<Rational>) : PowerSeries<Rational> =
        let n = f.Order
        if n < 2 || not f.Coeffs[0].IsZero || f.Coeffs[1].IsZero then invalidArg "f" "reversion needs f(0) = 0 and f'(0) ≠ 0"
        let mutable g = ofCoeffs [| zero; Rational.One / f.Coeffs[1] |]
        let mutable known = 2
        while known < n do
            let p = min n (2 * known)
            let gp = ofCoeffs (Array.init p (fun k -> if k < g.Order then g.Coeffs[k] else zero))
            let fg = compose (PowerSeries.truncate p f) gp
            // The residual f(g) − z vanishes below `known`, so f′(g) is needed only to order p − known ≤ p − 1.
            let residual = ofCoeffs (Array.init (p - known) (fun k -> fg.Coeffs[k + known] - (if k + known = 1 then Rational.One else zero)))
            let dfg = divide (PowerSeries.derivative fg) (PowerSeries.derivative gp)
            let correction = divide residual (PowerSeries.truncate (p - known) dfg)
            g <- ofCoeffs (Array.init p (fun k -> if k < known then gp.Coeffs[k] else gp.Coeffs[k] - correction.Coeffs[k - known]))
            known <- p
        g

    /// The definitional routes (PowerSeries' Horner composition, O(N³) rational operations, and Lagrange inversion),
    /// callable from C# for comparisons and benchmarks.
    let composeByHorner (f: PowerSeries<Rational>) (g: PowerSeries<Rational>) = PowerSeries.compose f g
    let revertByLagrange (f: PowerSeries<Rational>) = PowerSeries.revert f

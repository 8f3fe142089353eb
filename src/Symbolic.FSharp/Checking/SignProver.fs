namespace FimVerify.Symbolic

open System
open System.Numerics

/// What the sign prover knows: the declared ranges, and the lowering session whose atoms it may evaluate.
type ProverContext =
    { Ranges: Map<string, SymbolRange>
      Limits: CheckLimits
      Budget: WorkBudget
      /// Signs already decided in this step (conditions and their parts recur).
      Memo: System.Collections.Generic.Dictionary<struct (Expression * int), Sign> }

/// Signs of expressions on the whole declared domain ("positivity by structure"): even powers, exponentials, sums and
/// products of terms of known sign, symbols by their assumptions, and where structure is silent, certified interval
/// arithmetic over the domain's box, bisected up to 64 boxes. Every conclusion holds at every point of the domain.
[<RequireQualifiedAccess>]
module SignProver =
    module X = Expression

    let private ofSigns (positive: bool) (nonNegative: bool) (negative: bool) (nonPositive: bool) =
        if positive then Sign.Positive elif negative then Sign.Negative elif nonNegative then Sign.NonNegative elif nonPositive then Sign.NonPositive else Sign.Unknown

    let private ofInterval (iv: Interval) =
        ofSigns (Interval.positive iv) (Interval.nonNegative iv) (Interval.negative iv) (Interval.nonPositive iv)

    let private negate (s: Sign) =
        match s with
        | Sign.Positive -> Sign.Negative
        | Sign.Negative -> Sign.Positive
        | Sign.NonNegative -> Sign.NonPositive
        | Sign.NonPositive -> Sign.NonNegative
        | s -> s

    let private times (a: Sign) (b: Sign) =
        match a, b with
        | Sign.Zero, _ | _, Sign.Zero -> Sign.Zero
        | Sign.Unknown, _ | _, Sign.Unknown -> Sign.Unknown
        | Sign.NonZero, s | s, Sign.NonZero -> if s.NotZero then Sign.NonZero else Sign.Unknown
        | _ ->
            let strict = a.NotZero && b.NotZero
            let positive = (a.AtLeastZero && b.AtLeastZero) || (a.AtMostZero && b.AtMostZero)
            match positive, strict with
            | true, true -> Sign.Positive
            | true, false -> Sign.NonNegative
            | false, true -> Sign.Negative
            | false, false -> Sign.NonPositive

    let private symbolSign (r: SymbolRange) =
        let d = r.Declaration
        if d.Integer then
            let lo, hi = r.IntegerLow, r.IntegerHigh
            ofSigns (lo |> Option.exists (fun v -> v.Sign > 0)) (lo |> Option.exists (fun v -> v.Sign >= 0))
                    (hi |> Option.exists (fun v -> v.Sign < 0)) (hi |> Option.exists (fun v -> v.Sign <= 0))
        else
            let lowerStrict = d.Lower |> Option.exists (fun b -> b.Strict)
            let upperStrict = d.Upper |> Option.exists (fun b -> b.Strict)
            let lo, hi = Ext.sign r.Hull.Lo, Ext.sign r.Hull.Hi
            ofSigns (lo > 0 || (lo = 0 && lowerStrict && d.Lower.IsSome)) (lo >= 0 && d.Lower.IsSome)
                    (hi < 0 || (hi = 0 && upperStrict && d.Upper.IsSome)) (hi <= 0 && d.Upper.IsSome)

    /// The sign of x over a box (symbol → interval), bisecting the widest finite side while undecided.
    let rec private boxSign (ctx: ProverContext) (session: LoweringSession option) (boxes: Map<string, Interval>) (x: Expression) (depth: int) : Sign =
        ctx.Budget.Check()
        let evaluation = { Precision = 64; Limits = ctx.Limits; Budget = ctx.Budget; Cache = PointCache() }
        let env = boxes |> Map.map (fun _ iv -> { Enclosure = iv; Exact = None; Certified = true })
        // Atoms evaluate through their terms, which mention only symbols of the box.
        let atoms =
            X.symbols x |> List.choose (fun s ->
                match session with
                | Some sess when sess.IsAtom s ->
                    match PointEvaluation.eval evaluation env sess.AtomTerms[s] with
                    | PointValue.Value a -> Some(s, a)
                    | _ -> None
                | _ -> None)
        let env = atoms |> List.fold (fun (m: Map<string, Approximation>) (s, a) -> m.Add(s, a)) env
        let direct =
            if X.symbols x |> List.forall env.ContainsKey then
                match PointEvaluation.eval evaluation env (Term.ofExpression x) with
                | PointValue.Value a when a.Certified -> (match a.Exact with Some r -> (if r.Sign > 0 then Sign.Positive elif r.Sign < 0 then Sign.Negative else Sign.Zero) | None -> ofInterval a.Enclosure)
                | _ -> Sign.Unknown
            else Sign.Unknown
        if direct <> Sign.Unknown || depth >= 6 then direct
        else
            // Bisect the widest finite side among x's own symbols.
            let candidates =
                X.symbols x |> List.choose (fun s ->
                    match boxes.TryFind s with
                    | Some { Lo = Fin a; Hi = Fin b } when Dyadic.compare a b < 0 -> Some(s, a, b, Dyadic.toDouble (Dyadic.sub Up 53 b a))
                    | _ -> None)
            match candidates with
            | [] -> Sign.Unknown
            | _ ->
                let s, a, b, _ = candidates |> List.maxBy (fun (_, _, _, w) -> w)
                let mid = Dyadic.scale -1L (Dyadic.add Down 4096 a b)
                let left = boxSign ctx session (boxes.Add(s, { Lo = Fin a; Hi = Fin mid })) x (depth + 1)
                if left = Sign.Unknown then Sign.Unknown
                else
                    let right = boxSign ctx session (boxes.Add(s, { Lo = Fin mid; Hi = Fin b })) x (depth + 1)
                    match left, right with
                    | Sign.Positive, Sign.Positive -> Sign.Positive
                    | Sign.Negative, Sign.Negative -> Sign.Negative
                    | l, r when l.AtLeastZero && r.AtLeastZero -> Sign.NonNegative
                    | l, r when l.AtMostZero && r.AtMostZero -> Sign.NonPositive
                    | _ -> Sign.Unknown

    /// The base with the highest negative integer power among the terms' factors, and that power (as a positive
    /// number): multiplying the terms by it clears that denominator.
    let largestDenominator (ts: Expression list) : (Expression * Rational) option =
        ts
        |> List.collect (fun t ->
            (match t with Product fs -> fs | f -> [ f ]) |> List.choose (function
                | Power(b, Number n) when n.IsInteger && n.Sign < 0 -> Some(b, -n)
                | _ -> None))
        |> List.sortByDescending snd
        |> List.tryHead

    /// The largest monomial Π b^e (integer e) dividing every term of a sum, and the sum divided by it.
    let commonFactor (ts: Expression list) : (Expression * Expression) option =
        let powersOf (t: Expression) =
            (match t with Product fs -> fs | f -> [ f ])
            |> List.choose (function
                | Number _ -> None
                | Power(b, Number n) when n.IsInteger -> Some(b, n)
                | Power _ -> None
                | f -> Some(f, Rational.One))
        match ts |> List.map powersOf with
        | first :: rest when not rest.IsEmpty ->
            let common =
                first |> List.choose (fun (b, n) ->
                    let others = rest |> List.map (List.tryFind (fun (c, _) -> c = b))
                    if others |> List.forall Option.isSome then
                        let exponents = n :: (others |> List.map (fun o -> snd o.Value))
                        let least = exponents |> List.min
                        // Only a factor present with the same sign of exponent throughout, and not a zero power.
                        if least.IsZero || (exponents |> List.exists (fun e -> e.Sign <> least.Sign)) then None else Some(b, least)
                    else None)
            if common.IsEmpty then None
            else
                let factor = X.mul (common |> List.map (fun (b, e) -> X.pow b (Number e)))
                let inverse = X.mul (common |> List.map (fun (b, e) -> X.pow b (Number(-e))))
                Some(factor, X.add (ts |> List.map (fun t -> X.mul [ t; inverse ])))
        | _ -> None

    /// c + Σ k_i s_i for declared symbols s_i: its least (greatest) value on the domain is at the bounds each
    /// coefficient pushes toward, decided exactly (so π − θ ≥ 0 for θ ≤ π, and 1 + 2a − 2b > 0 for a > 0, b < 1/2,
    /// where intervals on the closed hull cannot tell).
    let rec private affine (ctx: ProverContext) (x: Expression) : Sign =
        try affineSign ctx x with :? ArithmeticException -> Sign.Unknown

    and private affineSign (ctx: ProverContext) (x: Expression) : Sign =
        let vars = X.symbols x
        if vars.IsEmpty || vars |> List.exists (fun v -> not (ctx.Ranges.ContainsKey v)) then Sign.Unknown
        else
            let slopes = vars |> List.map (fun v -> v, Differentiate.withRespectTo v x)
            let constant = Substitute.many (vars |> List.map (fun v -> v, X.zero) |> Map.ofList) x
            let isAffine = slopes |> List.forall (fun (_, k) -> match k with Number r -> not r.IsZero | _ -> false) && X.symbols constant = []
            if not isAffine then Sign.Unknown
            else
                // The extreme value with each symbol at the bound its slope points to (lowest when `least`).
                let extreme (least: bool) =
                    let ends =
                        slopes |> List.map (fun (v, k) ->
                            let d = ctx.Ranges[v].Declaration
                            let k = match k with Number r -> r | _ -> Rational.Zero
                            let b = if (k.Sign > 0) = least then d.Lower else d.Upper
                            b |> Option.map (fun b -> X.mul [ Number k; b.Value ], b.Strict))
                    if ends |> List.exists Option.isNone then None
                    else
                        let value = X.add (constant :: (ends |> List.map (fun e -> fst e.Value)))
                        let strict = ends |> List.exists (fun e -> snd e.Value)
                        let sign =
                            match value with
                            | Number r -> r.Sign
                            | value ->
                                match Domain.enclosure 128 value with
                                | Result.Ok a when Interval.positive a.Enclosure -> 1
                                | Result.Ok a when Interval.negative a.Enclosure -> -1
                                | _ -> 2
                        Some(sign, strict)
                match extreme true, extreme false with
                | Some(1, _), _ -> Sign.Positive
                | Some(0, strict), _ -> if strict then Sign.Positive else Sign.NonNegative
                | _, Some(-1, _) -> Sign.Negative
                | _, Some(0, strict) -> if strict then Sign.Negative else Sign.NonPositive
                | _ -> Sign.Unknown

    /// √ of a term that is a rational square times a perfect square (P^(2k), products of such), if it is one.
    let private squareRoot (t: Expression) : Expression option =
        let c, rest = X.splitCoefficient t
        let rootOf (r: Rational) =
            if r.Sign < 0 then None
            else
                let isqrt (n: BigInteger) = let s = BigInteger(Math.Sqrt(float n)) in [ s - BigInteger.One; s; s + BigInteger.One ] |> List.tryFind (fun q -> q.Sign >= 0 && q * q = n)
                match isqrt r.Num, isqrt r.Den with
                | Some n, Some d -> Some(Rational(n, d))
                | _ -> None
        let rec halve (f: Expression) =
            match f with
            | Number r when r = Rational.One -> Some X.one
            | Power(b, Number n) when n.IsInteger && n.Num.IsEven -> Some(X.pow b (Number(n / Rational.ofInt 2)))
            | Product fs -> let hs = fs |> List.map halve in if hs |> List.forall Option.isSome then Some(X.mul (hs |> List.map Option.get)) else None
            | _ -> None
        match rootOf c, halve rest with
        | Some r, Some h -> Some(X.mul [ Number r; h ])
        | _ -> None

    /// The sign of x on the domain (Unknown when neither structure nor intervals settle it).    /// The sign of a constant, exactly when it is rational, else by its enclosure (2 when undecided).
    let private constantSign (value: Expression) =
        match value with
        | Number r -> r.Sign
        | value ->
            match Domain.enclosure 128 value with
            | Result.Ok a when a.Exact.IsSome -> a.Exact.Value.Sign
            | Result.Ok a when Interval.positive a.Enclosure -> 1
            | Result.Ok a when Interval.negative a.Enclosure -> -1
            | _ -> 2

    /// The sign of x on the domain (Unknown when neither structure nor intervals settle it).
    let rec sign (ctx: ProverContext) (session: LoweringSession option) (x: Expression) : Sign = signAt ctx session 0 x

    /// x a function of one declared symbol, monotone there (its derivative's sign proved): its sign at the bounds,
    /// evaluated exactly, gives its sign on the domain (√x − 1 < 0 for x < 1, where the closed hull only says ≤ 0).
    and private monotone (ctx: ProverContext) (session: LoweringSession option) (depth: int) (x: Expression) : Sign =
        match X.symbols x with
        | [ v ] when depth < 2 && ctx.Ranges.ContainsKey v && not ctx.Ranges[v].Declaration.Integer ->
            try
                let d = ctx.Ranges[v].Declaration
                let slope = signAt ctx session (depth + 1) (Differentiate.withRespectTo v x)
                let increasing = slope.AtLeastZero
                if not increasing && not slope.AtMostZero then Sign.Unknown
                else
                    let strictly = slope.NotZero
                    // The least value is at the lower bound when increasing, the upper when decreasing; the greatest the other.
                    let least, most = if increasing then d.Lower, d.Upper else d.Upper, d.Lower
                    let at (b: Bound option) = b |> Option.map (fun b -> constantSign (Substitute.one v b.Value x), b.Strict)
                    match at least, at most with
                    | Some(1, _), _ -> Sign.Positive
                    | Some(0, strict), _ -> if strict && strictly then Sign.Positive else Sign.NonNegative
                    | _, Some(-1, _) -> Sign.Negative
                    | _, Some(0, strict) -> if strict && strictly then Sign.Negative else Sign.NonPositive
                    | _ -> Sign.Unknown
            with :? ArithmeticException -> Sign.Unknown
        | _ -> Sign.Unknown

    and private signAt (ctx: ProverContext) (session: LoweringSession option) (depth: int) (x: Expression) : Sign =
        match ctx.Memo.TryGetValue(struct (x, depth)) with
        | true, known -> known
        | _ ->
            let result = decide ctx session depth x
            ctx.Memo[struct (x, depth)] <- result
            result

    and private decide (ctx: ProverContext) (session: LoweringSession option) (depth: int) (x: Expression) : Sign =
        let s = signAt ctx session depth
        let structural =
            match x with
            | Number r -> if r.Sign > 0 then Sign.Positive elif r.Sign < 0 then Sign.Negative else Sign.Zero
            | Constant _ -> Sign.Positive
            | Symbol v ->
                match ctx.Ranges.TryFind v with
                | Some r -> symbolSign r
                | None -> Sign.Unknown
            | Apply(Exp, _) -> Sign.Positive
            | Apply((Erf | Arctan | Arcsin), a) -> s a
            | Apply(Arccos, _) -> Sign.NonNegative
            | Apply(Sin, a) ->
                // sin ≥ 0 on [0, π], ≤ 0 on [−π, 0].
                let lower, upper = s a, s (X.sub X.pi a)
                if lower.AtLeastZero && upper.AtLeastZero then (if lower = Sign.Positive && upper = Sign.Positive then Sign.Positive else Sign.NonNegative)
                else
                    let lower, upper = s (X.add [ a; X.pi ]), s (X.neg a)
                    if lower.AtLeastZero && upper.AtLeastZero then (if lower = Sign.Positive && upper = Sign.Positive then Sign.Negative else Sign.NonPositive)
                    else Sign.Unknown
            | Apply(Cos, a) ->
                // cos ≥ 0 on [−π/2, π/2].
                let halfPi = X.div X.pi (X.ofInt 2)
                let lower, upper = s (X.add [ a; halfPi ]), s (X.sub halfPi a)
                if lower.AtLeastZero && upper.AtLeastZero then (if lower = Sign.Positive && upper = Sign.Positive then Sign.Positive else Sign.NonNegative)
                else Sign.Unknown
            | Power(b, Number n) when n.IsInteger ->
                let sb = s b
                if n.Num.IsEven then (if sb.NotZero then Sign.Positive else Sign.NonNegative)
                else sb
            | Power(b, Number _) -> let sb = s b in if sb = Sign.Positive then Sign.Positive else Sign.NonNegative
            | Power(b, _) -> if s b = Sign.Positive then Sign.Positive else Sign.Unknown
            | Product fs -> fs |> List.fold (fun acc f -> if acc = Sign.Unknown then acc else times acc (s f)) Sign.Positive
            | Sum ts ->
                let signs = ts |> List.map s
                if signs |> List.forall (fun t -> t.AtLeastZero) then (if signs |> List.exists (fun t -> t = Sign.Positive) then Sign.Positive else Sign.NonNegative)
                elif signs |> List.forall (fun t -> t.AtMostZero) then (if signs |> List.exists (fun t -> t = Sign.Negative) then Sign.Negative else Sign.NonPositive)
                else
                    // A common denominator B^n (B ≠ 0, n even, or B > 0) does not change the sign: clear it.
                    match largestDenominator ts with
                    | Some(b, n) when (n.Num.IsEven && (s b).NotZero) || s b = Sign.Positive ->
                        s (X.add (ts |> List.map (fun t -> X.mul [ t; X.pow b (Number n) ])))
                    | _ ->
                    match (try commonFactor ts with :? ArithmeticException -> None) with
                    | Some(factor, rest) when (s factor).NotZero || (s factor).AtLeastZero || (s factor).AtMostZero -> times (s factor) (s rest)
                    | _ ->
                    // Terms grouped by a symbol they share: 1 + 2a − 2ac = 1 + 2a(1 − c).
                    let grouped =
                        X.symbols x |> List.tryPick (fun v ->
                            let has (t: Expression) = (match t with Product fs -> fs | f -> [ f ]) |> List.exists (function Symbol u | Power(Symbol u, _) -> u = v | _ -> false)
                            let group, others = ts |> List.partition has
                            if group.Length < 2 || others.IsEmpty then None
                            else
                                match (try commonFactor group with :? ArithmeticException -> None) with
                                | Some(factor, rest) ->
                                    let g = times (s factor) (s rest)
                                    let o = s (X.add others)
                                    if g.AtLeastZero && o.AtLeastZero && (g = Sign.Positive || o = Sign.Positive) then Some Sign.Positive
                                    elif g.AtLeastZero && o.AtLeastZero then Some Sign.NonNegative
                                    elif g.AtMostZero && o.AtMostZero && (g = Sign.Negative || o = Sign.Negative) then Some Sign.Negative
                                    elif g.AtMostZero && o.AtMostZero then Some Sign.NonPositive
                                    else None
                                | None -> None)
                    match grouped with
                    | Some sign -> sign
                    | None ->
                        // P² − Q² = (P − Q)(P + Q).
                        match ts with
                        | [ t1; t2 ] ->
                            let positive, negative = if X.isNegative t2 then t1, X.neg t2 elif X.isNegative t1 then t2, X.neg t1 else t1, t2
                            match X.isNegative t1 <> X.isNegative t2, squareRoot positive, squareRoot negative with
                            | true, Some p, Some q -> times (s (X.sub p q)) (s (X.add [ p; q ]))
                            | _ -> Sign.Unknown
                        | _ -> Sign.Unknown
            | _ -> Sign.Unknown
        let structural = if structural = Sign.Unknown then affine ctx x else structural
        let structural =
            match structural with
            | Sign.Unknown | Sign.NonNegative | Sign.NonPositive | Sign.NonZero ->
                match monotone ctx session depth x with
                | Sign.Unknown -> structural
                | better -> better
            | s -> s
        match structural with
        | Sign.Positive | Sign.Negative | Sign.Zero -> structural
        | partial ->
            // Intervals over the domain's box may sharpen a partial answer (≥ 0 to > 0) or settle an unknown one.
            let placeholders = X.symbols x |> List.exists (fun v -> v.Contains '#')
            if placeholders then partial
            else
                let boxes = ctx.Ranges |> Map.map (fun _ r -> r.Hull)
                match boxSign ctx session boxes x 0 with
                | Sign.Unknown -> partial
                | Sign.NonNegative when partial = Sign.NonZero -> Sign.Positive
                | Sign.NonPositive when partial = Sign.NonZero -> Sign.Negative
                | b -> b

/// Rewrites that hold on the whole domain because the assumptions fix a sign: (b^n)^r = b^(nr) for b ≥ 0 (so
/// √(q²) = q, and |q| = q, for q > 0), (ab)^r = a^r b^r and log(ab) = log a + log b for a > 0, log(b^e) = e log b for
/// b > 0, arcsin(sin a) = a on [−π/2, π/2], arccos(cos a) = a on [0, π]. Each keeps the set where the expression is defined.
[<RequireQualifiedAccess>]
module AssumptionSimplify =
    module X = Expression

    /// A radicand 1 − cos(a)² or 1 − sin(a)² as sin(a)² or cos(a)².
    let private trigonometricSquare (b: Expression) : Expression option =
        match b with
        | Sum [ Number one; Product [ Number minus; Power(Apply(Cos, a), Number two) ] ] when one = Rational.One && minus = Rational.ofInt -1 && two = Rational.ofInt 2 ->
            Some(X.pow (X.sin a) (X.ofInt 2))
        | Sum [ Number one; Product [ Number minus; Power(Apply(Sin, a), Number two) ] ] when one = Rational.One && minus = Rational.ofInt -1 && two = Rational.ofInt 2 ->
            Some(X.pow (X.cos a) (X.ofInt 2))
        | _ -> None

    let private pass (ctx: ProverContext) (session: LoweringSession option) (x: Expression) : Expression =
        let sign = SignProver.sign ctx session
        let halfPi = X.div X.pi (X.ofInt 2)
        x
        |> X.transform (fun y ->
            match y with
            | Power(Power(b, Number n), Number r) when n.IsInteger && not r.IsInteger ->
                let s = sign b
                if s.AtLeastZero then X.pow b (X.number (n * r))
                elif s.AtMostZero && n.Num.IsEven then X.pow (X.neg b) (X.number (n * r))
                else y
            | Power(Sum _ as b, Number r) when not r.IsInteger && (match trigonometricSquare b with Some _ -> true | None -> false) ->
                // 1 − cos² a = sin² a (and 1 − sin² a = cos² a) under a root, then (b²)^r = b^(2r) for b ≥ 0.
                let square = (trigonometricSquare b).Value
                match square with
                | Power(t, Number two) when (sign t).AtLeastZero -> X.pow t (Number(two * r))
                | Power(t, Number two) when (sign t).AtMostZero -> X.pow (X.neg t) (Number(two * r))
                | _ -> y
            | Power(Sum ts, Number r) when not r.IsInteger ->
                // A positive denominator common to the radicand's terms comes out: (Σ t_i)^r = B^(−nr) (Σ t_i B^n)^r.
                match SignProver.largestDenominator ts with
                | Some(b, n) when sign b = Sign.Positive ->
                    let scaled = X.add (ts |> List.map (fun t -> X.mul [ t; X.pow b (Number n) ]))
                    X.mul [ X.pow b (Number(-(n * r))); X.pow scaled (Number r) ]
                | _ ->
                    // A common factor that is positive (or an even power) comes out of the root: (a²(1 − c²))^r = a^(2r)(1 − c²)^r.
                    match (try SignProver.commonFactor ts with :? System.ArithmeticException -> None) with
                    | Some(factor, rest) when sign factor = Sign.Positive -> X.mul [ X.pow factor (Number r); X.pow rest (Number r) ]
                    | _ -> y
            | Power(Product fs, Number r) when not r.IsInteger && (let n = fs |> List.filter (fun f -> sign f = Sign.Negative) in not n.IsEmpty && n.Length % 2 = 0) ->
                // An even number of negative factors: negate them all, the product is unchanged.
                X.pow (X.mul (fs |> List.map (fun f -> if sign f = Sign.Negative then X.neg f else f))) (Number r)
            | Power(Product fs, Number r) when not r.IsInteger ->
                let positive, rest = fs |> List.partition (fun f -> sign f = Sign.Positive)
                if positive.IsEmpty then y
                else X.mul ((positive |> List.map (fun f -> X.pow f (Number r))) @ (if rest.IsEmpty then [] else [ X.pow (X.mul rest) (Number r) ]))
            | Apply(Log, Product fs) ->
                let positive, rest = fs |> List.partition (fun f -> sign f = Sign.Positive)
                if positive.IsEmpty then y
                else X.add ((positive |> List.map X.log) @ (if rest.IsEmpty then [] else [ X.log (X.mul rest) ]))
            | Apply(Log, Power(b, e)) when sign b = Sign.Positive -> X.mul [ e; X.log b ]
            | Apply(Arcsin, Apply(Sin, a)) when (sign (X.add [ a; halfPi ])).AtLeastZero && (sign (X.sub halfPi a)).AtLeastZero -> a
            | Apply(Arccos, Apply(Cos, a)) when (sign a).AtLeastZero && (sign (X.sub X.pi a)).AtLeastZero -> a
            | y -> y)

    /// Applies the rewrites until nothing changes (at most four passes: a rewrite can expose another).
    let simplify (ctx: ProverContext) (session: LoweringSession option) (x: Expression) : Expression =
        let rec go (x: Expression) (n: int) =
            let y = try pass ctx session x with :? System.ArithmeticException -> x
            if y = x || n >= 4 then y else go y (n + 1)
        go x 1

namespace FimVerify.Symbolic

open System
open System.Numerics

/// One side of an assumption `lo < x < hi`: a constant expression and whether the inequality is strict.
type Bound =
    { Value: Expression
      Strict: bool }

/// `symbol NAME`, `symbol NAME: lo < NAME < hi` (either side may be missing; `<=` allowed), `symbol NAME: integer, …`.
type SymbolDeclaration =
    { Name: string
      Lower: Bound option
      Upper: Bound option
      Integer: bool
      Line: int }

/// Whether the set a declaration describes has a point, decided exactly.
[<RequireQualifiedAccess>]
type Emptiness =
    | NonEmpty
    | Empty of string
    | Undecidable of string

/// Where a symbol is sampled and what the sign prover knows about it: rational end points strictly inside the
/// domain (or the domain's single point), integer ranges, and the closed hull as an interval.
type SymbolRange =
    { Declaration: SymbolDeclaration
      /// For reals: a < b rationals with (a, b) inside the domain (a = b for a one-point domain).
      Low: Rational
      High: Rational
      /// Whether the domain is unbounded below / above (the window [Low, High] is then only where most points go).
      OpenBelow: bool
      OpenAbove: bool
      /// For integers: the least and greatest allowed values, when bounded.
      IntegerLow: BigInteger option
      IntegerHigh: BigInteger option
      /// The closed hull of the domain (infinite ends for unbounded sides).
      Hull: Interval }

/// Symbol domains from their declarations: exact emptiness, rational sampling windows strictly inside, and samples
/// that go toward each end of an interval as well as across it.
[<RequireQualifiedAccess>]
module Domain =
    let private context (p: int) : EvaluationContext =
        { Precision = p; Limits = CheckLimits.defaults; Budget = WorkBudget(30.0); Cache = PointCache() }

    /// An enclosure of a constant at p bits (Error when it is undefined or cannot be evaluated).
    let enclosure (p: int) (x: Expression) : Result<Approximation, string> =
        match PointEvaluation.eval (context p) Map.empty (Term.ofExpression x) with
        | PointValue.Value a -> Result.Ok a
        | PointValue.Undefined why -> Result.Error $"{Infix.format x} is undefined ({why})"
        | PointValue.Unknown why -> Result.Error $"{Infix.format x} cannot be evaluated ({why})"

    /// The sign of hi − lo, exactly: from canonical forms, then intervals of increasing precision.
    let private compareConstants (lo: Expression) (hi: Expression) : Result<int, string> =
        match Expression.sub hi lo with
        | Number r -> Result.Ok r.Sign
        | d ->
            let rec go p =
                match enclosure p d with
                | Result.Error e -> Result.Error e
                | Result.Ok a ->
                    match a.Exact with
                    | Some r -> Result.Ok r.Sign
                    | None ->
                        if Interval.positive a.Enclosure then Result.Ok 1
                        elif Interval.negative a.Enclosure then Result.Ok -1
                        elif p >= 4096 then Result.Error "the bounds are too close to compare at 4096 bits"
                        else go (p * 2)
            go 128

    /// Decides whether the declared set is empty (for integers: whether it holds an integer).
    let emptiness (d: SymbolDeclaration) : Emptiness =
        let check (b: Bound option) =
            match b with
            | Some b -> (match enclosure 128 b.Value with Result.Error e -> Some e | _ -> None)
            | None -> None
        match check d.Lower |> Option.orElse (check d.Upper) with
        | Some problem -> Emptiness.Undecidable problem
        | None ->
            match d.Lower, d.Upper with
            | Some lo, Some hi when not d.Integer ->
                match compareConstants lo.Value hi.Value with
                | Result.Error e -> Emptiness.Undecidable e
                | Result.Ok s ->
                    if s > 0 || (s = 0 && not lo.Strict && not hi.Strict) then Emptiness.NonEmpty
                    else Emptiness.Empty $"the lower bound {Infix.format lo.Value} is not below the upper bound {Infix.format hi.Value}"
            | _ -> Emptiness.NonEmpty

    /// The least integer above (or at, when not strict) a bound, and the greatest below.
    let private integerEnd (b: Bound) (lower: bool) : Result<BigInteger, string> =
        let rec go p =
            match enclosure p b.Value with
            | Result.Error e -> Result.Error e
            | Result.Ok a ->
                let fromExact (r: Rational) =
                    let floor = BigInteger.Divide(r.Num - (if r.Num.Sign < 0 && not r.IsInteger then r.Den - BigInteger.One else BigInteger.Zero), r.Den)
                    if lower then (if r.IsInteger then (if b.Strict then floor + BigInteger.One else floor) else floor + BigInteger.One)
                    else (if r.IsInteger then (if b.Strict then floor - BigInteger.One else floor) else floor)
                match a.Exact with
                | Some r -> Result.Ok(fromExact r)
                | None ->
                    match a.Enclosure.Lo, a.Enclosure.Hi with
                    | Fin l, Fin h when Dyadic.floor l = Dyadic.floor h && Dyadic.compare (Dyadic.ofBigInt (Dyadic.floor l)) l < 0 ->
                        // Irrational and strictly between two integers.
                        let f = Dyadic.floor l
                        Result.Ok(if lower then f + BigInteger.One else f)
                    | _ when p >= 4096 -> Result.Error "a bound is too close to an integer to tell"
                    | _ -> go (p * 2)
        go 128

    /// A rational strictly above (lower) or below (upper) a bound's value, within 2^-p of it (the value itself when rational).
    let private rationalEnd (p: int) (b: Bound) (lower: bool) : Result<Rational * bool, string> =
        match enclosure p b.Value with
        | Result.Error e -> Result.Error e
        | Result.Ok a ->
            match a.Exact, a.Enclosure.Lo, a.Enclosure.Hi with
            | Some r, _, _ -> Result.Ok(r, true)
            | None, Fin l, Fin h -> Result.Ok((if lower then Dyadic.toRational h else Dyadic.toRational l), false)
            | _ -> Result.Error $"the bound {Infix.format b.Value} is not finite"

    let private window = Rational.ofInt 3

    /// The sampling window and hull of a (non-empty) declaration.
    let range (d: SymbolDeclaration) : Result<SymbolRange, string> =
        let hullEnd (b: Bound option) (lower: bool) =
            match b with
            | None -> if lower then NegInf else PosInf
            | Some b -> (match enclosure 128 b.Value with Result.Ok a -> (if lower then a.Enclosure.Lo else a.Enclosure.Hi) | _ -> if lower then NegInf else PosInf)
        let hull = { Lo = hullEnd d.Lower true; Hi = hullEnd d.Upper false }
        if d.Integer then
            let lo = d.Lower |> Option.map (fun b -> integerEnd b true)
            let hi = d.Upper |> Option.map (fun b -> integerEnd b false)
            match lo, hi with
            | Some(Result.Error e), _ | _, Some(Result.Error e) -> Result.Error e
            | _ ->
                let l = lo |> Option.map (function Result.Ok v -> v | _ -> BigInteger.Zero)
                let h = hi |> Option.map (function Result.Ok v -> v | _ -> BigInteger.Zero)
                match l, h with
                | Some a, Some b when a > b -> Result.Error $"no integer satisfies the assumption on '{d.Name}'"
                | _ ->
                    let wl, wh =
                        match l, h with
                        | Some a, Some b -> a, b
                        | Some a, None -> a, a + BigInteger 40
                        | None, Some b -> b - BigInteger 40, b
                        | None, None -> BigInteger -20, BigInteger 20
                    Result.Ok
                        { Declaration = d; Low = Rational.ofBigInt wl; High = Rational.ofBigInt wh; OpenBelow = l.IsNone; OpenAbove = h.IsNone
                          IntegerLow = l; IntegerHigh = h; Hull = hull }
        else
            let rec attempt p =
                let lo = d.Lower |> Option.map (fun b -> rationalEnd p b true)
                let hi = d.Upper |> Option.map (fun b -> rationalEnd p b false)
                match lo, hi with
                | Some(Result.Error e), _ | _, Some(Result.Error e) -> Result.Error e
                | _ ->
                    let value o = o |> Option.map (function Result.Ok(v, _) -> v | _ -> Rational.Zero)
                    let a, b =
                        match value lo, value hi with
                        | Some a, Some b -> a, b
                        | Some a, None -> a, a + window
                        | None, Some b -> b - window, b
                        | None, None -> -window, window
                    let exactEnds = (match lo with Some(Result.Ok(_, e)) -> e | _ -> true) && (match hi with Some(Result.Ok(_, e)) -> e | _ -> true)
                    if a < b || (a = b && exactEnds) then
                        Result.Ok { Declaration = d; Low = a; High = b; OpenBelow = d.Lower.IsNone; OpenAbove = d.Upper.IsNone
                                    IntegerLow = None; IntegerHigh = None; Hull = hull }
                    elif p >= 8192 then Result.Error $"the interval of '{d.Name}' is too narrow to sample"
                    else attempt (p * 2)
            attempt 128

    let private between (rng: Random) (lo: int) (hi: int) = rng.Next(lo, hi + 1)

    /// Simple values worth trying when they lie strictly inside (the sides often differ just there: 0 for x/x).
    let private special = [ 0; 1; -1 ] |> List.map Rational.ofInt |> List.append [ Rational.make 1 2; Rational.make -1 2; Rational.ofInt 2; Rational.ofInt -2 ]

    /// One sample: across the window, toward each end (geometrically closer), a simple value, or far out along an
    /// unbounded side.
    let sample (rng: Random) (r: SymbolRange) : Rational =
        let a, b = r.Low, r.High
        if r.Declaration.Integer then
            let lo, hi = a.Num, b.Num
            let width = hi - lo
            let u = rng.NextDouble()
            if u < 0.2 && r.IntegerLow.IsSome then Rational.ofBigInt lo
            elif u < 0.4 && r.IntegerHigh.IsSome then Rational.ofBigInt hi
            elif u < 0.5 && (r.OpenAbove || r.OpenBelow) then
                let far = BigInteger.Pow(BigInteger 2, between rng 6 24) + BigInteger(between rng 0 63)
                Rational.ofBigInt (if r.OpenAbove && (not r.OpenBelow || rng.Next 2 = 0) then hi + far else lo - far)
            else
                // Uniform in [lo, hi]; width may exceed the int range.
                let k = if width < BigInteger Int32.MaxValue then BigInteger(rng.Next(0, int width + 1)) else BigInteger(rng.NextInt64(0L, Int64.MaxValue)) % (width + BigInteger.One)
                Rational.ofBigInt (lo + k)
        elif a = b then a
        else
            let w = b - a
            let fraction (numerator: int64) (log2Den: int) = Rational(BigInteger numerator, BigInteger.One <<< log2Den)
            let u = rng.NextDouble()
            let inside (v: Rational) = a < v && v < b
            let specials = special |> List.filter inside
            let nearLow () = a + w * fraction (int64 (between rng 1 1023)) (10 + between rng 1 48)
            let nearHigh () = b - w * fraction (int64 (between rng 1 1023)) (10 + between rng 1 48)
            if u < 0.1 && not specials.IsEmpty then specials[rng.Next specials.Length]
            elif u < 0.25 then (if r.OpenBelow then a + w * fraction (int64 (between rng 1 1023)) 10 else nearLow ())
            elif u < 0.4 then (if r.OpenAbove then b - w * fraction (int64 (between rng 1 1023)) 10 else nearHigh ())
            elif u < 0.55 && (r.OpenAbove || r.OpenBelow) then
                // Far along an unbounded side: 2^j (1 + k/1024) beyond the window, j up to 16.
                let far = Rational.ofBigInt (BigInteger.One <<< between rng 0 16) * (Rational.One + fraction (int64 (between rng 0 1023)) 10)
                if r.OpenAbove && (not r.OpenBelow || rng.Next 2 = 0) then b + far else a - far
            else a + w * fraction (rng.NextInt64(1L, (1L <<< 30) - 1L)) 30

    /// All the integer points of a finite integer domain, when there are at most `limit`.
    let integerPoints (ranges: SymbolRange list) (limit: int) : (string * Rational) list list option =
        // Finite integer ranges and one-point real domains (`2 <= x <= 2`) are enumerated.
        let values (r: SymbolRange) : Rational list option =
            if r.Declaration.Integer then
                match r.IntegerLow, r.IntegerHigh with
                | Some lo, Some hi when hi - lo < BigInteger limit -> Some [ for v in lo .. hi -> Rational.ofBigInt v ]
                | _ -> None
            elif r.Low = r.High then Some [ r.Low ]
            else None
        let all = ranges |> List.map (fun r -> r.Declaration.Name, values r)
        if all |> List.exists (fun (_, v) -> v.IsNone) then None
        else
            let total = all |> List.fold (fun acc (_, v) -> acc * BigInteger v.Value.Length) BigInteger.One
            if total > BigInteger limit then None
            else
                let rec product (rs: (string * Rational list option) list) =
                    match rs with
                    | [] -> [ [] ]
                    | (name, vs) :: rest -> [ for v in vs.Value do for tail in product rest -> (name, v) :: tail ]
                Some(product all)

namespace FimVerify.Symbolic

open System
open System.Numerics

/// An end point of an interval: a dyadic, or −∞/+∞ for a bound that is unknown or beyond the representable range.
type Ext =
    | NegInf
    | Fin of Dyadic
    | PosInf

/// A closed set of reals [Lo, Hi] certain to contain the value it stands for (Lo never +∞, Hi never −∞). Every
/// operation rounds outward at a working precision of p bits, so a chain of operations encloses its exact result;
/// values beyond 2^(2^60) or below 2^(−2^60) in magnitude become infinite or zero end points rather than failing.
type Interval =
    { Lo: Ext
      Hi: Ext }

[<RequireQualifiedAccess>]
module Ext =
    /// Magnitudes are kept between 2^(−maxTop) and 2^maxTop; beyond, end points go to ±∞ or 0 (still enclosing).
    let maxTop = 1L <<< 60

    let compare (a: Ext) (b: Ext) =
        match a, b with
        | NegInf, NegInf | PosInf, PosInf -> 0
        | NegInf, _ | _, PosInf -> -1
        | _, NegInf | PosInf, _ -> 1
        | Fin x, Fin y -> Dyadic.compare x y

    let min a b = if compare a b <= 0 then a else b
    let max a b = if compare a b >= 0 then a else b
    let neg = function NegInf -> PosInf | PosInf -> NegInf | Fin d -> Fin(Dyadic.neg d)
    let sign = function NegInf -> -1 | PosInf -> 1 | Fin d -> Dyadic.sign d
    let zero = Fin Dyadic.zero

    /// A dyadic result as an end point rounded in `dir`, clamped into the representable range.
    let fin (dir: Rounding) (d: Dyadic) : Ext =
        if d.M.IsZero then zero
        else
            let t = Dyadic.top d
            if t > maxTop then
                match dir, d.M.Sign > 0 with
                | Down, true -> Fin(Dyadic.pow2 (maxTop - 1L))
                | Up, true -> PosInf
                | Down, false -> NegInf
                | Up, false -> Fin(Dyadic.neg (Dyadic.pow2 (maxTop - 1L)))
            elif t < -maxTop then
                match dir, d.M.Sign > 0 with
                | Down, true -> zero
                | Up, true -> Fin(Dyadic.pow2 -maxTop)
                | Down, false -> Fin(Dyadic.neg (Dyadic.pow2 -maxTop))
                | Up, false -> zero
            else Fin d

    let add (dir: Rounding) (p: int) (a: Ext) (b: Ext) =
        match a, b with
        | Fin x, Fin y -> fin dir (Dyadic.add dir p x y)
        | NegInf, PosInf | PosInf, NegInf -> (match dir with Down -> NegInf | Up -> PosInf)
        | NegInf, _ | _, NegInf -> NegInf
        | _ -> PosInf

    /// An end-point product; 0 times an infinite end point is 0 (the end point stands for unbounded reals).
    let mul (dir: Rounding) (p: int) (a: Ext) (b: Ext) =
        match a, b with
        | Fin x, Fin y -> fin dir (Dyadic.mul dir p x y)
        | Fin x, _ when x.M.IsZero -> zero
        | _, Fin y when y.M.IsZero -> zero
        | _ -> if sign a * sign b > 0 then PosInf else NegInf

    let toDouble = function NegInf -> -infinity | PosInf -> infinity | Fin d -> Dyadic.toDouble d

[<RequireQualifiedAccess>]
module Interval =
    let point (d: Dyadic) = { Lo = Fin d; Hi = Fin d }
    let ofInt (n: int) = point (Dyadic.ofInt n)
    let ofBigInt (n: BigInteger) = point (Dyadic.ofBigInt n)
    let zero = ofInt 0
    let one = ofInt 1
    let whole = { Lo = NegInf; Hi = PosInf }
    let make lo hi = { Lo = lo; Hi = hi }

    /// The tightest p-bit enclosure of a rational (exact when its denominator is a power of two and it fits).
    let ofRational (p: int) (r: Rational) =
        if r.Den.IsOne then { Lo = Ext.fin Down (Dyadic.ofBigInt r.Num); Hi = Ext.fin Up (Dyadic.ofBigInt r.Num) }
        else { Lo = Ext.fin Down (Dyadic.ofRational Down p r); Hi = Ext.fin Up (Dyadic.ofRational Up p r) }

    let isPoint (x: Interval) = Ext.compare x.Lo x.Hi = 0
    let isZero (x: Interval) = Ext.sign x.Lo = 0 && Ext.sign x.Hi = 0
    /// Certainly > 0, ≥ 0, < 0, ≤ 0.
    let positive (x: Interval) = Ext.sign x.Lo > 0
    let nonNegative (x: Interval) = Ext.sign x.Lo >= 0
    let negative (x: Interval) = Ext.sign x.Hi < 0
    let nonPositive (x: Interval) = Ext.sign x.Hi <= 0
    let containsZero (x: Interval) = Ext.sign x.Lo <= 0 && Ext.sign x.Hi >= 0
    let isFinite (x: Interval) = (match x.Lo with Fin _ -> true | _ -> false) && (match x.Hi with Fin _ -> true | _ -> false)
    /// a < b certainly, a ≤ b certainly.
    let less (a: Interval) (b: Interval) = Ext.compare a.Hi b.Lo < 0
    let lessEqual (a: Interval) (b: Interval) = Ext.compare a.Hi b.Lo <= 0
    let disjoint (a: Interval) (b: Interval) = less a b || less b a
    let hull (a: Interval) (b: Interval) = { Lo = Ext.min a.Lo b.Lo; Hi = Ext.max a.Hi b.Hi }
    /// a ∩ b (assumed to meet).
    let intersect (a: Interval) (b: Interval) = { Lo = Ext.max a.Lo b.Lo; Hi = Ext.min a.Hi b.Hi }

    let neg (x: Interval) = { Lo = Ext.neg x.Hi; Hi = Ext.neg x.Lo }
    let add p (a: Interval) (b: Interval) = { Lo = Ext.add Down p a.Lo b.Lo; Hi = Ext.add Up p a.Hi b.Hi }
    let sub p (a: Interval) (b: Interval) = add p a (neg b)

    let mul p (a: Interval) (b: Interval) =
        if isZero a || isZero b then zero
        else
            // The usual sign cases need two end-point products; only intervals straddling 0 need all four.
            match Ext.sign a.Lo >= 0, Ext.sign b.Lo >= 0, Ext.sign a.Hi <= 0, Ext.sign b.Hi <= 0 with
            | true, true, _, _ -> { Lo = Ext.mul Down p a.Lo b.Lo; Hi = Ext.mul Up p a.Hi b.Hi }
            | _, _, true, true -> { Lo = Ext.mul Down p a.Hi b.Hi; Hi = Ext.mul Up p a.Lo b.Lo }
            | true, _, _, true -> { Lo = Ext.mul Down p a.Hi b.Lo; Hi = Ext.mul Up p a.Lo b.Hi }
            | _, true, true, _ -> { Lo = Ext.mul Down p a.Lo b.Hi; Hi = Ext.mul Up p a.Hi b.Lo }
            | _ ->
                let ends = [ a.Lo, b.Lo; a.Lo, b.Hi; a.Hi, b.Lo; a.Hi, b.Hi ]
                { Lo = ends |> List.map (fun (x, y) -> Ext.mul Down p x y) |> List.reduce Ext.min
                  Hi = ends |> List.map (fun (x, y) -> Ext.mul Up p x y) |> List.reduce Ext.max }

    /// 1/x when 0 ∉ x (None otherwise: the caller decides whether the value is undefined or just not yet known).
    let tryReciprocal p (x: Interval) : Interval option =
        if containsZero x then None
        else
            let inv dir e =
                match e with
                | Fin d -> Ext.fin dir (Dyadic.div dir p Dyadic.one d)
                | _ -> Ext.zero
            Some { Lo = inv Down x.Hi; Hi = inv Up x.Lo }

    let tryDiv p (a: Interval) (b: Interval) = tryReciprocal p b |> Option.map (mul p a)

    /// Multiplication by 2^k (exact, then clamped).
    let scale (k: int64) (x: Interval) =
        let s dir e = match e with Fin d -> Ext.fin dir (Dyadic.scale k d) | e -> e
        { Lo = s Down x.Lo; Hi = s Up x.Hi }

    let abs (x: Interval) =
        if nonNegative x then x
        elif nonPositive x then neg x
        else { Lo = Ext.zero; Hi = Ext.max (Ext.neg x.Lo) x.Hi }

    /// The end points rounded outward to p bits (keeps sizes bounded after exact steps).
    let round p (x: Interval) =
        let r dir e = match e with Fin d -> Ext.fin dir (Dyadic.round dir p d) | e -> e
        { Lo = r Down x.Lo; Hi = r Up x.Hi }

    /// Widens by ±r (r ≥ 0), for remainders of truncated series.
    let widen p (r: Dyadic) (x: Interval) = add p x { Lo = Fin(Dyadic.neg r); Hi = Fin r }

    let private powPositiveEnd dir p (e: Ext) (n: BigInteger) =
        match e with
        | Fin d ->
            let mutable result = Ext.fin dir Dyadic.one
            let mutable b = Fin d
            let mutable k = n
            while not k.IsZero do
                if not k.IsEven then result <- Ext.mul dir p result b
                k <- k >>> 1
                if not k.IsZero then b <- Ext.mul dir p b b
            result
        | e -> e

    /// x^n for an integer n ≥ 0 by repeated squaring with directed rounding (n may be astronomically large).
    let powNatural p (x: Interval) (n: BigInteger) =
        if n.IsZero then one
        elif nonNegative x then { Lo = powPositiveEnd Down p x.Lo n; Hi = powPositiveEnd Up p x.Hi n }
        elif n.IsEven then
            let a = abs x
            { Lo = powPositiveEnd Down p a.Lo n; Hi = powPositiveEnd Up p a.Hi n }
        elif nonPositive x then neg { Lo = powPositiveEnd Down p (Ext.neg x.Hi) n; Hi = powPositiveEnd Up p (Ext.neg x.Lo) n }
        else { Lo = Ext.neg (powPositiveEnd Up p (Ext.neg x.Lo) n); Hi = powPositiveEnd Up p x.Hi n }

    /// The midpoint as a double (for the numeric routes that start from a value).
    let midpoint (x: Interval) =
        let lo, hi = Ext.toDouble x.Lo, Ext.toDouble x.Hi
        if Double.IsInfinity lo || Double.IsInfinity hi then (if lo = hi then lo else nan) else (lo + hi) / 2.0

    /// hi − lo as a double (∞ when an end is infinite).
    let width (x: Interval) =
        match x.Lo, x.Hi with
        | Fin a, Fin b -> Dyadic.toDouble (Dyadic.sub Up 53 b a)
        | _ -> infinity

    /// The larger magnitude of the end points, as a double.
    let magnitude (x: Interval) = Operators.max (Operators.abs (Ext.toDouble x.Lo)) (Operators.abs (Ext.toDouble x.Hi))

    /// The number of correct leading bits the enclosure guarantees relative to its magnitude (0 when it straddles 0).
    let relativeBits (x: Interval) =
        match x.Lo, x.Hi with
        | Fin a, Fin b when Dyadic.sign a = Dyadic.sign b && not a.M.IsZero ->
            let w = Dyadic.sub Up 53 b a
            if w.M.IsZero then Int64.MaxValue else Operators.min (Dyadic.top a) (Dyadic.top b) - Dyadic.top w
        | _ -> 0L

    /// Decimal text of an end point with `digits` significant digits.
    let private extText (digits: int) (e: Ext) =
        match e with
        | NegInf -> "-inf"
        | PosInf -> "inf"
        | Fin d when d.M.IsZero -> "0"
        | Fin d ->
            let t = Dyadic.top d
            if t > 3000L || t < -3000L then
                // Beyond what a decimal print needs: the binary exponent says it.
                let m = Dyadic.round Down 53 d
                $"{Math.ScaleB(float m.M, -int (BigInteger.Abs(m.M).GetBitLength()))}*2^{t}"
            else
                let r = Dyadic.toRational d
                let negative = r.Sign < 0
                let a = Rational.abs r
                // Scale to an integer with `digits` digits, rounded to nearest (so 4.99…97e-4 and 5.00…02e-4 both
                // print as 5.00…0e-4); the decimal exponent estimated from the binary one may be off by one.
                let digitsAt (shift: int) =
                    let scaled =
                        if shift >= 0 then (BigInteger 2 * a.Num * BigInteger.Pow(BigInteger 10, shift) + a.Den) / (BigInteger 2 * a.Den)
                        else (BigInteger 2 * a.Num + a.Den * BigInteger.Pow(BigInteger 10, -shift)) / (BigInteger 2 * a.Den * BigInteger.Pow(BigInteger 10, -shift))
                    scaled.ToString()
                let estimate = digits - 1 - int (Math.Floor(float t * 0.30102999566398120))
                let first = digitsAt estimate
                let shift = estimate + (digits - first.Length)
                let s = if first.Length = digits then first else digitsAt shift
                let exponent = s.Length - 1 - shift
                let mantissa = if s.Length > 1 then $"{s.Substring(0, 1)}.{s.Substring(1, Operators.min (digits - 1) (s.Length - 1))}" else s
                let sign = if negative then "-" else ""
                $"""{sign}{mantissa}e{exponent.ToString "+0;-0"}"""

    /// The enclosure as text: one number with the digits both ends share (at most `digits`, at least 6), else [lo, hi].
    let toText (digits: int) (x: Interval) =
        let shared = [ digits .. -1 .. 6 ] |> List.tryFind (fun d -> extText d x.Lo = extText d x.Hi)
        match shared with
        | Some d -> extText d x.Lo
        | None -> $"[{extText digits x.Lo}, {extText digits x.Hi}]"

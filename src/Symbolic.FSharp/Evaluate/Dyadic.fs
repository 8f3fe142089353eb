namespace FimVerify.Symbolic

open System
open System.Numerics

/// The direction a result is rounded in, so that interval end points stay outside the true value.
type Rounding =
    | Down
    | Up

/// An exact binary number M·2^E (E a 64-bit exponent, so values far beyond the double range are representable).
/// The building block of `Interval`: every operation rounds its exact result to p significant bits in a stated
/// direction, never to nearest.
[<Struct; CustomEquality; NoComparison>]
type Dyadic =
    val M: BigInteger
    val E: int64
    new(m: BigInteger, e: int64) = { M = m; E = e }
    override d.Equals(o: obj) =
        match o with
        | :? Dyadic as b -> (d.M.IsZero && b.M.IsZero) || (d.M = b.M && d.E = b.E)
        | _ -> false
    override d.GetHashCode() = HashCode.Combine(d.M, d.E)
    override d.ToString() = $"{d.M}*2^{d.E}"

[<RequireQualifiedAccess>]
module Dyadic =
    let zero = Dyadic(BigInteger.Zero, 0L)
    let one = Dyadic(BigInteger.One, 0L)
    let ofBigInt (n: BigInteger) = Dyadic(n, 0L)
    let ofInt (n: int) = Dyadic(BigInteger n, 0L)
    let isZero (d: Dyadic) = d.M.IsZero
    let sign (d: Dyadic) = d.M.Sign
    let neg (d: Dyadic) = Dyadic(-d.M, d.E)
    let abs (d: Dyadic) = Dyadic(BigInteger.Abs d.M, d.E)
    /// 2^k.
    let pow2 (k: int64) = Dyadic(BigInteger.One, k)
    /// d·2^k, exact.
    let scale (k: int64) (d: Dyadic) = if d.M.IsZero then d else Dyadic(d.M, d.E + k)

    let private bitLength (m: BigInteger) = int64 (BigInteger.Abs(m).GetBitLength())

    /// The position just above the leading bit: 2^(top − 1) ≤ |d| < 2^top (for d ≠ 0).
    let top (d: Dyadic) = bitLength d.M + d.E

    /// d rounded to p significant bits in the given direction (exact when it already fits).
    let round (dir: Rounding) (p: int) (d: Dyadic) =
        let bits = bitLength d.M
        if bits <= int64 p then d
        else
            let k = int (bits - int64 p)
            let m = match dir with Down -> d.M >>> k | Up -> -((-d.M) >>> k)
            Dyadic(m, d.E + int64 k)

    /// Exact comparison.
    let compare (a: Dyadic) (b: Dyadic) : int =
        let sa, sb = a.M.Sign, b.M.Sign
        if sa <> sb then Operators.compare sa sb
        elif sa = 0 then 0
        else
            let ta, tb = top a, top b
            if ta <> tb then (if sa > 0 then Operators.compare ta tb else Operators.compare tb ta)
            else
                // Same leading position: the exponents differ by at most the mantissas' lengths.
                let e = min a.E b.E
                BigInteger.Compare(a.M <<< int (a.E - e), b.M <<< int (b.E - e))

    let min a b = if compare a b <= 0 then a else b
    let max a b = if compare a b >= 0 then a else b

    /// One unit in the p-th significant place of d (d ≠ 0).
    let private ulp (p: int) (d: Dyadic) = pow2 (top d - int64 p)

    /// Exact sum when the exponents are close; otherwise (a term far below the other's p-bit window) the larger term
    /// nudged one unit in the rounding direction, which still bounds the exact sum.
    let rec add (dir: Rounding) (p: int) (a: Dyadic) (b: Dyadic) : Dyadic =
        if a.M.IsZero then round dir p b
        elif b.M.IsZero then round dir p a
        else
            let big, small = if top a >= top b then a, b else b, a
            if top big - top small > int64 p + 4L then
                let r = round dir p big
                match dir with
                | Down when small.M.Sign < 0 -> add dir p r (neg (ulp p r))
                | Up when small.M.Sign > 0 -> add dir p r (ulp p r)
                | _ -> r
            else
                let e = Operators.min a.E b.E
                round dir p (Dyadic((a.M <<< int (a.E - e)) + (b.M <<< int (b.E - e)), e))

    let sub dir p a b = add dir p a (neg b)

    let mul (dir: Rounding) (p: int) (a: Dyadic) (b: Dyadic) = round dir p (Dyadic(a.M * b.M, a.E + b.E))

    /// a/b rounded (b ≠ 0).
    let div (dir: Rounding) (p: int) (a: Dyadic) (b: Dyadic) : Dyadic =
        if b.M.IsZero then raise (DivideByZeroException "dyadic division by zero")
        elif a.M.IsZero then zero
        else
            let s = Operators.max 0L (int64 p + 2L + bitLength b.M - bitLength a.M)
            let q, r = BigInteger.DivRem(a.M <<< int s, b.M)
            let negative = a.M.Sign * b.M.Sign < 0
            // DivRem truncates toward zero: below the true value when positive, above it when negative.
            let q =
                if r.IsZero then q
                else
                    match dir with
                    | Down -> if negative then q - BigInteger.One else q
                    | Up -> if negative then q else q + BigInteger.One
            round dir p (Dyadic(q, a.E - b.E - s))

    /// √a rounded (a ≥ 0).
    let sqrt (dir: Rounding) (p: int) (a: Dyadic) : Dyadic =
        if a.M.Sign < 0 then raise (ArithmeticException "square root of a negative dyadic")
        elif a.M.IsZero then zero
        else
            let want = 2L * int64 p + 4L
            let s0 = Operators.max 0L (want - bitLength a.M)
            let s = if (a.E - s0) % 2L = 0L then s0 else s0 + 1L
            let n = a.M <<< int s
            let mutable x = BigInteger.One <<< (int (n.GetBitLength()) / 2 + 1)
            let mutable go = true
            while go do
                let y = (x + n / x) >>> 1
                if y >= x then go <- false else x <- y
            let exact = x * x = n
            let x = if not exact && dir = Up then x + BigInteger.One else x
            round dir p (Dyadic(x, (a.E - s) / 2L))

    /// The nearest-below or nearest-above p-bit dyadic to a rational.
    let ofRational (dir: Rounding) (p: int) (r: Rational) = div dir p (ofBigInt r.Num) (ofBigInt r.Den)

    /// Exponents beyond which an exact integer or rational form is not built (it would take gigabytes).
    let private maxMaterialised = 10_000_000L

    let private materialisable (d: Dyadic) =
        if Operators.abs d.E > maxMaterialised then raise (ArithmeticException "a number too large or too small to write out exactly")

    /// The exact rational value (only for moderate exponents).
    let toRational (d: Dyadic) : Rational =
        materialisable d
        if d.E >= 0L then Rational.ofBigInt (d.M <<< int d.E) else Rational(d.M, BigInteger.One <<< int -d.E)

    /// The nearest double (±∞ or 0 beyond the double range).
    let toDouble (d: Dyadic) : float =
        if d.M.IsZero then 0.0
        else
            let t = top d
            if t > 1100L then (if d.M.Sign > 0 then infinity else -infinity)
            elif t < -1100L then 0.0
            else
                let r = round Down 64 d
                Math.ScaleB(float r.M, int r.E)

    /// The exact value of a finite double.
    let ofDouble (x: float) : Dyadic =
        if not (Double.IsFinite x) then invalidArg "x" "not a finite number"
        let bitsOf = BitConverter.DoubleToInt64Bits x
        let exponent = int ((bitsOf >>> 52) &&& 0x7FFL)
        let fraction = bitsOf &&& 0xFFFFFFFFFFFFFL
        let m, e = if exponent = 0 then fraction, -1074 else (fraction ||| (1L <<< 52)), exponent - 1075
        Dyadic((if x < 0.0 then -(BigInteger m) else BigInteger m), int64 e)

    /// ⌊d⌋ and ⌈d⌉ as integers (moderate exponents only).
    let floor (d: Dyadic) =
        if d.E < -maxMaterialised then (if d.M.Sign < 0 then BigInteger.MinusOne else BigInteger.Zero)
        else
            materialisable d
            if d.E >= 0L then d.M <<< int d.E else d.M >>> int -d.E
    let ceiling (d: Dyadic) = -(floor (neg d))

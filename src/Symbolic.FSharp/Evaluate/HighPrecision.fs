namespace FimVerify.Symbolic

open System
open System.Numerics

/// A real number in binary fixed point, m·2^(−384): about 115 significant decimal digits for values of
/// magnitude near 1, and at least 50 for any value above 1e-60. Used to decide identities by evaluation
/// at random points, so every function below is computed to (nearly) the last bit by exact integer work.
[<Struct; CustomEquality; CustomComparison>]
type Real =
    val Mantissa: BigInteger
    new(m: BigInteger) = { Mantissa = m }

    /// Number of fractional bits.
    static member Bits = 384
    static member private Unit = BigInteger.One <<< Real.Bits
    static member Zero = Real(BigInteger.Zero)
    static member One = Real(Real.Unit)
    static member OfInt(n: int) = Real(BigInteger n <<< Real.Bits)
    /// The nearest fixed-point value to p/q (rounded half away from zero).
    static member OfRational(r: Rational) =
        let scaled = r.Num <<< (Real.Bits + 1)
        let q = BigInteger.Divide(scaled, r.Den)
        Real((q + BigInteger q.Sign) / BigInteger 2)

    /// The exact value of a finite double (truncated below 2^(−384)).
    static member OfDouble(x: float) =
        if not (Double.IsFinite x) then invalidArg "x" "not a finite number"
        let bitsOf = BitConverter.DoubleToInt64Bits x
        let exponent = int ((bitsOf >>> 52) &&& 0x7FFL)
        let fraction = bitsOf &&& 0xFFFFFFFFFFFFFL
        let m, e = if exponent = 0 then fraction, -1074 else (fraction ||| (1L <<< 52)), exponent - 1075
        let magnitude = BigInteger m
        let shift = Real.Bits + e
        let v = if shift >= 0 then magnitude <<< shift else magnitude >>> -shift
        Real(if x < 0.0 then -v else v)

    static member (+)(a: Real, b: Real) = Real(a.Mantissa + b.Mantissa)
    static member (-)(a: Real, b: Real) = Real(a.Mantissa - b.Mantissa)
    static member (~-)(a: Real) = Real(-a.Mantissa)
    static member (*)(a: Real, b: Real) = Real((a.Mantissa * b.Mantissa) >>> Real.Bits)
    static member (/)(a: Real, b: Real) =
        if b.Mantissa.IsZero then raise (DivideByZeroException "division by zero in high-precision evaluation")
        Real(BigInteger.Divide(a.Mantissa <<< Real.Bits, b.Mantissa))

    /// Multiplication by 2^k.
    member a.ScaleB(k: int) = if k >= 0 then Real(a.Mantissa <<< k) else Real(a.Mantissa >>> -k)
    member a.Sign = a.Mantissa.Sign
    member a.IsZero = a.Mantissa.IsZero
    member a.Abs = Real(BigInteger.Abs a.Mantissa)
    /// The exact rational value m/2^Bits.
    member a.ToRational() = Rational(a.Mantissa, Real.Unit)
    member a.ToDouble() = a.ToRational().ToDouble()
    /// The integer nearest to the value.
    member a.Round() : BigInteger = (a.Mantissa + (BigInteger.One <<< (Real.Bits - 1))) >>> Real.Bits

    /// Decimal text with `digits` significant digits (truncated), e.g. `3.14159…e+0`.
    member a.ToString(digits: int) =
        if a.IsZero then "0"
        else
            let extra = 130
            let scaled = BigInteger.Abs(a.Mantissa) * BigInteger.Pow(BigInteger 10, extra) >>> Real.Bits
            let s = scaled.ToString()
            let exponent = s.Length - 1 - extra
            let mantissa = s.Substring(0, min digits s.Length).PadRight(digits, '0')
            let sign = if a.Sign < 0 then "-" else ""
            let exponentText = exponent.ToString "+0;-0"
            $"{sign}{mantissa.Substring(0, 1)}.{mantissa.Substring 1}e{exponentText}"

    override a.ToString() = a.ToString 50
    override a.Equals(o: obj) = match o with :? Real as b -> a.Mantissa = b.Mantissa | _ -> false
    override a.GetHashCode() = a.Mantissa.GetHashCode()
    interface IComparable with
        member a.CompareTo(o: obj) = match o with :? Real as b -> BigInteger.Compare(a.Mantissa, b.Mantissa) | _ -> invalidArg "o" "not a Real"

/// The elementary functions on Real, each by a convergent series after argument reduction.
[<RequireQualifiedAccess>]
module Real =
    let private unit = Real.One.Mantissa
    let private bits = Real.Bits

    /// Σ_{n≥0} s·x^(2n+1)·(±1)^n/(2n+1) for a small x: the common kernel of arctan and artanh.
    let private oddSeries (alternating: bool) (x: Real) =
        let x2 = x * x
        let mutable power = x
        let mutable sum = Real.Zero
        let mutable n = 0
        while not power.IsZero do
            let term = Real(power.Mantissa / BigInteger(2 * n + 1))
            sum <- if alternating && n % 2 = 1 then sum - term else sum + term
            power <- power * x2
            n <- n + 1
        sum

    let private arctanInverse (k: int) = oddSeries true (Real.One / Real.OfInt k)

    /// π by Machin's formula π = 16 arctan(1/5) − 4 arctan(1/239).
    let pi = (arctanInverse 5).ScaleB 4 - (arctanInverse 239).ScaleB 2
    /// ln 2 = 2 artanh(1/3).
    let ln2 = (oddSeries false (Real.One / Real.OfInt 3)).ScaleB 1

    let sqrt (a: Real) =
        if a.Sign < 0 then raise (ArithmeticException "square root of a negative number")
        elif a.IsZero then a
        else
            // Integer square root of m·2^bits by Newton's method from above.
            let n = a.Mantissa <<< bits
            let mutable x = BigInteger.One <<< (int (n.GetBitLength()) / 2 + 1)
            let mutable go = true
            while go do
                let y = (x + n / x) >>> 1
                if y >= x then go <- false else x <- y
            Real(x)

    let exp (a: Real) =
        // a = k ln2 + r with |r| ≤ ln2/2; e^r by Taylor on r/2^12, then 12 squarings.
        let k = (a / ln2).Round()
        if k > BigInteger 100000 then raise (OverflowException "exp argument too large")
        let r = (a - Real(k * ln2.Mantissa)).ScaleB -12
        let mutable term = Real.One
        let mutable sum = Real.One
        let mutable n = 1
        while not term.IsZero do
            term <- Real((term * r).Mantissa / BigInteger n)
            sum <- sum + term
            n <- n + 1
        for _ in 1 .. 12 do
            sum <- sum * sum
        sum.ScaleB(int k)

    let log (a: Real) =
        if a.Sign <= 0 then raise (ArithmeticException "logarithm of a non-positive number")
        // a = m·2^k with m in [1, 2); log m = 2 artanh((m − 1)/(m + 1)).
        let k = int (a.Mantissa.GetBitLength()) - 1 - bits
        let m = a.ScaleB -k
        let s = (m - Real.One) / (m + Real.One)
        Real(BigInteger k * ln2.Mantissa) + (oddSeries false s).ScaleB 1

    /// sin r and cos r for |r| ≤ π/4 by their Taylor series.
    let private sinCosSmall (r: Real) =
        let r2 = r * r
        let series (start: Real) (firstIndex: int) =
            let mutable term = start
            let mutable sum = start
            let mutable n = firstIndex
            while not term.IsZero do
                term <- -(Real((term * r2).Mantissa / BigInteger((n + 1) * (n + 2))))
                sum <- sum + term
                n <- n + 2
            sum
        series r 1, series Real.One 0

    /// sin and cos after reduction by quarter turns: a = q·π/2 + r.
    let private sinCos (a: Real) =
        let halfPi = pi.ScaleB -1
        let q = (a / halfPi).Round()
        let r = a - Real(q * halfPi.Mantissa)
        let s, c = sinCosSmall r
        match int (BigInteger.Remainder(q, BigInteger 4) + BigInteger 4) % 4 with
        | 0 -> s, c
        | 1 -> c, -s
        | 2 -> -s, -c
        | _ -> -c, s

    let sin a = fst (sinCos a)
    let cos a = snd (sinCos a)

    let arctan (a: Real) =
        // Reflect |a| > 1 to 1/|a|, then halve the angle twice: arctan x = 2 arctan(x/(1 + √(1 + x²))).
        let reflect = a.Abs > Real.One
        let x = if reflect then Real.One / a.Abs else a.Abs
        let halve (y: Real) = y / (Real.One + sqrt (Real.One + y * y))
        let small = oddSeries true (halve (halve x))
        let angle = small.ScaleB 2
        let positive = if reflect then pi.ScaleB -1 - angle else angle
        if a.Sign < 0 then -positive else positive

    let arcsin (a: Real) =
        let abs = a.Abs
        if abs > Real.One then raise (ArithmeticException "arcsin outside [-1, 1]")
        elif abs = Real.One then (if a.Sign > 0 then pi.ScaleB -1 else -(pi.ScaleB -1))
        else arctan (a / sqrt (Real.One - a * a))

    let arccos (a: Real) = pi.ScaleB -1 - arcsin a

    /// erf x = (2/√π) e^(−x²) Σ 2ⁿ x^(2n+1)/(1·3···(2n+1)) (positive terms, no cancellation); for |x| > 12,
    /// 1 − |erf x| < 1e-64, below the 50 digits this evaluator promises, so ±1 is returned.
    let erf (a: Real) =
        if a.Abs > Real.OfInt 12 then (if a.Sign > 0 then Real.One else -Real.One)
        else
            let x = a.Abs
            let twoX2 = (x * x).ScaleB 1
            let mutable term = x
            let mutable sum = x
            let mutable n = 0
            while not term.IsZero do
                term <- Real((term * twoX2).Mantissa / BigInteger(2 * n + 3))
                sum <- sum + term
                n <- n + 1
            let value = (sum * exp (-(x * x))).ScaleB 1 / sqrt pi
            if a.Sign < 0 then -value else value

    /// a^n for an integer n, by repeated squaring.
    let powInt (a: Real) (n: BigInteger) =
        let rec go (b: Real) (k: BigInteger) (acc: Real) =
            if k.IsZero then acc
            else go (b * b) (k >>> 1) (if k.IsEven then acc else acc * b)
        if n.Sign >= 0 then go a n Real.One else Real.One / go a (-n) Real.One

    let e = exp Real.One

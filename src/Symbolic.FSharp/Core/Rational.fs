namespace FimVerify.Symbolic

open System
open System.Numerics

/// An exact rational number p/q with q > 0 and gcd(p, q) = 1, so structural equality is numeric equality.
[<Struct; CustomEquality; CustomComparison>]
type Rational =
    val Num: BigInteger
    val Den: BigInteger

    /// Builds p/q in lowest terms with a positive denominator.
    new(p: BigInteger, q: BigInteger) =
        if q.IsZero then raise (DivideByZeroException "Rational with zero denominator")
        let g = BigInteger.GreatestCommonDivisor(p, q)
        let g = if q.Sign < 0 then -g else g
        { Num = p / g; Den = q / g }

    /// Trusted constructor for values already in lowest terms (hot paths).
    private new(p: BigInteger, q: BigInteger, _normalised: unit) = { Num = p; Den = q }

    static member Zero = Rational(BigInteger.Zero, BigInteger.One, ())
    static member One = Rational(BigInteger.One, BigInteger.One, ())
    static member OfInt(n: int) = Rational(BigInteger n, BigInteger.One, ())
    static member OfBigInt(n: BigInteger) = Rational(n, BigInteger.One, ())
    /// Used by generic series code (see PowerSeries) through member constraints.
    static member FromInt(n: int) = Rational(BigInteger n, BigInteger.One, ())
    static member DivideByInt(r: Rational, n: int) = Rational(r.Num, r.Den * BigInteger n)

    member r.IsZero = r.Num.IsZero
    member r.IsInteger = r.Den.IsOne
    member r.Sign = r.Num.Sign

    static member (+)(a: Rational, b: Rational) =
        if a.Den = b.Den then Rational(a.Num + b.Num, a.Den)
        else Rational(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den)

    static member (-)(a: Rational, b: Rational) =
        if a.Den = b.Den then Rational(a.Num - b.Num, a.Den)
        else Rational(a.Num * b.Den - b.Num * a.Den, a.Den * b.Den)

    static member (*)(a: Rational, b: Rational) =
        // Cross-cancel first so the products stay small.
        let g1 = BigInteger.GreatestCommonDivisor(a.Num, b.Den)
        let g2 = BigInteger.GreatestCommonDivisor(b.Num, a.Den)
        let g1 = if g1.IsZero then BigInteger.One else g1
        let g2 = if g2.IsZero then BigInteger.One else g2
        Rational((a.Num / g1) * (b.Num / g2), (a.Den / g2) * (b.Den / g1), ())

    static member (/)(a: Rational, b: Rational) =
        if b.Num.IsZero then raise (DivideByZeroException "division by the rational zero")
        Rational(a.Num * b.Den, a.Den * b.Num)

    static member (~-)(a: Rational) = Rational(-a.Num, a.Den, ())

    static member Pow(a: Rational, k: int) =
        if k >= 0 then Rational(BigInteger.Pow(a.Num, k), BigInteger.Pow(a.Den, k), ())
        else
            let inv = Rational.One / a
            Rational(BigInteger.Pow(inv.Num, -k), BigInteger.Pow(inv.Den, -k), ())

    /// The nearest double (correctly rounded up to BigInteger division of a 64-bit-scaled quotient).
    member r.ToDouble() =
        if r.Num.IsZero then 0.0
        else
            // Scale so the integer quotient carries at least 64 significant bits, then divide in floating point.
            let shift = int (r.Den.GetBitLength()) - int (BigInteger.Abs(r.Num).GetBitLength()) + 64
            let scaled = if shift > 0 then (r.Num <<< shift) / r.Den else r.Num / (r.Den <<< -shift)
            let mantissa = double scaled
            Math.ScaleB(mantissa, -shift)

    override r.ToString() = if r.Den.IsOne then r.Num.ToString() else $"{r.Num}/{r.Den}"

    override r.Equals(o: obj) =
        match o with
        | :? Rational as s -> r.Num = s.Num && r.Den = s.Den
        | _ -> false

    override r.GetHashCode() = HashCode.Combine(r.Num, r.Den)

    interface IEquatable<Rational> with
        member r.Equals(s: Rational) = r.Num = s.Num && r.Den = s.Den

    interface IComparable<Rational> with
        member r.CompareTo(s: Rational) = BigInteger.Compare(r.Num * s.Den, s.Num * r.Den)

    interface IComparable with
        member r.CompareTo(o: obj) =
            match o with
            | :? Rational as s -> BigInteger.Compare(r.Num * s.Den, s.Num * r.Den)
            | _ -> invalidArg "o" "not a Rational"

[<RequireQualifiedAccess>]
module Rational =
    let inline ofInt (n: int) = Rational.OfInt n
    let inline ofBigInt (n: BigInteger) = Rational.OfBigInt n
    let make (p: int) (q: int) = Rational(BigInteger p, BigInteger q)
    let toDouble (r: Rational) = r.ToDouble()
    let pow (r: Rational) (k: int) = Rational.Pow(r, k)
    let abs (r: Rational) = if r.Sign < 0 then -r else r

    /// Binomial coefficient C(n, k) as an exact integer.
    let binomial (n: int) (k: int) : BigInteger =
        if k < 0 || k > n then BigInteger.Zero
        else
            let k = min k (n - k)
            let mutable acc = BigInteger.One
            for i in 1 .. k do
                acc <- acc * BigInteger(n - k + i) / BigInteger i
            acc

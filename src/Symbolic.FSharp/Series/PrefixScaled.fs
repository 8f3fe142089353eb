namespace FimVerify.Symbolic

open System.Numerics
open System.Collections.Generic

/// The first coefficients c_0 … c_(k−1) of a rational series as integers over their least common denominator D
/// (c_i = N_i / D), extended one coefficient at a time. When a new denominator d arrives, D becomes lcm(D, d) and
/// every numerator is multiplied by lcm(D, d)/D, which for the factorial-like denominators of series is a small
/// integer. A convolution of two prefixes is then an integer dot product with one reduction at the end, instead of
/// a gcd in every rational addition and product; and a coefficient k only carries the denominators of c_0 … c_k,
/// so the low coefficients stay small.
[<Sealed>]
type PrefixScaled(capacity: int) =
    let numerators = List<BigInteger>(capacity)
    let mutable denominator = BigInteger.One

    member _.Count = numerators.Count
    /// N_i, the numerator of c_i over the current common denominator.
    member _.Item(i: int) = numerators[i]
    member _.Denominator = denominator

    member _.Append(c: Rational) =
        if not c.Den.IsOne && not (denominator % c.Den).IsZero then
            let ratio = c.Den / BigInteger.GreatestCommonDivisor(denominator, c.Den)
            for i in 0 .. numerators.Count - 1 do
                if not numerators[i].IsZero then numerators[i] <- numerators[i] * ratio
            denominator <- denominator * ratio
        numerators.Add(if c.Num.IsZero then BigInteger.Zero else c.Num * (denominator / c.Den))

    /// Σ_{i=lo}^{hi} weight(i)·N_i·M_(k−i) for another prefix M (integer; divide by both denominators for the value).
    member this.Dot(other: PrefixScaled, k: int, lo: int, hi: int, weight: int -> int64) : BigInteger =
        let mutable s = BigInteger.Zero
        for i in lo .. hi do
            let a = numerators[i]
            if not a.IsZero then
                let b = other[k - i]
                if not b.IsZero then
                    let w = weight i
                    if w = 1L then s <- s + a * b elif w <> 0L then s <- s + (a * b) * BigInteger w
        s

    /// Σ_{i=lo}^{hi} N_i·M_(k−i).
    member this.Dot(other: PrefixScaled, k: int, lo: int, hi: int) : BigInteger =
        let mutable s = BigInteger.Zero
        for i in lo .. hi do
            let a = numerators[i]
            if not a.IsZero then
                let b = other[k - i]
                if not b.IsZero then s <- s + a * b
        s

    /// A prefix of the whole of `coeffs`.
    static member Of(coeffs: Rational[]) =
        let p = PrefixScaled(coeffs.Length)
        for c in coeffs do p.Append c
        p

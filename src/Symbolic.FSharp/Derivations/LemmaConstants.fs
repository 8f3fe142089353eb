/// Concrete constants for Lemma 2 / Theorem 3 of seed 000, derived here (they are OURS: the paper states
/// the bound C·D/(δ²p) without a value of C).
module FimVerify.Symbolic.LemmaConstants

open System.Numerics

/// D = (d+1)(d+2)(d²+3d+4)/8 = M(M+1)/2 with M = (d+1)(d+2)/2 direction vectors: the number of distinct
/// Gram entries, i.e. the number of events in the union bound.
let gramEntryCount (d: int) : BigInteger =
    if d < 1 then invalidArg "d" "the input dimension must be at least 1"
    BigInteger(d + 1) * BigInteger(d + 2) * (BigInteger d * BigInteger d + BigInteger(3 * d + 4)) / BigInteger 8

/// The per-column variances of the Gram-entry kinds that exist in dimension d, exact.
let gramEntryVariances (d: int) : (GramEntryMoments * Rational) list =
    if d < 1 then invalidArg "d" "the input dimension must be at least 1"
    DirectionVectorMoments.allGramEntries ()
    |> List.filter (fun e -> e.MinimumDimension <= d)
    |> List.map (fun e -> e, e.Variance.Evaluate(Rational.ofInt d))

/// C(d) = the largest per-column variance of a Gram entry of the direction vectors. Each entry is an average
/// of p i.i.d. columns, so Chebyshev gives P(|entry − E entry| ≥ δ) ≤ C/(δ²p), and the union bound over the
/// D entries gives failure probability ≤ C·D/(δ²p): the shape of Lemma 2, with a constant that is ours.
let chebyshevConstant (d: int) : Rational =
    gramEntryVariances d |> List.map snd |> List.max

/// The union-bound failure probability C(d)·D/(δ²p) (may exceed 1: then the bound is vacuous).
let failureProbabilityBound (d: int) (p: int) (delta: float) : float =
    if p < 1 then invalidArg "p" "the width must be at least 1"
    if not (delta > 0.0) then invalidArg "delta" "δ must be positive"
    (chebyshevConstant d).ToDouble() * float (gramEntryCount d) / (delta * delta * float p)

/// C(d) together with the Gram entry that attains it, printed as `left·right` (e.g. `W_a·W_a`).
let chebyshevConstantWithEntry (d: int) : Rational * string =
    let entry, value = gramEntryVariances d |> List.maxBy snd
    value, $"{entry.Left}·{entry.Right}"

module FimVerify.Properties.ShallowShapes

open System
open FsCheck
open FsCheck.FSharp

/// Shapes (d, p, seed) of shallow ReLU networks for the deterministic identities of Lemma 1 and Theorem 2: they hold for
/// every W, so any failing case is a counterexample (no statistics needed). FsCheck's own seed is fixed by Replay at each
/// property. p = pMin(d) + extra with extra ≤ extraMax; pMin is 1 or d.
let shapes dMin dMax (pAtLeastD: bool) extraMax =
    gen {
        let! d = Gen.choose (dMin, dMax)
        let! extra = Gen.choose (0, extraMax)
        let! seed = Gen.choose (0, Int32.MaxValue)
        return d, (if pAtLeastD then d else 1) + extra, int64 seed
    }
    |> Arb.fromGen

/// Lemma 1: d from 1 (a single input) to 8, p from 1 to 60 (p < d included: J is still a Gram kernel).
type Lemma1 =
    static member Shape() = shapes 1 8 false 59

/// Theorem 2 needs d ≥ 2 and p ≥ d (the direction vectors are defined, the main part has rank ≤ M − 1).
type Theorem2 =
    static member Shape() = shapes 2 6 true 70

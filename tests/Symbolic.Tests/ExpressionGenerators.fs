/// Random canonical expressions for the property tests (always built through the smart constructors).
module FimVerify.Symbolic.Tests.ExpressionGenerators

open FsCheck
open FsCheck.FSharp
open FimVerify.Symbolic

module X = Expression

let symbolNames = [ "x"; "y"; "z" ]

let smallRational =
    gen {
        let! p = Gen.choose (-6, 6)
        let! q = Gen.choose (1, 4)
        return X.number (Rational.make p q)
    }

let private leaf = Gen.oneof [ Gen.elements symbolNames |> Gen.map X.symbol; smallRational ]

/// Polynomials in x, y, z with small rational coefficients (not expanded: sums of products of powers of sums).
let rec polynomialOfSize (n: int) : Gen<Expression> =
    if n <= 1 then leaf
    else
        let sub = polynomialOfSize (n / 2)
        Gen.oneof [
            leaf
            Gen.map2 (fun a b -> X.add [ a; b ]) sub sub
            Gen.map2 (fun a b -> X.mul [ a; b ]) sub sub
            Gen.map2 X.sub sub sub
            Gen.map2 (fun a k -> X.pow a (X.ofInt k)) sub (Gen.choose (0, 3))
        ]

let polynomial = Gen.sized (fun s -> polynomialOfSize (min s 12))

/// Expressions that are finite for every real value of the symbols: log and √ only of 1 + a², ÷ only by 1 + a².
let rec smoothOfSize (n: int) : Gen<Expression> =
    if n <= 1 then Gen.oneof [ leaf; Gen.elements [ X.pi; X.e ] ]
    else
        let sub = smoothOfSize (n / 2)
        let positive a = X.add [ X.one; X.pow a (X.ofInt 2) ]
        Gen.oneof [
            leaf
            Gen.map2 (fun a b -> X.add [ a; b ]) sub sub
            Gen.map2 (fun a b -> X.mul [ a; b ]) sub sub
            Gen.map2 (fun a k -> X.pow a (X.ofInt k)) sub (Gen.choose (1, 3))
            Gen.map2 (fun a b -> X.div a (positive b)) sub sub
            Gen.map (positive >> X.sqrt) sub
            Gen.map (positive >> X.log) sub
            Gen.map X.exp (Gen.map (fun a -> X.div a (positive a)) sub)
            Gen.map X.sin sub
            Gen.map X.cos sub
            Gen.map X.arctan sub
            Gen.map X.erf sub
            Gen.map (fun a -> X.arcsin (X.div a (positive a))) sub
            Gen.map (fun a -> X.arccos (X.div a (positive a))) sub
        ]

let smooth = Gen.sized (fun s -> smoothOfSize (min s 10))

/// A random point in [−2, 2]³ with a few decimals (exactly representable as rationals too).
let point =
    gen {
        let! vs = Gen.listOfLength 3 (Gen.choose (-200, 200))
        return List.zip symbolNames (vs |> List.map (fun v -> float v / 100.0)) |> Map.ofList
    }

type Arbitraries =
    static member Expression() = Arb.fromGen smooth

module FimVerify.Symbolic.Tests.UnivariateRationalFunctionTests

open System.Numerics
open Expecto
open FsCheck
open FimVerify.Symbolic

let private config = { FsCheckConfig.defaultConfig with maxTest = 150; replay = Some(20261124UL, 7UL, None) }

/// A small random polynomial from integer coefficients.
let private poly (cs: int list) = UnivariatePolynomial.OfCoeffs(cs |> List.truncate 4 |> List.map (fun c -> Rational.ofInt (c % 9)))

let private ratFun (n: int list) (d: int list) =
    let den = poly d
    if den.IsZero then None else Some(UnivariateRationalFunction.Make(poly n, den))

[<Tests>]
let tests =
    testList "UnivariateRationalFunction" [
        test "canonical form cancels common factors and makes the denominator monic" {
            let x = UnivariateRationalFunction.x
            let f = (x * x - UnivariateRationalFunction.One) / (UnivariateRationalFunction.ofInt 2 * x + UnivariateRationalFunction.ofInt 2)
            Expect.equal f ((x - UnivariateRationalFunction.One) / UnivariateRationalFunction.ofInt 2) "(x²−1)/(2x+2) = (x−1)/2"
            Expect.equal (f.Format "d") "(d - 1)/2" "printed with integer coefficients"
            Expect.equal ((UnivariateRationalFunction.One / (UnivariateRationalFunction.ofInt 2 * x + UnivariateRationalFunction.ofInt 2)).Format "n") "1/(2*n + 2)" "printed"
        }
        test "polynomial division and gcd" {
            let a = UnivariatePolynomial.linear 1 2 * UnivariatePolynomial.linear 1 3 * UnivariatePolynomial.linear 2 1
            let b = UnivariatePolynomial.linear 1 3 * UnivariatePolynomial.linear 1 5
            Expect.equal (UnivariatePolynomial.Gcd(a, b)) (UnivariatePolynomial.linear 1 3) "gcd = x + 3"
            let q, r = UnivariatePolynomial.DivRem(a, b)
            Expect.equal (q * b + r) a "a = q b + r"
            Expect.isLessThan r.Degree b.Degree "deg r < deg b"
        }
        testPropertyWithConfig config "field laws and evaluation is a homomorphism at rational points" (fun (n1: int list) (d1: int list) (n2: int list) (d2: int list) (x: int) ->
            match ratFun n1 d1, ratFun n2 d2 with
            | Some f, Some g ->
                let pt = Rational.make (x % 97) 13
                let at (h: UnivariateRationalFunction) = if (h.Den.Evaluate pt).IsZero then None else Some(h.Evaluate pt)
                let lawful = f + g = g + f && f * g = g * f && (f - g) + g = f && (g.IsZero || (f / g) * g = f)
                let hom =
                    match at f, at g, at (f + g), at (f * g) with
                    | Some a, Some b, Some s, Some p -> s = a + b && p = a * b
                    | _ -> true
                lawful && hom
            | _ -> true)
        testPropertyWithConfig config "shift is composition with x + s" (fun (n1: int list) (d1: int list) (s: int) (x: int) ->
            match ratFun n1 d1 with
            | Some f ->
                let s = Rational.make (s % 5) 3
                let pt = Rational.make (x % 31) 7
                let g = f.Shift s
                if (g.Den.Evaluate pt).IsZero then true else g.Evaluate pt = f.Evaluate(pt + s)
            | None -> true)
        test "null space of a rank-deficient rational matrix" {
            let r (a: int) = Rational.ofInt a
            let rows = [| [| r 1; r 2; r 3 |]; [| r 2; r 4; r 6 |]; [| r 1; r 0; r -1 |] |]
            let basis = RationalNullspace.basis rows
            Expect.equal basis.Length 1 "one-dimensional"
            for row in rows do
                Expect.equal (Array.fold2 (fun acc a b -> acc + a * b) Rational.Zero row basis[0]) Rational.Zero "A x = 0"
        }
    ]

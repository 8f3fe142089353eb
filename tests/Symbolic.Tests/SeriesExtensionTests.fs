module FimVerify.Symbolic.Tests.SeriesExtensionTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open FimVerify.Symbolic
open FimVerify.Symbolic.Tests.ExpressionGenerators
open FimVerify.Symbolic.Tests.ExpressionTests

module X = Expression

let private config = { FsCheckConfig.defaultConfig with maxTest = 60; replay = Some(20261124UL, 7UL, None) }
let private one n = PowerSeries.constant n Rational.One
let private z n = PowerSeries.z n

[<Tests>]
let seriesAlgebra =
    testList "PowerSeries division, composition, reversion" [
        test "reciprocal: (1 − z)·(1/(1 − z)) = 1 and 1/(1 − z) = Σ zᵏ" {
            let n = 30
            let oneMinusZ = PowerSeries.sub (one n) (z n)
            let r = PowerSeries.reciprocal oneMinusZ
            Expect.equal (PowerSeries.mul oneMinusZ r) (one n) "product is 1"
            Expect.isTrue (r.Coeffs |> Array.forall (fun c -> c = Rational.One)) "geometric series"
        }
        test "sin/cos = tan satisfies tan' = 1 + tan² exactly" {
            let n = 40
            let tan = PowerSeries.divide (StandardSeries.sin n) (StandardSeries.cos n)
            let lhs = PowerSeries.derivative tan
            let rhs = PowerSeries.add (one (n - 1)) (PowerSeries.mul (PowerSeries.truncate (n - 1) tan) (PowerSeries.truncate (n - 1) tan))
            Expect.equal lhs rhs "tan' = 1 + tan²"
        }
        test "arcsin ∘ sin = z, and reversion of sin is arcsin, of exp − 1 is log(1 + z)" {
            let n = 60
            Expect.equal (PowerSeries.compose (StandardSeries.arcsin n) (StandardSeries.sin n)) (z n) "arcsin(sin z) = z"
            Expect.equal (PowerSeries.revert (StandardSeries.sin n)) (StandardSeries.arcsin n) "sin⁻¹ = arcsin"
            let expMinusOne = PowerSeries.sub (StandardSeries.exp n) (one n)
            Expect.equal (PowerSeries.revert expMinusOne) (StandardSeries.log1p n) "(exp − 1)⁻¹ = log1p"
            Expect.equal (PowerSeries.revert (StandardSeries.arctan n)) (PowerSeries.divide (StandardSeries.sin n) (StandardSeries.cos n)) "arctan⁻¹ = tan"
        }
        test "arccos + arcsin = π/2 exactly" {
            let n = 50
            let sum = PowerSeries.add (StandardSeries.arccos n) (StandardSeries.arcsin n |> StandardSeries.toPi)
            Expect.equal sum (PowerSeries.constant n (PiLaurent.Monomial(Rational.make 1 2, 1))) "π/2"
        }
        test "erfScaled' = exp(−z²), and its coefficients are (−1)ᵏ/(k!(2k+1))" {
            let n = 41
            let s = StandardSeries.erfScaled n
            for k in 0 .. 19 do
                let factorial = Seq.fold (fun (acc: Numerics.BigInteger) i -> acc * Numerics.BigInteger(i: int)) Numerics.BigInteger.One (seq { 1 .. k })
                let expected = Rational(Numerics.BigInteger(if k % 2 = 0 then 1 else -1), factorial * Numerics.BigInteger(2 * k + 1))
                Expect.equal s.Coeffs[2 * k + 1] expected $"z^{2 * k + 1}"
        }
        testPropertyWithConfig config "series arithmetic matches evaluation at random points (|z| ≤ 0.3, 40 terms)" (Prop.forAll (Arb.fromGen (Gen.choose (-300, 300))) (fun k ->
            let x = float k / 1000.0
            let n = 40
            let ev s = PowerSeries.evaluate Rational.toDouble x s
            // Truncation error below 0.3^40/(1 − 0.3) < 1e-20: any difference above 1e-14 is an algebra error.
            let close a b = abs (a - b) <= 1e-14
            close (ev (PowerSeries.divide (StandardSeries.sin n) (StandardSeries.cos n))) (Math.Tan x)
            && close (ev (PowerSeries.compose (StandardSeries.exp n) (StandardSeries.sin n))) (Math.Exp(Math.Sin x))
            && close (ev (PowerSeries.revert (StandardSeries.arctan n))) (Math.Tan x)
            && close (PowerSeries.evaluate (fun (c: PiLaurent) -> c.ToDouble()) x (StandardSeries.arccos n)) (Math.Acos x)
            && close (2.0 / Math.Sqrt Math.PI * ev (StandardSeries.erfScaled n)) (SpecialFunctions.erf x)))
    ]

[<Tests>]
let expressionSeries =
    testList "Taylor series of expressions" [
        test "Maclaurin series of arcsin, 1/(1 − x) and erf match the standard series" {
            let x = X.symbol "x"
            let n = 15
            Expect.equal (ExpressionSeries.maclaurin "x" n (X.arcsin x)) (StandardSeries.arcsin n |> PowerSeries.map X.number) "arcsin"
            Expect.equal (ExpressionSeries.maclaurin "x" n (X.one / (X.one - x))) (PowerSeries.constant n X.one |> PowerSeries.map (fun _ -> X.one)) "geometric"
            Expect.equal (ExpressionSeries.maclaurin "x" n (X.erf x)) (StandardSeries.erfScaled n |> PowerSeries.map (fun c -> X.mul [ StandardSeries.erfFactor; X.number c ])) "erf"
        }
        test "κ's coefficients as expressions print as exact infix and evaluate to their PiLaurent value" {
            let s = ReluKernelSeries.kappa 9
            Expect.equal (s.Coeffs |> Array.map (X.ofPiLaurent >> Infix.format)) [| "1/(2*pi)"; "1/4"; "1/(4*pi)"; "0"; "1/(48*pi)"; "0"; "1/(160*pi)"; "0"; "5/(1792*pi)" |] "printed"
            for c in s.Coeffs do
                Expect.floatClose Accuracy.veryHigh (Floating.evaluate Map.empty (X.ofPiLaurent c)) (c.ToDouble()) "value"
        }
        test "series of sin around π/2 is cos's series" {
            let s = ExpressionSeries.around "x" (X.pi / X.ofInt 2) 10 (X.sin (X.symbol "x"))
            Expect.equal s (StandardSeries.cos 10 |> PowerSeries.map X.number) "sin(π/2 + z) = cos z"
        }
        testPropertyWithConfig config "the series of a random expression matches its value near a random point" (forAll2' smooth point (fun a p ->
            // 6 terms at distance h = 1e-3: remainder ~ c₆h⁶ ≈ 1e-18·c₆, far below the 1e-9 tolerance.
            let x0 = p["x"]
            let h = 1e-3
            let series = ExpressionSeries.around "x" (X.number (Rational.make (int (Math.Round(x0 * 100.0))) 100)) 6 a
            let others = p.Remove "x"
            let value = series |> PowerSeries.evaluate (Floating.evaluate others) h
            closeEnough value (Floating.evaluate (p.Add("x", x0 + h)) a)))
    ]

/// RationalSeries' fast routes (prefix common denominators, ODE recurrences, Paterson–Stockmeyer, Newton) against the
/// definitional PowerSeries routes, against each other at high order, and against evaluation.
[<Tests>]
let fastSeries =
    let config = { FsCheckConfig.defaultConfig with maxTest = 40; replay = Some(20261124UL, 11UL, None) }
    let n = 24
    // Random series with small rational coefficients; `tail` ones vanish at 0 (inner series of a composition).
    let coefficient = Gen.map2 (fun p q -> Rational.make p q) (Gen.choose (-9, 9)) (Gen.choose (1, 7))
    let series = Gen.arrayOfLength n coefficient |> Gen.map PowerSeries.ofCoeffs
    let tail = series |> Gen.map (fun s -> PowerSeries.ofCoeffs (Array.init n (fun k -> if k = 0 then Rational.Zero else s.Coeffs[k])))
    let unit = series |> Gen.map (fun s -> PowerSeries.ofCoeffs (Array.init n (fun k -> if k = 0 then Rational.One else s.Coeffs[k])))
    let invertible = tail |> Gen.map (fun s -> PowerSeries.ofCoeffs (Array.init n (fun k -> if k = 1 && s.Coeffs[1].IsZero then Rational.make 2 3 else s.Coeffs[k])))
    let forAll g f = Prop.forAll (Arb.fromGen g) f
    testList "Fast rational series" [
        testPropertyWithConfig config "mul, divide and reciprocal equal the definitional routes" (forAll (Gen.zip series unit) (fun (a, b) ->
            RationalSeries.mul a b = PowerSeries.mul a b
            && RationalSeries.divide a b = PowerSeries.divide a b
            && RationalSeries.reciprocal b = PowerSeries.reciprocal b))
        testPropertyWithConfig config "exp, log, powers, sin and cos of a series equal composition with the standard series" (forAll (Gen.zip tail unit) (fun (g, u) ->
            let oneMinus = PowerSeries.sub u (PowerSeries.constant n Rational.One)   // u − 1 vanishes at 0
            let sinG, cosG = RationalSeries.sinCos g
            RationalSeries.exp g = PowerSeries.compose (StandardSeries.exp n) g
            && RationalSeries.log u = PowerSeries.compose (StandardSeries.log1p n) oneMinus
            && RationalSeries.rationalPower (Rational.make -2 3) u = PowerSeries.compose (StandardSeries.binomial (Rational.make -2 3) n) oneMinus
            && RationalSeries.power 5 u = PowerSeries.power 5 u
            && RationalSeries.power 3 g = PowerSeries.power 3 g
            && sinG = PowerSeries.compose (StandardSeries.sin n) g
            && cosG = PowerSeries.compose (StandardSeries.cos n) g))
        testPropertyWithConfig config "Paterson–Stockmeyer composition and Newton reversion equal Horner and Lagrange" (forAll (Gen.zip series invertible) (fun (f, g) ->
            RationalSeries.compose f g = PowerSeries.compose f g
            && RationalSeries.revert g = PowerSeries.revert g
            && RationalSeries.compose g (RationalSeries.revert g) = PowerSeries.z n))
        test "two fast routes agree at 200 terms: exp∘sin by composition and by the ODE; reversions of sin, exp − 1, arctan" {
            let n = 200
            let sin, exp = StandardSeries.sin n, StandardSeries.exp n
            Expect.equal (RationalSeries.compose exp sin) (RationalSeries.exp sin) "exp∘sin"
            Expect.equal (RationalSeries.revert sin) (StandardSeries.arcsin n) "sin⁻¹ = arcsin"
            Expect.equal (RationalSeries.revert (PowerSeries.sub exp (PowerSeries.constant n Rational.One))) (StandardSeries.log1p n) "(exp − 1)⁻¹ = log1p"
            let tan = RationalSeries.divide sin (StandardSeries.cos n)
            Expect.equal (RationalSeries.revert (StandardSeries.arctan n)) tan "arctan⁻¹ = tan"
            let sqrtOnePlus = RationalSeries.rationalPower (Rational.make 1 2) (PowerSeries.add (PowerSeries.constant n Rational.One) (PowerSeries.z n))
            Expect.equal (RationalSeries.mul sqrtOnePlus sqrtOnePlus) (PowerSeries.add (PowerSeries.constant n Rational.One) (PowerSeries.z n)) "√(1+z)² = 1 + z"
            Expect.equal (RationalSeries.log (RationalSeries.exp sin)) sin "log(exp(sin)) = sin"
        }
        testPropertyWithConfig config "fast routes match evaluation at random points (|z| ≤ 0.3, 60 terms)" (Prop.forAll (Arb.fromGen (Gen.choose (-300, 300))) (fun k ->
            let x = float k / 1000.0
            let n = 60
            let ev s = RationalSeries.evaluate x s
            let close a b = abs (a - b) <= 1e-14
            let sin = StandardSeries.sin n
            let onePlusSin = PowerSeries.add (PowerSeries.constant n Rational.One) sin
            let sinSin, cosSin = RationalSeries.sinCos sin
            close (ev (RationalSeries.exp sin)) (Math.Exp(Math.Sin x))
            && close (ev (RationalSeries.compose (StandardSeries.exp n) sin)) (Math.Exp(Math.Sin x))
            && close (ev (RationalSeries.log onePlusSin)) (Math.Log(1.0 + Math.Sin x))
            && close (ev (RationalSeries.rationalPower (Rational.make 1 3) onePlusSin)) (Math.Cbrt(1.0 + Math.Sin x))
            && close (ev sinSin) (Math.Sin(Math.Sin x)) && close (ev cosSin) (Math.Cos(Math.Sin x))
            && close (ev (RationalSeries.revert (StandardSeries.arctan n))) (Math.Tan x)
            && close (ev (RationalSeries.divide sin (StandardSeries.cos n))) (Math.Tan x)))
        test "the standard series: √(1 − z)² = 1 − z, erf′ ∝ exp(−z²), arccos = π/2 − arcsin, log1p′ = 1/(1 + z), to 300 terms" {
            let n = 300
            let s = StandardSeries.sqrtOneMinus n
            Expect.equal (RationalSeries.mul s s) (PowerSeries.sub (PowerSeries.constant n Rational.One) (PowerSeries.z n)) "√(1 − z)²"
            let minusZ2 = PowerSeries.neg (RationalSeries.mul (PowerSeries.z n) (PowerSeries.z n))
            Expect.equal (PowerSeries.derivative (StandardSeries.erfScaled (n + 1))) (RationalSeries.exp minusZ2) "erfScaled′ = exp(−z²)"
            Expect.equal (PowerSeries.derivative (StandardSeries.log1p (n + 1))) (RationalSeries.reciprocal (PowerSeries.add (PowerSeries.constant n Rational.One) (PowerSeries.z n))) "log1p′"
            Expect.equal (RationalSeries.exp (StandardSeries.log1p n)) (PowerSeries.add (PowerSeries.constant n Rational.One) (PowerSeries.z n)) "exp(log(1 + z)) = 1 + z"
        }
    ]

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

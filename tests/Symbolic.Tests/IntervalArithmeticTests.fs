/// Certified interval arithmetic (Evaluate/Dyadic, Interval, IntervalFunctions) against independent evidence: exact
/// rational arithmetic, published constants, the 384-bit fixed-point evaluator (a separate implementation), and
/// functional identities.
module FimVerify.Symbolic.Tests.IntervalArithmeticTests

open System
open System.Numerics
open Expecto
open FsCheck
open FsCheck.FSharp
open FimVerify.Symbolic

let private config = { FsCheckConfig.defaultConfig with maxTest = 40; replay = Some(20261213UL, 7UL, None) }

let private p = 256

/// The exact rational of a finite end point.
let private endValue (e: Ext) = match e with Fin d -> Dyadic.toRational d | _ -> failwith "an infinite end point"

/// v lies in the enclosure widened by `slack` (a bound on the reference's own error).
let private contains (iv: Interval) (v: Rational) (slack: Rational) = endValue iv.Lo - slack <= v && v <= endValue iv.Hi + slack

let private width (iv: Interval) = endValue iv.Hi - endValue iv.Lo

let private decimalRational (s: string) =
    let point = s.IndexOf '.'
    Rational(BigInteger.Parse(s.Replace(".", "")), BigInteger.Pow(BigInteger 10, s.Length - point - 1))

let private tenTo (k: int) = Rational(BigInteger.One, BigInteger.Pow(BigInteger 10, k))

/// A random rational k/1000 in (lo, hi).
let private rationalIn (lo: int) (hi: int) = Gen.choose (lo * 1000 + 1, hi * 1000 - 1) |> Gen.map (fun k -> Rational.make k 1000)

/// The 384-bit evaluator's value (≈ 115 digits; we allow 1e-90 relative to max(1, |v|)).
let private reference (f: Real -> Real) (x: Rational) = (f (Real.OfRational x)).ToRational()

let private agrees (name: string) (iv: Interval) (v: Rational) =
    let scale = Rational.One + Rational.abs v
    if not (contains iv v (scale * tenTo 90)) then failwith $"{name}: {Interval.toText 40 iv} does not contain {v.ToDouble()}"
    if width iv > scale * Rational(BigInteger.One, BigInteger.Pow(BigInteger 2, p - 24)) then failwith $"{name}: enclosure too wide: {Interval.toText 40 iv}"
    true

[<Tests>]
let tests =
    testList "Interval arithmetic" [
        test "π, e and ln 2 enclose their published 60-digit values, within 2^-240" {
            let published =
                [ IntervalFunctions.pi p, "3.14159265358979323846264338327950288419716939937510582097494"
                  IntervalFunctions.exp p Interval.one, "2.71828182845904523536028747135266249775724709369995957496697"
                  IntervalFunctions.ln2 p, "0.693147180559945309417232121458176568075500134360255254120680" ]
            for iv, digits in published do
                Expect.isTrue (contains iv (decimalRational digits) (tenTo 59)) $"{digits} in {Interval.toText 60 iv}"
                Expect.isTrue (width iv < Rational(BigInteger.One, BigInteger.Pow(BigInteger 2, 240))) "narrow"
        }
        testPropertyWithConfig config "directed rounding brackets the exact result (division, square root, sums across 10^6 binary places)" (Prop.forAll (Arb.fromGen (Gen.zip (rationalIn -50 50) (rationalIn 1 50))) (fun (a, b) ->
            let down = Dyadic.ofRational Down 64 (a / b)
            let up = Dyadic.ofRational Up 64 (a / b)
            let exact = a / b
            let sqrtDown = Dyadic.sqrt Down 64 (Dyadic.ofRational Down 200 b)
            let sqrtUp = Dyadic.sqrt Up 64 (Dyadic.ofRational Up 200 b)
            let tiny = Dyadic(BigInteger.One, -1_000_000L)
            let big = Dyadic.ofRational Down 64 b
            Dyadic.toRational down <= exact && exact <= Dyadic.toRational up
            && Dyadic.toRational (Dyadic.sub Up 64 up down) <= Rational.abs exact / Rational.ofBigInt (BigInteger.Pow(BigInteger 2, 60)) + tenTo 30
            && Rational.pow (Dyadic.toRational sqrtDown) 2 <= b && b <= Rational.pow (Dyadic.toRational sqrtUp) 2
            && Dyadic.compare (Dyadic.add Down 64 big tiny) big >= 0 && Dyadic.compare (Dyadic.add Up 64 big tiny) big > 0
            && Dyadic.compare (Dyadic.add Down 64 big (Dyadic.neg tiny)) big < 0))
        testPropertyWithConfig config "exp, log, sin, cos, arctan, erf, √ enclose the 384-bit evaluator's values" (Prop.forAll (Arb.fromGen (rationalIn -30 30)) (fun x ->
            let at = Interval.ofRational p x
            agrees "exp" (IntervalFunctions.exp p at) (reference Real.exp x)
            && agrees "sin" (IntervalFunctions.sin p at) (reference Real.sin x)
            && agrees "cos" (IntervalFunctions.cos p at) (reference Real.cos x)
            && agrees "arctan" (IntervalFunctions.arctan p at) (reference Real.arctan x)
            // The 384-bit erf loses absolute accuracy as e^(x²) grows in its series (1e-65 at x = 11, where ours
            // matches the published erfc(11) = 1.44086613794369468e-54): compared for |x| < 6.
            && (Rational.abs x >= Rational.ofInt 6 || agrees "erf" (IntervalFunctions.erf p at) (reference Real.erf x))
            && (x.Sign <= 0 || (agrees "log" (IntervalFunctions.log p at) (reference Real.log x) && agrees "sqrt" (IntervalFunctions.sqrt p at) (reference Real.sqrt x)))))
        testPropertyWithConfig config "arcsin, arccos on (−1, 1) and sinh, cosh, tanh through exp" (Prop.forAll (Arb.fromGen (rationalIn -1 1)) (fun x ->
            let at = Interval.ofRational p x
            let sinh (r: Real) = (Real.exp r - Real.exp (-r)).ScaleB -1
            let cosh (r: Real) = (Real.exp r + Real.exp (-r)).ScaleB -1
            let tanh (r: Real) = sinh r / cosh r
            agrees "arcsin" (IntervalFunctions.arcsin p at) (reference Real.arcsin x)
            && agrees "arccos" (IntervalFunctions.arccos p at) (reference Real.arccos x)
            && agrees "sinh" (IntervalFunctions.sinh p at) (reference sinh x)
            && agrees "cosh" (IntervalFunctions.cosh p at) (reference cosh x)
            && agrees "tanh" (IntervalFunctions.tanh p at) (reference tanh x)))
        testPropertyWithConfig config "on an interval, each function's enclosure holds its values at the ends and inside (extrema of sin, cos, cosh, gamma)" (Prop.forAll (Arb.fromGen (Gen.zip (rationalIn -8 8) (Gen.choose (1, 4000)))) (fun (a, k) ->
            let b = a + Rational.make k 1000
            let wide = { Lo = (Interval.ofRational p a).Lo; Hi = (Interval.ofRational p b).Hi }
            let inside = [ a; b; (a + b) / Rational.ofInt 2; a + (b - a) / Rational.ofInt 7 ]
            let holds (name: string) (f: Interval -> Interval) =
                let whole = f wide
                inside |> List.forall (fun x ->
                    let v = f (Interval.ofRational p x)
                    if not (Interval.lessEqual { Lo = whole.Lo; Hi = whole.Lo } { Lo = v.Lo; Hi = v.Lo } && Interval.lessEqual { Lo = v.Hi; Hi = v.Hi } { Lo = whole.Hi; Hi = whole.Hi }) then
                        failwith $"{name} on [{a}, {b}] = {Interval.toText 20 whole} misses its value at {x}: {Interval.toText 20 v}"
                    true)
            holds "sin" (IntervalFunctions.sin p) && holds "cos" (IntervalFunctions.cos p) && holds "cosh" (IntervalFunctions.cosh p)
            && holds "erf" (IntervalFunctions.erf p) && holds "arctan" (IntervalFunctions.arctan p)
            && (a.Sign <= 0 || holds "gamma" (fun iv -> (IntervalFunctions.gamma p iv).Value))))
        test "gamma: factorials, Γ(1/2)² = π, the recurrence and the reflection formula" {
            for n in 1 .. 12 do
                let g = (IntervalFunctions.gamma p (Interval.ofInt n)).Value
                let factorial = Seq.fold (fun (acc: BigInteger) k -> acc * BigInteger(k: int)) BigInteger.One (seq { 1 .. n - 1 })
                Expect.isTrue (contains g (Rational.ofBigInt factorial) Rational.Zero) $"Γ({n}) = {factorial}"
            let half = (IntervalFunctions.gamma p (Interval.ofRational p (Rational.make 1 2))).Value
            Expect.isFalse (Interval.disjoint (Interval.mul p half half) (IntervalFunctions.pi p)) "Γ(1/2)² = π"
            for x in [ Rational.make 7 3; Rational.make 1 10; Rational.make 31 4 ] do
                let g = (IntervalFunctions.gamma p (Interval.ofRational p x)).Value
                let next = (IntervalFunctions.gamma p (Interval.ofRational p (x + Rational.One))).Value
                Expect.isFalse (Interval.disjoint next (Interval.mul p (Interval.ofRational p x) g)) $"Γ({x} + 1) = {x}·Γ({x})"
                Expect.isTrue (width g < Rational.One / Rational.ofBigInt (BigInteger.Pow(BigInteger 2, 200)) * (Rational.One + Rational.abs (endValue g.Hi))) "narrow"
            let x = Rational.make -5 3
            let product = Interval.mul p (IntervalFunctions.gamma p (Interval.ofRational p x)).Value (IntervalFunctions.gamma p (Interval.ofRational p (Rational.One - x))).Value
            let reflection = (Interval.tryDiv p (IntervalFunctions.pi p) (IntervalFunctions.sin p (Interval.mul p (IntervalFunctions.pi p) (Interval.ofRational p x)))).Value
            Expect.isFalse (Interval.disjoint product reflection) "Γ(x)Γ(1 − x) = π/sin(πx)"
            Expect.isNone (IntervalFunctions.gamma p (Interval.ofInt -2)) "a pole"
        }
        test "erf near 11 matches the published erfc(11) = 1.44086613794369468e-54" {
            let tail = Interval.sub p Interval.one (IntervalFunctions.erf p (Interval.ofInt 11))
            Expect.isTrue (contains tail (decimalRational "0.00000000000000000000000000000000000000000000000000000144086613794369468") (tenTo 71)) (Interval.toText 30 tail)
        }
        test "huge and tiny values keep their exponent; beyond 2^(2^60) the enclosure is [huge, ∞]" {
            let e = IntervalFunctions.exp p (Interval.ofInt 1_000_000)
            // log2 e^(10^6) = 10^6/ln 2 = 1442695.04…
            match e.Lo with
            | Fin d -> Expect.equal (Dyadic.top d) 1_442_696L "the binary exponent of e^(10^6)"
            | _ -> failtest "finite"
            let huge = IntervalFunctions.exp p (Interval.ofBigInt (BigInteger.Pow(BigInteger 2, 70)))
            Expect.equal huge.Hi PosInf "unbounded above"
            Expect.isTrue (Interval.positive huge && Interval.less (Interval.ofInt 4) huge) "but certainly above 4"
            let power = Interval.powNatural p (Interval.ofRational p (Rational.make 3 2)) (BigInteger 1_000_000_000)
            // log2 (3/2)^(10^9) = 10^9 · 0.584962500721156…
            match power.Lo with
            | Fin d -> Expect.equal (Dyadic.top d) 584_962_501L "the binary exponent of (3/2)^(10^9)"
            | _ -> failtest "finite"
            let small = IntervalFunctions.exp p (Interval.ofInt -1_000_000)
            Expect.isTrue (Interval.positive small) "e^(−10^6) is certainly positive"
        }
        test "adaptive quadrature: ∫ e^(−x²) over the line, a kink at a break point, and a divergent integral that does not converge" {
            let gauss = Quadrature.integrate WorkBudget.Unlimited (fun x -> Math.Exp(-x * x)) -infinity infinity [] 1e-12 200_000
            Expect.isTrue (gauss.Converged && abs (gauss.Value - Math.Sqrt Math.PI) < 1e-13) $"√π: {gauss.Value}"
            let kink = Quadrature.integrate WorkBudget.Unlimited (fun x -> abs (x - 0.3)) 0.0 1.0 [ 0.3 ] 1e-12 200_000
            Expect.isTrue (kink.Converged && abs (kink.Value - 0.29) < 1e-13) "∫|x − 0.3| = 0.29"
            let divergent = Quadrature.integrate WorkBudget.Unlimited (fun x -> 1.0 / x) 1.0 infinity [] 1e-12 20_000
            Expect.isFalse divergent.Converged "∫ 1/x to ∞ is not reported as a number"
        }
    ]

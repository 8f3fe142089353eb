module FimVerify.Symbolic.Tests.ExpressionTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open FimVerify.Symbolic
open FimVerify.Symbolic.Tests.ExpressionGenerators

module X = Expression

let private config = { FsCheckConfig.defaultConfig with maxTest = 200; replay = Some(20261124UL, 3UL, None) }
let private x, y, z = X.symbol "x", X.symbol "y", X.symbol "z"
let private n (k: int) = X.ofInt k
let private parse = InfixParser.parse

/// Agreement of two doubles that are algebraically equal: both non-finite, or relative difference below
/// 1e-9 (rounding in ~100 operations stays below 1e-12, so a failure is an algebra error, not noise).
let closeEnough (a: float) (b: float) =
    (not (Double.IsFinite a) && not (Double.IsFinite b))
    || abs (a - b) <= 1e-9 * (1.0 + max (abs a) (abs b))

let forAll2' (g: Gen<'a>) (h: Gen<'b>) f = Prop.forAll (Arb.fromGen (Gen.zip g h)) (fun (a, b) -> f a b)
let private forAll3 (g: Gen<'a>) f = Prop.forAll (Arb.fromGen (Gen.zip3 g g g)) (fun (a, b, c) -> f a b c)

[<Tests>]
let canonicalForm =
    testList "Expression canonical form" [
        test "numbers fold, like terms and powers collect" {
            Expect.equal (x + x) (n 2 * x) "x + x = 2x"
            Expect.equal (x * x * x) (x ** 3) "x·x·x = x³"
            Expect.equal (x - x) X.zero "x − x = 0"
            Expect.equal (n 2 * x + n 3 * y - x) (x + n 3 * y) "2x + 3y − x"
            Expect.equal ((x ** 2) / x) x "x²/x = x"
            Expect.equal (X.sqrt x * X.sqrt x) x "√x √x = x"
            Expect.equal (X.sqrt (n 8)) (n 2 * X.sqrt (n 2)) "√8 = 2√2"
            Expect.equal (X.sqrt (X.rational 1 2)) (X.rational 1 2 * X.sqrt (n 2)) "√(1/2) = √2/2"
            Expect.equal (X.sqrt (n 9)) (n 3) "√9 = 3"
            Expect.equal (X.exp x * X.exp (-x)) X.one "exp(x)exp(−x) = 1"
            Expect.equal (X.sin (-x)) (-(X.sin x)) "sin is odd"
            Expect.equal (X.cos (y - x)) (X.cos (x - y)) "cos is even"
            Expect.equal (X.pow X.e x) (X.exp x) "e^x = exp(x)"
        }
        testPropertyWithConfig config "+ and × commute structurally; associate after expand" (forAll3 polynomial (fun a b c ->
            // Structural equality is canonical for expanded polynomials; before expansion a number times a lone
            // sum distributes (so a − a = 0), which makes −2·((1 + y)·z) and (−2 − 2y)·z distinct trees.
            let e = Expand.expand
            a + b = b + a && a * b = b * a && (a + b) + c = a + (b + c)
            && e ((a * b) * c) = e (a * (b * c))))
        testPropertyWithConfig config "distributive law, identities and inverse after expand" (forAll3 polynomial (fun a b c ->
            Expand.expand (a * (b + c)) = Expand.expand (a * b + a * c)
            && a + X.zero = a && a * X.one = a && a - a = X.zero))
        testPropertyWithConfig config "expand is idempotent" (Prop.forAll (Arb.fromGen smooth) (fun a ->
            let e = Expand.expand a in Expand.expand e = e))
        testPropertyWithConfig config "expand preserves the value" (forAll2' smooth point (fun a p ->
            closeEnough (Floating.evaluate p a) (Floating.evaluate p (Expand.expand a))))
        testPropertyWithConfig config "substitution commutes with evaluation" (forAll2' smooth point (fun a p ->
            let b = Substitute.one "x" (X.number (Rational.make (int (Math.Round(p["y"] * 100.0))) 100)) a
            closeEnough (Floating.evaluate (p.Add("x", p["y"])) a) (Floating.evaluate p b)))
    ]

[<Tests>]
let differentiation =
    let d = Differentiate.withRespectTo "x"
    testList "Differentiate" [
        test "derivatives of the elementary functions" {
            Expect.equal (d (x ** 3)) (n 3 * x ** 2) "x³"
            Expect.equal (d (X.sin x)) (X.cos x) "sin"
            Expect.equal (d (X.cos x)) (-(X.sin x)) "cos"
            Expect.equal (d (X.log x)) (X.one / x) "log"
            Expect.equal (d (X.arcsin x)) (X.one / X.sqrt (X.one - x ** 2)) "arcsin"
            Expect.equal (d (X.arctan x)) (X.one / (X.one + x ** 2)) "arctan"
            Expect.equal (d (X.erf x)) (n 2 / X.sqrt X.pi * X.exp (-(x ** 2))) "erf"
            Expect.equal (d (X.exp (x * y))) (y * X.exp (x * y)) "exp(xy)"
        }
        testPropertyWithConfig config "linear: d(a + c·b) = da + c·db (structurally)" (forAll3 smooth (fun a b _ ->
            d (a + X.rational 3 7 * b) = d a + X.rational 3 7 * d b))
        testPropertyWithConfig config "product rule, checked by evaluation" (Prop.forAll (Arb.fromGen (Gen.zip3 smooth smooth point)) (fun (a, b, p) ->
            closeEnough (Floating.evaluate p (d (a * b))) (Floating.evaluate p (d a * b + a * d b))))
        testPropertyWithConfig config "chain rule, checked by evaluation" (Prop.forAll (Arb.fromGen (Gen.zip3 smooth smooth point)) (fun (f, g, p) ->
            // f is a function of x; compose with g: d/dx f(g(x)) = f'(g(x)) g'(x).
            let composed = Substitute.one "x" g f
            let rhs = Substitute.one "x" g (d f) * d g
            closeEnough (Floating.evaluate p (d composed)) (Floating.evaluate p rhs)))
        testPropertyWithConfig config "derivative agrees with a central difference" (forAll2' smooth point (fun a p ->
            // Independent route: (f(x+h) − f(x−h))/2h has error O(h²f''') ≈ 1e-8 for these smooth, bounded trees;
            // the tolerance 1e-4 relative leaves ample room while a wrong rule is off by O(1).
            let h = 1e-5
            let at v = Floating.evaluate (p.Add("x", v)) a
            let fd = (at (p["x"] + h) - at (p["x"] - h)) / (2.0 * h)
            let exact = Floating.evaluate p (d a)
            not (Double.IsFinite exact) || abs (fd - exact) <= 1e-4 * (1.0 + abs exact)))
    ]

[<Tests>]
let infixText =
    testList "Infix printing and parsing" [
        test "prints readable, re-parseable text" {
            Expect.equal (Infix.format (x ** 2 - n 2 * x * y + X.rational 1 2)) "1/2 + x^2 - 2*x*y" "polynomial"
            Expect.equal (Infix.format (X.one / (X.one + x ** 2))) "1/(1 + x^2)" "quotient"
            Expect.equal (Infix.format (X.sqrt (X.one - x ** 2))) "sqrt(1 - x^2)" "sqrt"
            Expect.equal (Infix.format (X.pi / n 4 - x / n 3)) "pi/4 - x/3" "fractions"
            Expect.equal (Infix.format (x ** X.rational 3 2)) "x^(3/2)" "fractional power"
            Expect.equal (Infix.format (X.one / (n 2 * X.pi))) "1/(2*pi)" "numbers join a denominator without sums"
            Expect.equal (Infix.format (X.mul [ x; X.rational 1 3; X.pow (X.one + y) X.minusOne ])) "x/3/(1 + y)" "but not one with a sum"
        }
        test "parses the usual notations" {
            Expect.equal (parse "2*x") (n 2 * x) "2*x"
            Expect.equal (parse "-x^2") (-(x ** 2)) "unary minus binds looser than ^"
            Expect.equal (parse "2^3^2") (n 512) "^ is right associative"
            Expect.equal (parse "0.25 * e^x") (X.rational 1 4 * X.exp x) "decimals are exact, e^x = exp(x)"
            Expect.equal (parse "arccos(t) + arcsin(t)") (X.arccos (X.symbol "t") + X.arcsin (X.symbol "t")) "functions"
            Expect.equal (parse "2.5e-3*x") (X.rational 1 400 * x) "decimal exponents are exact"
            Expect.equal (parse "1E6 + 3e+1") (n 1000030) "either case, either sign"
            Expect.equal (parse "2*e - 3") (n 2 * X.e - n 3) "the constant e is not taken for an exponent"
            match InfixParser.tryParse "1e100000" with
            | Result.Error e -> Expect.stringContains e.Message "decimal exponent" "an absurd exponent is refused, not computed"
            | Result.Ok _ -> failtest "10^100000 was formed"
        }
        test "parse errors carry line and column" {
            match InfixParser.tryParse "1 +\n  (x * )" with
            | Result.Error e ->
                Expect.equal (e.Line, e.Column) (2, 8) $"position of the error: {e}"
                Expect.stringStarts e.Message "Expecting" "the message gives the reason, not the echoed source"
            | Result.Ok v -> failtest $"parsed malformed text as {v}"
        }
        testPropertyWithConfig config "parse (format x) = x on canonical forms" (Prop.forAll (Arb.fromGen smooth) (fun a ->
            let text = Infix.format a
            let back = parse text
            if back <> a then failwith $"round trip changed {text} into {Infix.format back}"
            true))
    ]

/// Radicals of rationals: one canonical radical per product, so structural equality decides their identities.
[<Tests>]
let radicals =
    let primes = [ 2; 3; 5; 7; 11 ]
    let rationalOfExponents (exponents: int list) =
        List.zip primes exponents |> List.fold (fun acc (p, k) -> acc * Rational.pow (Rational.ofInt p) k) Rational.One
    // A random real radical Π p^(a_p/q_p) over small primes (a_p ∈ −6..6, q_p ∈ {1, 2, 3, 4, 6}).
    let radicalExponents =
        Gen.listOfLength primes.Length (Gen.zip (Gen.choose (-6, 6)) (Gen.elements [ 1; 2; 3; 4; 6 ]))
    let lcm (a: int) (b: int) = a / int (Numerics.BigInteger.GreatestCommonDivisor(Numerics.BigInteger a, Numerics.BigInteger b)) * b
    testList "Radicals of rationals" [
        test "products and quotients combine; square-free part and rational factor are canonical" {
            let s k = X.sqrt (n k)
            Expect.equal (s 2 * s 3) (s 6) "√2·√3 = √6"
            Expect.equal (s 12) (n 2 * s 3) "√12 = 2√3"
            Expect.equal (s 6 / s 2) (s 3) "√6/√2 = √3"
            Expect.equal (s 2 * s 8) (n 4) "√2·√8 = 4"
            Expect.equal (X.sqrt (X.rational 1 6)) (s 6 / n 6) "√(1/6) = √6/6"
            Expect.equal (X.sqrt (X.rational 3 2)) (s 6 / n 2) "√(3/2) = √6/2"
            Expect.equal (X.pow (n 4) (X.rational 1 6)) (X.pow (n 2) (X.rational 1 3)) "4^(1/6) = 2^(1/3)"
            Expect.equal (s 2 * X.pow (n 3) (X.rational 1 3)) (X.pow (n 72) (X.rational 1 6)) "√2·∛3 = 72^(1/6)"
            Expect.equal (X.sqrt (n 2 * s 3)) (X.pow (n 12) (X.rational 1 4)) "√(2√3) = 12^(1/4)"
            Expect.equal (Expand.expand ((s 2 + s 3) ** 2)) (n 5 + n 2 * s 6) "(√2 + √3)² = 5 + 2√6"
            Expect.equal (s 6 * x / (s 3 * x)) (s 2) "with a symbol alongside"
            Expect.equal (X.sqrt (n -2) * X.sqrt (n -3)) (X.mul [ X.sqrt (n -2); X.sqrt (n -3) ]) "non-real radicals are left alone (√−2·√−3 ≠ √6)"
        }
        test "radicands with prime factors beyond trial division are still canonical" {
            let big (k: int64) = X.number (Rational.ofBigInt (Numerics.BigInteger k))
            Expect.equal (X.sqrt (big (2L * 1009L * 1009L))) (n 1009 * X.sqrt (n 2)) "√(2·1009²) = 1009√2"
            Expect.equal (X.sqrt (big (1000003L * 1000003L * 3L))) (big 1000003L * X.sqrt (n 3)) "√(3·1000003²) = 1000003√3"
            Expect.equal (X.pow (big (1013L * 1013L * 1013L * 1019L * 5L)) (X.rational 1 3)) (n 1013 * X.pow (big (1019L * 5L)) (X.rational 1 3)) "∛(1013³·1019·5)"
            Expect.equal (X.sqrt (big 1009L) * X.sqrt (big (2L * 1009L))) (n 1009 * X.sqrt (n 2)) "√1009·√2018 = 1009√2"
        }
        testPropertyWithConfig config "every grouping of a product of radicals gives the same tree" (Prop.forAll (Arb.fromGen radicalExponents) (fun parts ->
            let factors = List.zip primes parts |> List.map (fun (p, (a, q)) -> X.pow (n p) (X.rational a q))
            let oneByOne = X.mul factors
            let reversed = List.rev factors |> List.fold (fun acc f -> acc * f) X.one
            // The same value as one radical: Π p^(a_p/q_p) = (Π p^(a_p·Q/q_p))^(1/Q), Q = lcm q_p.
            let common = parts |> List.fold (fun acc (_, q) -> lcm acc q) 1
            let single = X.pow (X.number (rationalOfExponents (parts |> List.map (fun (a, q) -> a * common / q)))) (X.rational 1 common)
            // And as a square root of the squares.
            let squared = X.mul (List.zip primes parts |> List.map (fun (p, (a, q)) -> X.pow (n (p * p)) (X.rational a (2 * q))))
            oneByOne = reversed && oneByOne = single && oneByOne = squared))
        testPropertyWithConfig config "the canonical radical keeps the value (60 digits, against exp(Σ e log p))" (Prop.forAll (Arb.fromGen radicalExponents) (fun parts ->
            let canonical = X.mul (List.zip primes parts |> List.map (fun (p, (a, q)) -> X.pow (n p) (X.rational a q)))
            let logValue = List.zip primes parts |> List.fold (fun acc (p, (a, q)) -> acc + Real.OfRational(Rational.make a q) * Real.log (Real.OfRational(Rational.ofInt p))) (Real.OfRational Rational.Zero)
            let expected = Real.exp logValue
            let actual = Precise.evaluate Map.empty canonical
            let relative = Rational.abs ((actual.ToRational() - expected.ToRational()) / expected.ToRational())
            relative < Rational(Numerics.BigInteger.One, Numerics.BigInteger.Pow(Numerics.BigInteger 10, 60))))
        testPropertyWithConfig config "radicals of distinct values are distinct trees" (Prop.forAll (Arb.fromGen (Gen.zip radicalExponents radicalExponents)) (fun (u, v) ->
            let build parts = X.mul (List.zip primes parts |> List.map (fun (p, (a, q)) -> X.pow (n p) (X.rational a q)))
            // Equal values ⟺ equal exponent of every prime (unique factorisation).
            let sameValue = List.forall2 (fun (a, q) (b, r) -> Rational.make a q = Rational.make b r) u v
            (build u = build v) = sameValue))
    ]

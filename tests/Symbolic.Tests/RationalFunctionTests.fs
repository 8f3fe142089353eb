module FimVerify.Symbolic.Tests.RationalFunctionTests

open Expecto
open FsCheck
open FsCheck.FSharp
open FimVerify.Symbolic
open FimVerify.Symbolic.Tests.ExpressionGenerators

module X = Expression

let private config = { FsCheckConfig.defaultConfig with maxTest = 60; replay = Some(20261124UL, 11UL, None) }
let private parse = InfixParser.parse
let private smallPolynomial = Gen.sized (fun s -> polynomialOfSize (min s 6))

[<Tests>]
let rationalFunctions =
    testList "Rational-function normal form and simplify" [
        test "together and cancel on textbook cases" {
            Expect.equal (RationalFunction.together (parse "1/x + 1/y")) (parse "(x + y)/(x*y)") "1/x + 1/y"
            Expect.equal (RationalFunction.cancel (parse "(x^2 - 1)/(x - 1)")) (parse "x + 1") "(x² − 1)/(x − 1)"
            Expect.equal (RationalFunction.cancel (parse "(x^2*y - y^3)/(x*y + y^2)")) (parse "x - y") "two variables"
            Expect.equal (RationalFunction.normalForm (parse "x/(x + 1) + 1/(x + 1)")) X.one "x/(x+1) + 1/(x+1) = 1"
            Expect.equal (RationalFunction.normalForm (parse "sin(x)/(sin(x)^2 - sin(x))")) (parse "1/(sin(x) - 1)") "atoms are indeterminates"
        }
        test "polynomial gcd over Q in several variables" {
            let index = dict [ X.symbol "x", 0; X.symbol "y", 1 ]
            let p (text: string) =
                // Via the normal form's numerator, the polynomial of an expanded expression.
                let rec go (e: Expression) : Polynomial =
                    match e with
                    | Number r -> Polynomial.constant r
                    | Sum ts -> ts |> List.map go |> List.reduce Polynomial.add
                    | Product fs -> fs |> List.map go |> List.reduce Polynomial.mul
                    | Power(b, Number n) -> Polynomial.power (go b) (int n.Num)
                    | atom -> Polynomial.variable index[atom]
                go (Expand.expand (parse text))
            let g = Polynomial.gcd (p "(x + y)^2*(x - 2*y)*(3*x + 1)") (p "(x + y)*(x - 2*y)^2*(y + 5)")
            Expect.equal g (Polynomial.monic (p "(x + y)*(x - 2*y)")) "gcd = (x + y)(x − 2y), monic"
        }
        testPropertyWithConfig config "normalForm(p·r / (q·r)) = normalForm(p/q) and the value is unchanged" (Prop.forAll (Arb.fromGen (Gen.zip3 smallPolynomial smallPolynomial smallPolynomial)) (fun (p, q, r) ->
            // a + a² + 1 + z² ≥ 3/4 + z² > 0, so q and r never vanish at any point.
            let nonZero a = X.add [ a; X.pow a (X.ofInt 2); X.one; X.pow (X.symbol "z") (X.ofInt 2) ]
            let q, r = nonZero q, nonZero r
            let lhs = RationalFunction.normalForm (X.div (X.mul [ p; r ]) (X.mul [ q; r ]))
            let rhs = RationalFunction.normalForm (X.div p q)
            let at = Map.ofList [ "x", Rational.make 3 7; "y", Rational.make -5 2; "z", Rational.make 1 3 ]
            lhs = rhs && RationalFunction.normalForm lhs = lhs
            && Precise.tryExact at lhs = Precise.tryExact at (X.div p q)))
        test "simplify applies sin² + cos² = 1 and the inverse-trigonometric facts" {
            let s = Simplify.simplify
            Expect.equal (s (parse "sin(x)^2 + cos(x)^2")) X.one "sin² + cos²"
            Expect.equal (s (parse "cos(x)^4 - sin(x)^4")) (s (parse "cos(x)^2 - sin(x)^2")) "difference of squares"
            Expect.equal (s (parse "sin(arccos(t))")) (parse "sqrt(1 - t^2)") "sin(arccos t)"
            Expect.equal (s (parse "cos(arcsin(t))^2 + t^2")) X.one "cos(arcsin t)² + t²"
            Expect.equal (s (parse "arccos(t) + arcsin(t)")) (parse "pi/2") "arccos + arcsin"
            Expect.equal (s (parse "sin(arctan(t))/cos(arctan(t))")) (parse "t") "tan(arctan t)"
            Expect.equal (s (parse "(1 - cos(x)^2)/sin(x)")) (parse "sin(x)") "sin²/sin"
        }
    ]

[<Tests>]
let otherFormats =
    testList "LaTeX and JSON" [
        test "LaTeX of typical results" {
            Expect.equal (Latex.format (parse "1/(4*pi) + t/4")) "\\frac{t}{4} + \\frac{1}{4 \\pi}" "coefficients (canonical order: symbols before powers)"
            Expect.equal (Latex.format (parse "sqrt(1 - t^2)*erf(x)")) "\\operatorname{erf}\\left(x\\right) \\sqrt{1 - t^{2}}" "functions"
            Expect.equal (Latex.format (parse "-(x + 1)^(3/2)")) "-\\left(1 + x\\right)^{\\frac{3}{2}}" "powers"
        }
        testPropertyWithConfig config "JSON round trip is the identity" (Prop.forAll (Arb.fromGen smooth) (fun a ->
            Json.parse (Json.format a) = a))
    ]

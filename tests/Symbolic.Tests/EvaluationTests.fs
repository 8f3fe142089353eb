module FimVerify.Symbolic.Tests.EvaluationTests

open System
open System.Numerics
open Expecto
open FsCheck
open FsCheck.FSharp
open FimVerify.Symbolic
open FimVerify.Symbolic.Tests.ExpressionGenerators
open FimVerify.Symbolic.Tests.ExpressionTests

module X = Expression

let private config = { FsCheckConfig.defaultConfig with maxTest = 100; replay = Some(20261124UL, 5UL, None) }

/// A decimal literal as an exact rational.
let private decimal (s: string) =
    let point = s.IndexOf '.'
    let digits = s.Replace(".", "")
    Rational(BigInteger.Parse digits, BigInteger.Pow(BigInteger 10, s.Length - point - 1))

/// |a − b| < 10^(−digits), decided exactly on rationals.
let private agreeTo (digits: int) (a: Real) (b: Rational) =
    let diff = Rational.abs (a.ToRational() - b)
    diff < Rational(BigInteger.One, BigInteger.Pow(BigInteger 10, digits))

let private precise (text: string) = Precise.evaluate Map.empty (InfixParser.parse text)

/// Published values (60 digits), independent of this code.
let private knownConstants =
    [ "pi", "3.14159265358979323846264338327950288419716939937510582097494"
      "e", "2.71828182845904523536028747135266249775724709369995957496697"
      "log(2)", "0.693147180559945309417232121458176568075500134360255254120680"
      "erf(1/2)", "0.520499877813046537682746653891964528736451575757963700058806" ]

/// Double-precision agreement within `ulps` units in the last place of the reference (or 1e-300 absolute).
let private withinUlps (ulps: float) (reference: float) (value: float) =
    abs (value - reference) <= ulps * Math.BitIncrement(abs reference) - ulps * abs reference + 1e-300

let private randomReal =
    Gen.choose (-4000, 4000) |> Gen.map (fun k -> Rational.make k 1000)

[<Tests>]
let highPrecision =
    testList "High-precision evaluation" [
        for name, digits in knownConstants do
            test $"{name} to 55 digits" {
                Expect.isTrue (agreeTo 55 (precise name) (decimal digits)) $"{name} = {(precise name).ToString 60}"
            }
        test "identities hold to 100 digits at awkward points" {
            for text in [ "sin(7/3)^2 + cos(7/3)^2 - 1"; "exp(log(13/7)) - 13/7"; "arcsin(1/3) + arccos(1/3) - pi/2"
                          "4*arctan(1) - pi"; "arctan(5) + arctan(1/5) - pi/2"; "erf(-3/4) + erf(3/4)"; "sqrt(2)^2 - 2"
                          "sin(100) - 2*sin(50)*cos(50)"; "log(exp(-37/3)) + 37/3" ] do
                let v = precise text
                Expect.isTrue (agreeTo 100 v Rational.Zero) $"{text} = {v}"
        }
        testPropertyWithConfig config "agrees with System.Math within 2 ulp" (Prop.forAll (Arb.fromGen randomReal) (fun q ->
            let x = q.ToDouble()
            let r = Real.OfDouble x // the exact double, so only the functions differ
            let check (name: string) (reference: float) (value: Real) =
                if not (withinUlps 2.0 reference (value.ToDouble())) then failwith $"{name}({x}): {value} vs {reference}"
            check "exp" (Math.Exp x) (Real.exp r)
            check "sin" (Math.Sin x) (Real.sin r)
            check "cos" (Math.Cos x) (Real.cos r)
            check "arctan" (Math.Atan x) (Real.arctan r)
            check "sqrt" (Math.Sqrt(abs x)) (Real.sqrt r.Abs)
            if x <> 0.0 then check "log" (Math.Log(abs x)) (Real.log r.Abs)
            if abs x < 1.0 then
                check "arcsin" (Math.Asin x) (Real.arcsin r)
                check "arccos" (Math.Acos x) (Real.arccos r)
            true))
        testPropertyWithConfig config "double erf agrees with the 50-digit erf within 1e-15 relative" (Prop.forAll (Arb.fromGen randomReal) (fun q ->
            let reference = (Real.erf (Real.OfRational q)).ToDouble()
            abs (SpecialFunctions.erf (q.ToDouble()) - reference) <= 1e-15 * abs reference + 1e-300))
        testPropertyWithConfig config "high-precision and double evaluation agree on random expressions" (forAll2' smooth point (fun a p ->
            let v = Floating.evaluate p a
            let w = (Precise.evaluate (p |> Map.map (fun _ x -> Real.OfRational (Rational.make (int (Math.Round(x * 100.0))) 100))) a).ToDouble()
            closeEnough v w))
        testPropertyWithConfig config "exact evaluation of polynomials at rational points matches 50-digit evaluation" (forAll2' polynomial point (fun a p ->
            let exact = p |> Map.map (fun _ x -> Rational.make (int (Math.Round(x * 100.0))) 100)
            match Precise.tryExact exact a with
            | Some r -> agreeTo 60 (Precise.evaluate (exact |> Map.map (fun _ q -> Real.OfRational q)) a) r
            | None -> failwith $"a polynomial was not rational at a rational point: {Infix.format a}"))
    ]

/// Equal as doubles bit for bit (two NaNs count as equal).
let private sameBits (v: float) (w: float) = BitConverter.DoubleToInt64Bits v = BitConverter.DoubleToInt64Bits w || (Double.IsNaN v && Double.IsNaN w)

[<Tests>]
let compiled =
    testList "Compiler" [
        testPropertyWithConfig config "compiled and interpreted evaluation agree at random points" (forAll2' smooth point (fun a p ->
            let f = Compiler.compile symbolNames a
            let args = symbolNames |> List.map (fun s -> p[s]) |> Array.ofList
            closeEnough (f.Invoke args) (Floating.evaluate p a)))
        testPropertyWithConfig config "fixed-arity delegates (compile1/2/3) agree with the array delegate" (forAll2' smooth point (fun a p ->
            let args = symbolNames |> List.map (fun s -> p[s]) |> Array.ofList
            let reference = (Compiler.compile symbolNames a).Invoke args
            let f3 = Compiler.compile3 "x" "y" "z" a
            let onlyX = Substitute.many (Map.ofList [ "y", X.number (Rational.make 1 3); "z", X.number (Rational.make -2 7) ]) a
            let viaArray = (Compiler.compile symbolNames onlyX).Invoke args
            closeEnough (f3.Invoke(args[0], args[1], args[2])) reference
            && closeEnough ((Compiler.compile1 "x" onlyX).Invoke args[0]) viaArray
            && closeEnough ((Compiler.compile2 "z" "x" onlyX).Invoke(0.0, args[0])) viaArray))
        testPropertyWithConfig config "compileMany returns each expression's compiled value, in order" (forAll2' smooth point (fun a p ->
            let args = symbolNames |> List.map (fun s -> p[s]) |> Array.ofList
            let b = X.mul [ a; a ] - X.ofInt 3
            let values = (Compiler.compileMany symbolNames [ a; b; a ]).Invoke args
            values.Length = 3 && closeEnough values[0] ((Compiler.compile symbolNames a).Invoke args)
            && closeEnough values[1] ((Compiler.compile symbolNames b).Invoke args) && values[2] = values[0]))
        testPropertyWithConfig config "the tree evaluator is bit-identical to the compiled delegate at random points" (forAll2' smooth point (fun a p ->
            let args = symbolNames |> List.map (fun s -> p[s]) |> Array.ofList
            sameBits ((Compiler.evaluator symbolNames a).Invoke args) ((Compiler.compile symbolNames a).Invoke args)))
        test "the tree evaluator is bit-identical to the compiled delegate on the derived mean-field forms" {
            // The forms fim-stats evaluates (κ at depth 3, Theorem 3.1's statistics), at inputs of the sizes it sees.
            let d = MeanFieldStatistics.forDepth 3
            let s = MeanFieldStatistics.spectrumForms.Force()
            let rng = Random 20261207
            let forms =
                [ MeanFieldStatistics.kappaSymbols 3 1, d.Kappa1; MeanFieldStatistics.kappaSymbols 3 2, d.Kappa2
                  MeanFieldStatistics.ntkKappaSymbols 3 1, d.NtkKappa1; MeanFieldStatistics.ntkKappaSymbols 3 2, d.NtkKappa2
                  MeanFieldStatistics.statisticsSymbols, s.Mean; MeanFieldStatistics.statisticsSymbols, s.SecondMoment
                  MeanFieldStatistics.statisticsSymbols, s.LambdaMax; MeanFieldStatistics.ntkStatisticsSymbols, s.NtkMean
                  MeanFieldStatistics.ntkStatisticsSymbols, s.NtkSecondMoment; MeanFieldStatistics.ntkStatisticsSymbols, s.NtkLambdaMax ]
            for symbols, form in forms do
                let interpreted, compiled = Compiler.evaluator symbols form, Compiler.compile symbols form
                for _ in 1 .. 20 do
                    let args = symbols |> List.map (fun _ -> 0.1 + 100.0 * rng.NextDouble()) |> Array.ofList
                    let v, w = interpreted.Invoke args, compiled.Invoke args
                    Expect.isTrue (sameBits v w) $"{Infix.format form} at {args}: {v:R} (evaluator) vs {w:R} (compiled)"
        }
        test "the tree evaluator refuses a symbol outside the argument list" {
            Expect.throws (fun () -> Compiler.evaluator [ "x" ] (InfixParser.parse "x + y") |> ignore) "y is not an argument"
        }
        test "symbols are read in the stated order" {
            Expect.equal ((Compiler.evaluator [ "y"; "x" ] (InfixParser.parse "x - 2*y^2")).Invoke [| 3.0; 1.0 |]) -17.0 "evaluator: x = 1, y = 3"
            let f = Compiler.compile [ "y"; "x" ] (InfixParser.parse "x - 2*y^2")
            Expect.equal (f.Invoke [| 3.0; 1.0 |]) -17.0 "x = 1, y = 3"
        }
    ]

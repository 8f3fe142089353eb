module FimVerify.Symbolic.Tests.KappaTailTests

open System.Numerics
open Expecto
open FimVerify.Symbolic

[<Tests>]
let tests =
    testList "κ's general tail coefficient (guess from the series, proof in Q(n))" [
        test "the derivation to order 400 proves every step" {
            let dv = KappaTailCoefficient.derive 400
            for s in dv.Steps do Expect.isTrue s.Holds s.Statement
            Expect.isTrue dv.Proved "proved"
        }
        test "the guessed ratio is (2n+1)²/((2n+3)(2n+4)), cross-checked against the integer closed form" {
            let dv = KappaTailCoefficient.derive 60
            let n = UnivariateRationalFunction.x
            let lin a b = UnivariateRationalFunction.linear a b
            Expect.equal dv.GuessedRatio (lin 2 1 * lin 2 1 / (lin 2 3 * lin 2 4)) "ratio"
            // Independent route: the closed form from integers (binomials and powers of 4), n = 0 … 29.
            let s = ReluKernelSeries.kappa 60
            for k in 0 .. 28 do
                let h = Rational(Rational.binomial (2 * k) k, BigInteger.Pow(BigInteger 4, k) * BigInteger((2 * k + 1) * (2 * k + 2)))
                Expect.equal s.Coeffs[2 * k + 2] (PiLaurent.Monomial(h / Rational.ofInt 2, -1)) $"t^{2 * k + 2}"
            ignore n
        }
        test "the guesser rejects a sequence that is not hypergeometric and a hypergeometric one with one wrong term" {
            let fib = Array.init 30 (fun k -> Seq.fold (fun (a: BigInteger, b) _ -> b, a + b) (BigInteger.One, BigInteger.One) (seq { 1 .. k }) |> fst |> Rational.ofBigInt)
            Expect.isNone (HypergeometricGuess.leastRatio 3 0 fib) "Fibonacci numbers have no rational term ratio"
            let h = Array.init 40 KappaTailCoefficient.closedForm
            Expect.isSome (HypergeometricGuess.leastRatio 3 0 h) "the true closed form is found"
            h[33] <- h[33] + Rational.make 1 (1 <<< 30)
            Expect.isNone (HypergeometricGuess.leastRatio 3 0 h) "a single perturbed term is detected"
        }
    ]

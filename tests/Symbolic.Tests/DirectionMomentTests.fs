module FimVerify.Symbolic.Tests.DirectionMomentTests

open System
open System.Numerics
open Expecto
open FimVerify.Symbolic

let private d = UnivariateRationalFunction.x
let private rf (a: int) = UnivariateRationalFunction.ofInt a

/// The column factor f(z) of a direction from its definition in MATH.md §1 (entry · √p), in floating point.
let private columnValue (dim: int) (z: float[]) (direction: Direction) =
    let r2 = Array.sumBy (fun x -> x * x) z
    let r = sqrt r2
    match direction with
    | V0 -> r / sqrt (float dim)
    | Row a -> z[a]
    | Pair(a, b) -> sqrt (float dim) * z[a] * z[b] / r
    | Gamma a -> sqrt (float dim / 2.0) * (z[a] * z[a] - r2 / float dim) / r

[<Tests>]
let tests =
    testList "Direction-vector moments and Lemma 2's constant" [
        test "expected squared norms: 1, 1, d/(d+2), (d−1)/(d+2)" {
            Expect.equal (DirectionVectorMoments.expectedSquaredNorm V0) UnivariateRationalFunction.One "E‖v0‖²"
            Expect.equal (DirectionVectorMoments.expectedSquaredNorm (Row 0)) UnivariateRationalFunction.One "E‖W_l‖²"
            Expect.equal (DirectionVectorMoments.expectedSquaredNorm (Pair(0, 1))) (d / (d + rf 2)) "E‖v(α,β)‖²"
            Expect.equal (DirectionVectorMoments.expectedSquaredNorm (Gamma 0)) ((d - rf 1) / (d + rf 2)) "E‖v(γ)‖²"
        }
        test "v(γ)·v(γ') has mean −1/(d+2), i.e. −1/(d−1) after normalising (Lemma 2)" {
            let e = DirectionVectorMoments.gramEntry (Gamma 0) (Gamma 1)
            Expect.equal e.Mean (-(rf 1) / (d + rf 2)) "mean"
            Expect.equal (e.Mean / DirectionVectorMoments.expectedSquaredNorm (Gamma 0)) (-(rf 1) / (d - rf 1)) "normalised"
        }
        test "17 kinds of Gram entry; their number in dimension d sums to D = M(M+1)/2" {
            let kinds = DirectionVectorMoments.allGramEntries ()
            Expect.equal kinds.Length 17 "kinds"
            for dim in 1 .. 30 do
                let m = (dim + 1) * (dim + 2) / 2
                Expect.equal (LemmaConstants.gramEntryCount dim) (BigInteger(m * (m + 1) / 2)) $"D at d = {dim}"
        }
        test "C(d) is the largest per-column variance; the values at d = 1 … 8" {
            let expected = [ 1, Rational.ofInt 3; 2, Rational.ofInt 2; 5, Rational.ofInt 2; 6, Rational.make 13 6; 8, Rational.make 1229 400 ]
            for (dim, c) in expected do
                Expect.equal (LemmaConstants.chebyshevConstant dim) c $"C({dim})"
            // v0·v0 has per-column variance Var(χ²_d)/d² = 2/d: an independent closed form.
            Expect.equal (DirectionVectorMoments.gramEntry V0 V0).Variance (rf 2 / d) "Var |z|²/d"
        }
        test "every Gram entry's mean and variance against Monte Carlo at d = 4 (150 000 columns; each check |error| ≤ 5 standard errors, false alarm ≤ 6e-7 each, ≤ 2.1e-5 over all 34 checks)" {
            let dim = 4
            let next = GaussianMomentTests.gaussians 20261124
            let n = 150_000
            let kinds = DirectionVectorMoments.allGramEntries () |> List.filter (fun e -> e.MinimumDimension <= dim) |> Array.ofList
            let s1 = Array.zeroCreate<float> kinds.Length
            let s2 = Array.zeroCreate<float> kinds.Length
            let s3 = Array.zeroCreate<float> kinds.Length
            let s4 = Array.zeroCreate<float> kinds.Length
            for _ in 1 .. n do
                let z = Array.init dim (fun _ -> next ())
                kinds |> Array.iteri (fun k e ->
                    let x = columnValue dim z e.Left * columnValue dim z e.Right
                    s1[k] <- s1[k] + x
                    s2[k] <- s2[k] + x * x
                    s3[k] <- s3[k] + x * x * x
                    s4[k] <- s4[k] + x * x * x * x)
            kinds |> Array.iteri (fun k e ->
                let nf = float n
                let mean = s1[k] / nf
                let m2 = s2[k] / nf - mean * mean
                // Fourth central moment from the raw moments, for the standard error of the sample variance.
                let m4 = s4[k] / nf - 4.0 * mean * s3[k] / nf + 6.0 * mean * mean * s2[k] / nf - 3.0 * mean ** 4.0
                let exactMean = e.Mean.Evaluate(Rational.ofInt dim).ToDouble()
                let exactVar = e.Variance.Evaluate(Rational.ofInt dim).ToDouble()
                let name = $"{e.Left}·{e.Right}"
                Expect.isLessThanOrEqual (abs (mean - exactMean)) (5.0 * sqrt (m2 / nf)) $"{name}: mean {exactMean} vs {mean}"
                Expect.isLessThanOrEqual (abs (m2 - exactVar)) (5.0 * sqrt ((m4 - m2 * m2) / nf)) $"{name}: variance {exactVar} vs {m2}")
        }
    ]

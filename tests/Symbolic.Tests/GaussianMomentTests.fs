module FimVerify.Symbolic.Tests.GaussianMomentTests

open System
open System.Numerics
open Expecto
open FsCheck
open FimVerify.Symbolic

let private config = { FsCheckConfig.defaultConfig with maxTest = 100; replay = Some(20261124UL, 11UL, None) }
let private dVar = UnivariateRationalFunction.x

/// Standard normals by Box–Muller from a fixed seed (independent of the library under test).
let gaussians (seed: int) =
    let rng = Random(seed)
    let mutable spare = None
    fun () ->
        match spare with
        | Some z -> spare <- None; z
        | None ->
            let u1 = 1.0 - rng.NextDouble()
            let u2 = rng.NextDouble()
            let r = sqrt (-2.0 * log u1)
            spare <- Some(r * sin (2.0 * Math.PI * u2))
            r * cos (2.0 * Math.PI * u2)

[<Tests>]
let tests =
    testList "Gaussian and sphere moments (d symbolic)" [
        test "E|z|^(2m) at d = 1 is (2m−1)!! and at d = 2 is 2^m m! (|z|² is exponential with mean 2)" {
            for m in 0 .. 12 do
                let p = GaussianMoments.radial m
                Expect.equal (p.Evaluate Rational.One) (Rational.ofBigInt (GaussianMoments.scalar (2 * m))) $"d = 1, m = {m}"
                let factorial = Seq.fold (fun (a: BigInteger) k -> a * BigInteger(k: int)) BigInteger.One (seq { 1 .. m })
                Expect.equal (p.Evaluate(Rational.ofInt 2)) (Rational.ofBigInt (BigInteger.Pow(BigInteger 2, m) * factorial)) $"d = 2, m = {m}"
        }
        test "E|z|⁴ = Σ_ij E z_i² z_j² = 3d + d(d−1)" {
            let direct = UnivariateRationalFunction.ofInt 3 * dVar + dVar * (dVar - UnivariateRationalFunction.One)
            Expect.equal (UnivariateRationalFunction.ofPolynomial (GaussianMoments.radial 2)) direct "d² + 2d"
        }
        testPropertyWithConfig config "|u|² = 1: Σ_i E[u_i² m] = E[m] for every monomial m, with d symbolic" (fun (e0: byte) (e1: byte) (e2: byte) ->
            // m over named coordinates 0, 1, 2; the sum over i splits into the 3 named coordinates and
            // d − 3 further coordinates that all behave like a fresh coordinate 3.
            let exps = [| int e0 % 5; int e1 % 5; int e2 % 5 |]
            let withBump i = Array.init 4 (fun k -> (if k < 3 then exps[k] else 0) + (if k = i then 2 else 0))
            let lhs =
                [ 0; 1; 2 ] |> List.sumBy (fun i -> GaussianMoments.sphere (withBump i))
                |> fun named -> named + (dVar - UnivariateRationalFunction.ofInt 3) * GaussianMoments.sphere (withBump 3)
            lhs = GaussianMoments.sphere exps)
        testPropertyWithConfig config "E[|z|^(2m) z^k] = E|z|^(2m+K) E[u^k] (independence of |z| and u)" (fun (m: byte) (e0: byte) (e1: byte) ->
            let m = int m % 4
            let exps = [ 2 * (int e0 % 3); 2 * (int e1 % 3) ]
            let k = List.sum exps
            UnivariateRationalFunction.ofPolynomial (GaussianMoments.withRadius m exps)
                = UnivariateRationalFunction.ofPolynomial (GaussianMoments.radial (m + k / 2)) * GaussianMoments.sphere exps)
        test "odd moments vanish" {
            Expect.equal (GaussianMoments.sphere [ 3; 2 ]) UnivariateRationalFunction.Zero "E u_0³ u_1² = 0"
            Expect.equal (GaussianMoments.monomial [ 1 ]) Rational.Zero "E z = 0"
        }
        test "sphere moments at d = 3 against Monte Carlo (200 000 points, |error| ≤ 5 standard errors: false alarm ≤ 6e-7 per check)" {
            let next = gaussians 4242
            let n = 200_000
            let cases = [ [ 2 ]; [ 4 ]; [ 2; 2 ]; [ 4; 2 ]; [ 2; 2; 2 ]; [ 6 ] ]
            let sums = Array.zeroCreate<float> cases.Length
            let squares = Array.zeroCreate<float> cases.Length
            for _ in 1 .. n do
                let z = Array.init 3 (fun _ -> next ())
                let r = sqrt (Array.sumBy (fun x -> x * x) z)
                cases |> List.iteri (fun c exps ->
                    let v = exps |> List.mapi (fun i k -> (z[i] / r) ** float k) |> List.fold (*) 1.0
                    sums[c] <- sums[c] + v
                    squares[c] <- squares[c] + v * v)
            cases |> List.iteri (fun c exps ->
                let mean = sums[c] / float n
                let se = sqrt ((squares[c] / float n - mean * mean) / float n)
                let exact = (GaussianMoments.sphere exps).Evaluate(Rational.ofInt 3).ToDouble()
                Expect.isLessThanOrEqual (abs (mean - exact)) (5.0 * se) $"E u^{exps}: exact {exact}, Monte Carlo {mean} ± {se}")
        }
    ]

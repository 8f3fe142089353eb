module FimVerify.Symbolic.Tests.TianTheorem1Tests

open System
open Expecto
open FimVerify.Symbolic

let private valueAt (theta: float) (nw: float) (x: Expression) =
    Floating.evaluate (Map.ofList [ "theta", theta; "c", cos theta; "s", sin theta; "nw", nw; "ni", 1.3; "nj", nw ]) x

[<Tests>]
let tests =
    testList "Tian's Theorem 1 (plane reduction, exact arc integral)" [
        test "the derived E[F(e,w)] equals (1/2π)[(π − θ)w + ‖w‖ sin θ e] canonically; Lemma 1 and J_ii = n_i²/2 follow" {
            let t = TianTheorem1.derive ()
            Expect.isTrue t.Holds "Theorem 1"
            Expect.isTrue t.Lemma1Holds "Lemma 1"
            Expect.equal t.Diagonal (InfixParser.parse "ni^2/2") "diagonal"
            Expect.equal t.ArcLength (InfixParser.parse "pi - theta") "arc length π − θ"
            Expect.equal t.RadialSecondMoment (Rational.ofInt 2) "E r² = 2"
            Expect.equal t.ReluDerivativeKernel (Expand.expand (InfixParser.parse "(pi - theta)/(2*pi)")) "I_φ' = (π − θ)/(2π)"
            Expect.equal t.ReluDerivativeSquare (InfixParser.parse "1/2") "∫Dz φ'² = 1/2"
            Expect.equal t.ReluKernel (Expand.expand (InfixParser.parse "(a/(2*pi))*(sqrt(1 - c^2) + (pi - arccos(c))*c)")) "I_φ of MATH.md §2"
            Expect.equal t.ReluSquare (InfixParser.parse "q/2") "∫Dz φ² = q/2"
        }
        test "independent route 1: Simpson quadrature of the arc integral (4000 panels) agrees to 1e-12" {
            let t = TianTheorem1.derive ()
            for theta in [ 0.3; 1.1; 2.0; 3.0 ] do
                let nw = 1.7
                let lo, hi = theta - Math.PI / 2.0, Math.PI / 2.0
                let n = 4000
                let h = (hi - lo) / float n
                let simpson f = (Seq.sum (seq { for k in 0 .. n -> let w = (if k = 0 || k = n then 1.0 elif k % 2 = 1 then 4.0 else 2.0) in w * f (lo + float k * h) })) * h / 3.0
                let xw phi = nw * cos (phi - theta)
                let e = 2.0 / (2.0 * Math.PI) * simpson (fun phi -> cos phi * xw phi)
                let perp = 2.0 / (2.0 * Math.PI) * simpson (fun phi -> sin phi * xw phi)
                Expect.floatClose { absolute = 1e-12; relative = 1e-12 } (valueAt theta nw (fst t.Result)) e $"e-component at θ = {theta}"
                Expect.floatClose { absolute = 1e-12; relative = 1e-12 } (valueAt theta nw (snd t.Result)) perp $"e⊥-component at θ = {theta}"
        }
        test "independent route 2: Monte Carlo in R^5 (200 000 samples, each component within 5 standard errors: false alarm ≤ 1.2e-6)" {
            // Theorem 1 in d = 5: e = e_1, w = nw (cos θ e_1 + sin θ e_2); the other coordinates must not matter.
            let t = TianTheorem1.derive ()
            let next = GaussianMomentTests.gaussians 777
            let theta, nw, n = 1.2, 0.8, 200_000
            let mutable s1, s2, q1, q2 = 0.0, 0.0, 0.0, 0.0
            for _ in 1 .. n do
                let x = Array.init 5 (fun _ -> next ())
                let xw = nw * (cos theta * x[0] + sin theta * x[1])
                if x[0] > 0.0 && xw > 0.0 then
                    let f1, f2 = x[0] * xw, x[1] * xw
                    s1 <- s1 + f1; s2 <- s2 + f2; q1 <- q1 + f1 * f1; q2 <- q2 + f2 * f2
            let nf = float n
            let check (sum: float) (sq: float) (expected: float) name =
                let mean = sum / nf
                let se = sqrt ((sq / nf - mean * mean) / nf)
                Expect.isLessThanOrEqual (abs (mean - expected)) (5.0 * se) $"{name}: derived {expected}, Monte Carlo {mean} ± {se}"
            check s1 q1 (valueAt theta nw (fst t.Result)) "e-component"
            check s2 q2 (valueAt theta nw (snd t.Result)) "e⊥-component"
        }
    ]

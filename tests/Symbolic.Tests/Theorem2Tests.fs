module FimVerify.Symbolic.Tests.Theorem2Tests

open System
open Expecto
open FimVerify.Symbolic

/// A rational point on the unit sphere S^(d−1) by inverse stereographic projection of s ∈ Q^(d−1).
let private rationalUnitVector (s: Rational[]) =
    let s2 = Array.fold (fun acc (x: Rational) -> acc + x * x) Rational.Zero s
    let den = Rational.One + s2
    Array.append (s |> Array.map (fun x -> Rational.ofInt 2 * x / den)) [| (Rational.One - s2) / den |]

let private matrix (p: int) (f: int -> int -> Rational) = Array.init p (fun i -> Array.init p (fun j -> f i j))

type private Columns = { W: Rational[][]; Norms: Rational[] }

let private columns (seed: int) (d: int) (p: int) =
    let rng = Random(seed)
    let q () = Rational.make (rng.Next(-9, 10)) (rng.Next(1, 8))
    let cols = Array.init p (fun _ ->
        let u = rationalUnitVector (Array.init (d - 1) (fun _ -> q ()))
        let radius = Rational.make (rng.Next(1, 20)) (rng.Next(1, 9))
        radius, u |> Array.map (fun x -> radius * x))
    { W = cols |> Array.map snd; Norms = cols |> Array.map fst }

let private groups (d: int) (c: Columns) : Map<RankOneGroup, Rational[][]> =
    let p = c.W.Length
    let dq = Rational.ofInt d
    let two = Rational.ofInt 2
    let w k i = c.W[i][k]
    let n i = c.Norms[i]
    let dot i j = Seq.fold (fun acc k -> acc + w k i * w k j) Rational.Zero (seq { 0 .. d - 1 })
    let sumOver ks f = Seq.fold (fun acc k -> acc + f k) Rational.Zero ks
    let gammaPart k i = w k i * w k i - n i * n i / dq          // (W_γi² − n_i²/d)
    Map.ofList
        [ NormProducts, matrix p (fun i j -> n i * n j)
          ColumnGram, matrix p dot
          SquaredGramOverNorms, matrix p (fun i j -> dot i j * dot i j / (n i * n j))
          V0Outer, matrix p (fun i j -> n i * n j / dq)
          RowsOuter, matrix p (fun i j -> sumOver (seq { 0 .. d - 1 }) (fun k -> w k i * w k j))
          AllPairsOuter, matrix p (fun i j -> sumOver (seq { 0 .. d * d - 1 }) (fun ab -> let a, b = ab / d, ab % d in dq * w a i * w b i * w a j * w b j / (n i * n j)))
          DiagonalPairsOuter, matrix p (fun i j -> sumOver (seq { 0 .. d - 1 }) (fun g -> dq * w g i * w g i * w g j * w g j / (n i * n j)))
          PairsOuter, matrix p (fun i j -> sumOver (seq { 0 .. d * d - 1 }) (fun ab -> let a, b = ab / d, ab % d in if a < b then dq * w a i * w b i * w a j * w b j / (n i * n j) else Rational.Zero))
          GammasOuter, matrix p (fun i j -> sumOver (seq { 0 .. d - 1 }) (fun g -> dq / two * gammaPart g i * gammaPart g j / (n i * n j)))
          // √2 v⁽⁰⁾_i s_j = √2 (n_i/√d) √(d/2) Σ_γ (W_γj² − n_j²/d)/n_j = n_i S_j/n_j.
          V0GammaCross, matrix p (fun i j ->
            let s k = sumOver (seq { 0 .. d - 1 }) (fun g -> gammaPart g k)
            n i * s j / n j + s i * n j / n i) ]

[<Tests>]
let tests =
    testList "Theorem 2 coefficients" [
        test "regrouping gives exactly the stated (2d+1)/(4π), 1/4, 1/(2πd), 1/(2πd), with d symbolic" {
            let t = Theorem2Coefficients.derive ()
            Expect.equal t.Final Theorem2Coefficients.stated "final coefficients"
            Expect.equal (t.Final[V0Outer].Format "d") "(2*d + 1)/(4*pi)" "printed"
        }
        test "trace identities: tr J = ‖W‖²/2 and tr(main)/tr J = 1/2 + 3/(2π), by two routes" {
            let t = Theorem2Coefficients.derive ()
            Expect.equal t.TraceOverFrobenius (PiLaurent.OfRational(Rational.make 1 2)) "κ(1) = 1/2"
            let expected = PiLaurent.OfRational(Rational.make 1 2) + PiLaurent.Monomial(Rational.make 3 2, -1)
            Expect.equal t.MainTraceRatio expected "from the diagonal"
            Expect.equal (t.MainTraceOverFrobeniusFromGroups.AtDimension 7 / t.TraceOverFrobenius) expected "from the groups (d cancels)"
            Expect.equal t.MainTraceOverFrobeniusFromGroups.Terms.Count 2 "no d left: two terms, π⁰ and π⁻¹"
            Expect.floatClose Accuracy.veryHigh (expected.ToDouble()) (0.5 + 1.5 / Math.PI) "≈ 0.977"
        }
        test "every regrouping rule is an exact matrix identity for W with rational-norm columns (d = 2, 3, 4)" {
            for d in [ 2; 3; 4 ] do
                for seed in 1 .. 3 do
                    let c = columns (100 * d + seed) d 5
                    let m = groups d c
                    let dq = Rational.ofInt d
                    for rule in Theorem2Coefficients.rules do
                        let rhs =
                            rule.By |> List.fold (fun (acc: Rational[][]) (k, g) ->
                                let kk = k.Evaluate dq
                                Array.map2 (Array.map2 (fun a b -> a + kk * b)) acc m[g]) (matrix 5 (fun _ _ -> Rational.Zero))
                        Expect.equal rhs m[rule.Replaces] $"d = {d}, seed {seed}: {rule.Reason}"
        }
        test "main part from the actual vectors v⁽⁰⁾, W_k, v^(α,β), v^(γ) equals D_n(a₀ + a₁T + a₂T∘T)D_n (Gaussian W, d = 3, p = 8)" {
            let next = GaussianMomentTests.gaussians 99
            let d, p = 3, 8
            let w = Array.init d (fun _ -> Array.init p (fun _ -> next () / sqrt (float p)))
            let n = Array.init p (fun i -> sqrt (Seq.sumBy (fun k -> w[k][i] ** 2.0) (seq { 0 .. d - 1 })))
            let v0 = Array.init p (fun i -> n[i] / sqrt (float d))
            let vab a b = Array.init p (fun i -> sqrt (float d) * w[a][i] * w[b][i] / n[i])
            let vg g = Array.init p (fun i -> (vab g g)[i] - v0[i]) |> Array.map (fun x -> x / sqrt 2.0)
            let outer (x: float[]) = Array.init p (fun i -> Array.init p (fun j -> x[i] * x[j]))
            let t = Theorem2Coefficients.derive ()
            let coeff g = (t.Final[g].AtDimension d).ToDouble()
            let add (a: float[][]) (c: float) (b: float[][]) = Array.map2 (Array.map2 (fun x y -> x + c * y)) a b
            let zero = Array.init p (fun _ -> Array.zeroCreate<float> p)
            let main =
                [ yield coeff V0Outer, outer v0
                  for k in 0 .. d - 1 do yield coeff RowsOuter, outer w[k]
                  for a in 0 .. d - 1 do
                      for b in a + 1 .. d - 1 do yield coeff PairsOuter, outer (vab a b)
                  for g in 0 .. d - 1 do yield coeff GammasOuter, outer (vg g) ]
                |> List.fold (fun acc (c, m) -> add acc c m) zero
            let a = t.SeriesCoefficients |> List.map (fun c -> c.ToDouble())
            let sumV = Array.init p (fun i -> Seq.sumBy (fun g -> (vg g)[i]) (seq { 0 .. d - 1 }))
            Expect.isLessThan (Array.maxBy abs sumV |> abs) 1e-14 "Σ_γ v^(γ) = 0"
            for i in 0 .. p - 1 do
                for j in 0 .. p - 1 do
                    let dot = Seq.sumBy (fun k -> w[k][i] * w[k][j]) (seq { 0 .. d - 1 })
                    let tt = dot / (n[i] * n[j])
                    let expected = n[i] * n[j] * (a[0] + a[1] * tt + a[2] * tt * tt)
                    Expect.floatClose { absolute = 1e-14; relative = 1e-12 } main.[i].[j] expected $"entry ({i},{j})"
        }
    ]

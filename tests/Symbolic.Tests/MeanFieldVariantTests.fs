module FimVerify.Symbolic.Tests.MeanFieldVariantTests

open Expecto
open FimVerify.Symbolic

module X = Expression
module V = MeanFieldVariantStatistics

let private q (p: int) (r: int) = Rational.make p r
let private zero = Rational.Zero

/// The exact value of an expression at a rational point (every derived form is rational in its symbols).
let private at (values: Map<string, Rational>) (x: Expression) =
    match Precise.tryExact values x with
    | Some r -> r
    | None -> failwith $"not rational at the point: {Infix.format x}"

let private product (a: Rational[,]) (b: Rational[,]) =
    Array2D.init (Array2D.length1 a) (Array2D.length2 b) (fun i j -> Seq.fold (fun acc k -> acc + a[i, k] * b[k, j]) zero (seq { 0 .. Array2D.length2 a - 1 }))
let private transpose (a: Rational[,]) = Array2D.init (Array2D.length2 a) (Array2D.length1 a) (fun i j -> a[j, i])
let private trace (a: Rational[,]) = Seq.fold (fun acc i -> acc + a[i, i]) zero (seq { 0 .. Array2D.length1 a - 1 })

/// I_C ⊗ B for a T×T block B, written out.
let private blockDiagonal (c: int) (t: int) (entry: int -> int -> Rational) =
    Array2D.init (c * t) (c * t) (fun i j -> if i / t = j / t then entry (i % t) (j % t) else zero)

/// dim ker(A − λI), exactly.
let private nullity (a: Rational[,]) (lambda: Rational) =
    let n = Array2D.length1 a
    RationalNullspace.basis (Array.init n (fun i -> Array.init n (fun j -> if i = j then a[i, j] - lambda else a[i, j]))) |> Array.length

/// The second route: the explicit symmetric matrix's eigenvalues are exactly the derived ones, each with the derived
/// multiplicity (= dim ker(A − λI)), and these account for all CT dimensions; m, s and λ_max evaluated from the derived
/// forms equal Σλ/P, Σλ²/P and max λ over that spectrum.
let private agreesWithExplicit (name: string) (d: DualStatistics) (values: Map<string, Rational>) (matrix: Rational[,]) =
    let n = Array2D.length1 matrix
    let spectrum = d.Spectrum |> List.map (fun e -> at values e.Value, at values e.Multiplicity)
    let distinct = spectrum |> List.groupBy fst |> List.map (fun (v, xs) -> v, xs |> List.sumBy (snd >> fun r -> r))
    for v, mult in distinct do
        Expect.equal (Rational.ofInt (nullity matrix v)) mult $"{name}: dim ker(A − λI) at λ = {v}"
    Expect.equal (distinct |> List.sumBy snd) (Rational.ofInt n) $"{name}: the derived eigenvalues fill all CT dimensions"
    let p = at values d.ParameterCount
    let sum k = spectrum |> List.sumBy (fun (v, mult) -> mult * Rational.pow v k)
    Expect.equal (sum 1) (trace matrix) $"{name}: Σλ = tr A"
    Expect.equal (at values d.Mean) (sum 1 / p) $"{name}: m = Σλ/P"
    Expect.equal (at values d.SecondMoment) (sum 2 / p) $"{name}: s = Σλ²/P"
    Expect.equal (at values d.LambdaMax) (distinct |> List.map fst |> List.max) $"{name}: λ_max is the largest eigenvalue"

/// Random positive rationals for the sizes and order parameters (second moments q₂ < q₁), fixed seed.
let private point (seed: int) (c: int) (t: int) (depth: int) =
    let rnd = System.Random seed
    let positive () = q (rnd.Next(1, 40)) (rnd.Next(1, 9))
    let pair () = let a = positive () in a, a * q (rnd.Next(1, 9)) 10
    Map.ofList
        [ yield "C", Rational.ofInt c
          yield "T", Rational.ofInt t
          yield "M", Rational.ofInt (rnd.Next(20, 400))
          yield "sigma_w2", positive ()
          yield "alpha", positive ()
          let k1, k2 = pair ()
          yield "kappa1", k1
          yield "kappa2", k2
          let n1, n2 = pair ()
          yield "ntkKappa1", n1
          yield "ntkKappa2", n2
          for l in 0 .. depth do
              yield MeanFieldStatistics.widthName l, positive ()
              let h1, h2 = pair ()
              yield MeanFieldStatistics.qhatName 1 l, h1
              yield MeanFieldStatistics.qhatName 2 l, h2
              let t1, t2 = pair ()
              yield MeanFieldStatistics.qtildeName 1 l, t1
              yield MeanFieldStatistics.qtildeName 2 l, t2 ]

[<Tests>]
let variants =
    testList "Mean-field variant statistics (derived)" [
        test "every step holds for depths 1…5 (bulk, mean subtraction, NTK mean subtraction, each block, input metric, softmax)" {
            for depth in 1 .. 5 do
                for s in V.steps depth do Expect.isTrue s.Holds $"depth {depth}: {s.Statement} ({s.Evidence})"
            for s in SoftmaxStatistics.derivation.Force().Steps.Force() do Expect.isTrue s.Holds $"softmax: {s.Statement} ({s.Evidence})"
        }
        test "the spectra against the explicit CT×CT duals, exactly, at random rational points (C = 1…3, T = 2…4)" {
            let mutable seed = 0
            for c in 1 .. 3 do
                for t in 2 .. 4 do
                    seed <- seed + 1
                    let depth = 3
                    let v = point seed c t depth
                    let r (s: string) = v[s]
                    let tt, m = Rational.ofInt t, r "M"
                    // The model's entries, written from MATH.md §2 (not from the derivation): regression (αM/T)κ_i.
                    let regression = blockDiagonal c t (fun i j -> r "alpha" * m / tt * (if i = j then r "kappa1" else r "kappa2"))
                    agreesWithExplicit $"regression C={c} T={t}" (V.regression.Force()) v regression
                    Expect.equal (at v (V.bulk.Force())) (r "alpha" * m / tt * (r "kappa1" - r "kappa2")) "the bulk eigenvalue (αM/T)(κ₁ − κ₂)"
                    // Mean subtraction: Π F* Π with Π = I_C ⊗ (I − 11ᵀ/T), multiplied out.
                    let centring = blockDiagonal c t (fun i j -> (if i = j then Rational.One else zero) - Rational.One / tt)
                    agreesWithExplicit $"mean-subtracted C={c} T={t}" (V.meanSubtracted.Force()) v (product (product centring regression) centring)
                    // NTK with mean subtraction: Π Θ Π with Θ = I_C ⊗ ((κ′₁ − κ′₂)I + κ′₂11ᵀ), over CT eigenvalues.
                    let ntk = blockDiagonal c t (fun i j -> if i = j then r "ntkKappa1" else r "ntkKappa2")
                    agreesWithExplicit $"NTK mean-subtracted C={c} T={t}" (V.ntkMeanSubtracted.Force()) v (product (product centring ntk) centring)
                    // Block l: M_(l−1) q̂^(l−1)_i q̃^l_i / T.
                    for l in 1 .. depth do
                        let entry i = r (MeanFieldStatistics.widthName (l - 1)) * m * r (MeanFieldStatistics.qhatName i (l - 1)) * r (MeanFieldStatistics.qtildeName i l) / tt
                        agreesWithExplicit $"block {l} C={c} T={t}" (V.block depth l) v (blockDiagonal c t (fun i j -> entry (if i = j then 1 else 2)))
                    // Input metric: σ_w² q̃¹_i / T.
                    let input i = r "sigma_w2" * r (MeanFieldStatistics.qtildeName i 1) / tt
                    agreesWithExplicit $"input C={c} T={t}" (V.inputMetric.Force()) v (blockDiagonal c t (fun i j -> input (if i = j then 1 else 2)))
        }
        test "softmax m and s against the explicit dual's trace and Frobenius norm, exactly (random rational R_t)" {
            for seed, c, t in [ 1, 2, 3; 2, 3, 3; 3, 4, 2 ] do
                let rnd = System.Random(100 + seed)
                let entry () = q (rnd.Next(-6, 7)) (rnd.Next(1, 5))
                let r = Array.init t (fun _ -> Array2D.init c c (fun _ _ -> entry ()))
                let v = point seed c t 1
                let k1, k2, alpha, m, tt = v["kappa1"], v["kappa2"], v["alpha"], v["M"], Rational.ofInt t
                let n = c * t
                // (αM/T)[(κ₁ − κ₂) ⊕_t R_tR_tᵀ + κ₂ (R_sR_tᵀ)_(s,t)], entry by entry.
                let rr s u i j = Seq.fold (fun acc k -> acc + r[s][i, k] * r[u][j, k]) zero (seq { 0 .. c - 1 })
                let dual = Array2D.init n n (fun i j ->
                    let s, u = i / c, j / c
                    alpha * m / tt * ((if s = u then (k1 - k2) * rr s s (i % c) (j % c) else zero) + k2 * rr s u (i % c) (j % c)))
                let qs = r |> Array.map (fun x -> product (transpose x) x)
                let qBar = Array2D.init c c (fun i j -> (qs |> Array.sumBy (fun x -> x[i, j])) / tt)
                let values =
                    v |> Map.add "meanTrQ" ((qs |> Array.sumBy trace) / tt)
                      |> Map.add "meanTrQ2" ((qs |> Array.sumBy (fun x -> trace (product x x))) / tt)
                      |> Map.add "trQbar2" (trace (product qBar qBar))
                let d = SoftmaxStatistics.derivation.Force()
                let p = alpha * m * m
                Expect.equal (at values d.Mean) (trace dual / p) $"m = tr/P (C = {c}, T = {t})"
                Expect.equal (at values d.SecondMoment) (trace (product dual dual) / p) $"s = ‖·‖²_F/P (C = {c}, T = {t})"
                Expect.equal (at values d.OutlierScale) (alpha * m * ((tt - Rational.One) / tt * k2 + k1 / tt)) "the outlier scale is Theorem 3.1's λ_max"
        }
        test "normalFormExpandingFirst is the normal form (derived forms at depths 1…4, and expressions that are not Laurent)" {
            let derived =
                [ for depth in 1 .. 4 do
                    for l in 1 .. depth do
                        let d = V.block depth l
                        yield! [ d.Mean; d.SecondMoment; d.LambdaMax ]
                  for d in [ V.regression.Force(); V.meanSubtracted.Force(); V.inputMetric.Force() ] do yield! [ d.Mean; d.SecondMoment; d.LambdaMax ]
                  let s = SoftmaxStatistics.derivation.Force()
                  yield! [ s.Mean; s.SecondMoment; s.OutlierScale ] ]
            let others = [ "(x^2 - 1)/(x - 1)"; "1/(1 + x) + y/x^2"; "sqrt(x)/x + 3/(x*y)"; "(2*x*y - 4*y)/(6*y^2)"; "x - x"; "arcsin(x)/x" ] |> List.map InfixParser.parse
            for x in derived @ others do
                Expect.equal (RationalFunction.normalFormExpandingFirst x) (RationalFunction.normalForm x) (Infix.format x)
        }
        test "the checks can fail: a wrong top eigenvector or a wrong stated formula is caught" {
            let t, c, m, alpha, k1, k2 = MeanFieldStatistics.t, MeanFieldStatistics.c, MeanFieldStatistics.m, MeanFieldStatistics.alpha, MeanFieldStatistics.kappa1, MeanFieldStatistics.kappa2
            let dual = KroneckerDual.ofEntries (alpha * m / t) k1 k2 c t
            let stated = k1 * c / m, alpha * c * ((t - X.one) / t * k2 * k2 + k1 * k1 / t), alpha * ((t - X.one) / t * k2 + k1 / t) * m
            let holds carrier stated =
                (KroneckerDual.statistics dual (alpha * m * m) { Carrier = carrier; Nonnegative = k2; Reason = "test"; Positive = [ "T"; "C"; "M"; "alpha" ] } (fun () -> []) stated).Holds
            Expect.isTrue (holds "e_k ⊗ 1" stated) "the right statement holds"
            Expect.isFalse (holds "e_k ⊗ 1⊥" stated) "the bulk is not the top eigenvalue when κ₂ > 0"
            let m0, s0, l0 = stated
            // The bulk's old MATH.md-style shortcut αCκ₂² (large T) is not the finite-T second moment.
            Expect.isFalse (holds "e_k ⊗ 1" (m0, alpha * c * k2 * k2, l0)) "a wrong s is refused"
        }
    ]

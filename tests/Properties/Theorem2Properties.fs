module FimVerify.Properties.Theorem2Properties

open FsCheck.FSharp
open FsCheck.Xunit
open FimVerify.Numeric.ShallowRelu
open FimVerify.Numeric.Random
open FimVerify.Numeric.LinearAlgebra

[<Property(Arbitrary = [| typeof<ShallowShapes.Theorem2> |], MaxTest = 40, Replay = "(20261124,11)")>]
let ``Theorem 2: J = main + series tail, R ⪰ 0, tr(main)/tr J = 1/2 + 3/(2π), Σ v^(γ) = 0, for every W`` (d: int, p: int, seed: int64) =
    let net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed seed)
    let m = Theorem2Check.Measure(net, seed)
    let failures = Theorem2Check.Failures m
    (Array.forall not failures)
    |> Prop.label (sprintf "failures %A: tail %g, diag %g, λmin(R) %g, ratio %.16f" failures m.SeriesTailDiscrepancy m.DiagonalRemainderError m.RemainderSmallestEigenvalue m.TraceRatio)

[<Property(Arbitrary = [| typeof<ShallowShapes.Theorem2> |], MaxTest = 40, Replay = "(20261124,13)")>]
let ``Theorem 3's Rayleigh bounds follow from Lemma 2's norms: u J uᵀ ≥ coefficient·‖v‖² for every direction v and every W`` (d: int, p: int, seed: int64) =
    // J = main + R with R ⪰ 0 and every group PSD, so for u = v/‖v‖: u J uᵀ ≥ c_group (u·v)² = c_group ‖v‖²
    // (for v^(γ) the whole group contributes Σ_γ' (u·v^(γ'))² ≥ ‖v^(γ)‖²). Hence Lemma 2's norm bounds imply Theorem 3's.
    let net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed seed)
    let t2 = Theorem2Decomposition.Compute net
    let vectors = t2.Directions.All |> Seq.toArray
    let units =
        vectors |> Array.map (fun v ->
            let n = sqrt (Array.sumBy (fun x -> x * x) v.Values)
            v.Values |> Array.map (fun x -> x / n))
    let q = ReluKernelQuadraticForms.FromDense(t2.J, units)
    let slack = 1e-10 * t2.J.Trace()
    vectors |> Array.mapi (fun a v ->
        let c = Theorem2Decomposition.GroupCoefficient(v.Group, d)
        let norm2 = Array.sumBy (fun x -> x * x) v.Values
        q[a, a] >= c * norm2 - slack)
    |> Array.forall id

/// Weyl with the derived split: main has rank ≤ M − 1 and R = J − main ⪰ 0, so λ_k(main) ≤ λ_k(J) ≤ λ_k(main) + ‖R‖₂ for every k
/// and λ_M(J) ≤ ‖R‖₂; and ‖R‖₂ ≤ tr R = (1/4 − 3/(4π))·‖W‖_F² (R_ii = n_i²(κ(1) − c₀ − c₁ − c₂) exactly). The inequalities alone
/// hold for any main part of rank ≤ M − 1 (main = 0 included); the trace cap makes them fail when main is wrong: a coefficient
/// too large leaves R indefinite (the left inequality breaks), one too small or a dropped group leaves R too large.
[<Property(Arbitrary = [| typeof<ShallowShapes.Theorem2> |], MaxTest = 30, Replay = "(20261124,17)")>]
let ``Weyl: J's eigenvalues lie between main's and main's plus ‖R‖₂, with ‖R‖₂ at most the exact tail's trace`` (d: int, p: int, seed: int64) =
    let net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed seed)
    let t2 = Theorem2Decomposition.Compute net
    let m = DirectionVectors.Count d
    let eig = DenseSymmetricEigen.Eigenvalues t2.J
    let mainEig = DenseSymmetricEigen.Eigenvalues(SymmetricMatrix(p, Array.map2 (-) t2.J.Data t2.Remainder.Data))
    let rEig = DenseSymmetricEigen.Eigenvalues t2.Remainder
    let slack = 1e-12 * t2.J.Trace()
    let rNorm = max rEig[p - 1] (-rEig[0])
    let lambdaM = if m <= p then eig[p - m] else 0.0
    let tailTrace = (0.25 - 3.0 / (4.0 * System.Math.PI)) * net.FrobeniusNormSquared()
    lambdaM <= rNorm + slack
    && Seq.forall (fun k -> mainEig[k] <= eig[k] + slack && eig[k] <= mainEig[k] + rNorm + slack) [ 0 .. p - 1 ]
    && rNorm <= tailTrace * (1.0 + 1e-12) + slack

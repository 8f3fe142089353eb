module FimVerify.Properties.Lemma1Properties

open FsCheck.Xunit
open FimVerify.Numeric.ShallowRelu
open FimVerify.Numeric.Random
open FimVerify.Numeric.LinearAlgebra

[<Property(Arbitrary = [| typeof<ShallowShapes.Lemma1> |], MaxTest = 60, Replay = "(20261124,1)")>]
let ``J by Lemma 1 is symmetric PSD with trace ‖W‖²/2 for every W`` (d: int, p: int, seed: int64) =
    let net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed seed)
    let j = net.FisherByLemma1()
    let trace = j.Trace()
    let eig = DenseSymmetricEigen.Eigenvalues j
    j.MaxAsymmetry() = 0.0
    && eig[0] >= -1e-12 * trace
    && abs (trace - 0.5 * net.FrobeniusNormSquared()) <= 1e-12 * trace
    && Seq.forall (fun i -> abs (j[i, i] - 0.5 * net.ColumnNorms[i] ** 2.0) <= 1e-15 * (1.0 + net.ColumnNorms[i] ** 2.0)) [ 0 .. p - 1 ]

[<Property(Arbitrary = [| typeof<ShallowShapes.Lemma1> |], MaxTest = 60, Replay = "(20261124,3)")>]
let ``J_ij is bounded by the Cauchy–Schwarz envelope n_i n_j / 2 and is non-negative`` (d: int, p: int, seed: int64) =
    // κ is increasing on [−1, 1] from κ(−1) = 0 to κ(1) = 1/2, so 0 ≤ J_ij ≤ n_i n_j / 2.
    let net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed seed)
    let j = net.FisherByLemma1()
    Seq.forall (fun (i, k) ->
        let env = 0.5 * net.ColumnNorms[i] * net.ColumnNorms[k]
        j[i, k] >= -1e-15 * env && j[i, k] <= env * (1.0 + 1e-14))
        [ for i in 0 .. p - 1 do for k in 0 .. p - 1 -> i, k ]

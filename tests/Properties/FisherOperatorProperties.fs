module FimVerify.Properties.FisherOperatorProperties

open System
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open FimVerify.Numeric.Data
open FimVerify.Numeric.Classifiers
open FimVerify.Numeric.Operators
open FimVerify.Numeric.Random
open FimVerify.Numeric.LinearAlgebra

/// Small classifiers (input d, hidden widths, classes, inputs, activation, seed): the identities below hold for
/// every θ and data set, so a failing case is a counterexample (no statistics). Replay fixes FsCheck's seed.
type Classifiers =
    static member Shape() =
        gen {
            let! d = Gen.choose (1, 5)
            let! depth = Gen.choose (0, 2)
            let! hidden = Gen.listOfLength depth (Gen.choose (1, 6))
            let! classes = Gen.choose (2, 4)
            let! count = Gen.choose (1, 7)
            let! tanh = Gen.elements [ true; false ]
            let! seed = Gen.choose (0, Int32.MaxValue)
            return (d, Array.ofList hidden, classes, count, tanh, int64 seed)
        }
        |> Arb.fromGen

let private build (d, hidden: int[], classes, count, tanh, seed: int64) =
    let s = SeedSequence.FromSeed seed
    let data = GaussianMixture.Generate(count, d, classes, 2.0, s.Child "data")
    let widths = Array.concat [ [| d |]; hidden; [| classes |] ]
    let model = SoftmaxClassifier.Initialize(widths, (if tanh then HiddenActivation.Tanh else HiddenActivation.Relu), s.Child "init")
    model, data

[<Property(Arbitrary = [| typeof<Classifiers> |], MaxTest = 40, Replay = "(20261124,7)")>]
let ``every Fisher variant is symmetric PSD and its layer-wise form keeps the trace`` (shape) =
    let model, data = build shape
    [ FisherKind.Exact; FisherKind.MonteCarlo; FisherKind.Empirical ]
    |> List.forall (fun kind ->
        let make blocks = ClassifierFisher.Create(model, ReadOnlySpan data.Features, ReadOnlySpan data.Labels, kind, blocks, 2, SeedSequence.FromSeed 3L).Materialize()
        let full = make FisherBlocks.Full
        let wise = make FisherBlocks.LayerWise
        let scale = max 1e-300 (Array.max (Array.map abs full.Data))
        let eig = DenseSymmetricEigen.Eigenvalues full
        full.MaxAsymmetry() <= 1e-13 * scale
        && eig[0] >= -1e-10 * scale
        && abs (full.Trace() - wise.Trace()) <= 1e-12 * max 1.0 (abs (full.Trace())))

module FimVerify.Properties.MeanFieldTrends

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open FimVerify.Numeric.Activations
open FimVerify.Numeric.MeanField
open FimVerify.Numeric.Mlps
open FimVerify.Numeric.NaturalGradient
open FimVerify.Numeric.Random
open FimVerify.Numeric.Verification

// Asymptotic claims of MATH.md §2 tested as limits over growing width M (never with a tuned tolerance): the decision layer's
// LimitVerdict extrapolates each statistic's trial mean through a stated finite-size model and refutes the claim when the
// t interval of the limit excludes the target at the stated false-alarm rate; a test asserts PASS, which also needs the sweep
// to resolve the stated error with probability 0.9 (UNDERPOWERED otherwise). Seeds are fixed, and each rule's false-alarm rate
// holds for any seed.

let widths = [| 100; 200; 400; 800 |]

/// Least-squares slope of log y on log x (the library's, shared with the report).
let logSlope (xs: float[]) (ys: float[]) = WidthSweep.LogLogSlope(xs, ys)

type Setting = { Name: string; Activation: IActivation; Shape: NetworkShape }

let setting name sw sb = { Name = name; Activation = ActivationCatalog.Parse name; Shape = NetworkShape(3, sw, sb) }

let settings =
    [ setting "tanh" 3.0 0.64
      setting "relu" 2.0 0.1
      setting "erf" 2.0 0.2
      setting "linear" 1.0 0.5 ]

let trial (s: Setting) m t c (seed: SeedSequence) = FimSpectrumExperiment.Dual(s.Activation, s.Shape, m, t, c, seed)

let order (s: Setting) = OrderParameters.Compute(GaussianKernels.For s.Activation, s.Shape)

/// Squared relative errors of the measured order parameters against the recurrences. Skipped: entries where
/// the theory is 0 (q̂⁰₂), q̃^L (exactly 1 by construction) and q^L, which averages over the C output units only
/// and so does not self-average as M grows.
let orderParameterErrors (theory: OrderParameters) (measured: EmpiricalOrderParameters) =
    let L = theory.Depth
    let pairs =
        [ theory.Q1, measured.Q1, L - 1; theory.Q2, measured.Q2, L - 1; theory.QHat1, measured.QHat1, L - 1
          theory.QHat2, measured.QHat2, L - 1; theory.QTilde1, measured.QTilde1, L - 1; theory.QTilde2, measured.QTilde2, L - 1 ]
    [ for (th, me, last) in pairs do
        for l in 0 .. last do
            if not (Double.IsNaN th[l]) && abs th[l] > 1e-12 then yield ((me[l] - th[l]) / th[l]) ** 2.0 ]

let rms (xs: float list) = sqrt (List.average xs)

/// False-alarm rate of each limit claim in these tests.
let testAlpha = 1e-3

/// The limit of per-trial values over the widths, decided by the decision layer.
let limit name target (model: FiniteSizeModel) resolution (values: (int * float list) seq) =
    LimitVerdict.Decide(LimitClaim(name, name, target, model, LimitRelation.TendsTo, System.Nullable resolution),
                        values |> Seq.map (fun (m, v) -> SweepSample.FromValues(float m, Array.ofList v)) |> Array.ofSeq, testAlpha)

let vanishing = FiniteSizeModel.PowerLaw(0.5, "finite-width fluctuations of averages over M units: O(M^(−1/2))")
let inverseWidth = FiniteSizeModel.PowerLaw(1.0, "smooth statistics of the dual: O(1/M)")

/// "values → 0 at least like M^(−1/4)" (the central-limit rate is M^(−1/2)), decided by the decision layer.
let decays name (values: (int * float list) seq) =
    DecayVerdict.FromTrials(DecayClaim(name, name, 0.25, "central-limit rate M^(−1/2); at least half of it"),
                            values |> Seq.map (fun (m, v) -> struct (float m, (Array.ofList v :> System.Collections.Generic.IReadOnlyList<float>))) |> Array.ofSeq, testAlpha)

type Trends(output: ITestOutputHelper) =

    /// Rule: the RMS relative error of the measured order parameters (pooled over the hidden layers' q, q̂, q̃; T = 10, C = 4)
    /// vanishes at least like M^(−1/4) (DecayVerdict over 48 networks per M = 100…800 at α = 1e-3; the central-limit rate is
    /// M^(−1/2)), with power against an error that does not shrink (a recurrence off by a constant: φ for φ′ in q̃₂, say).
    [<Fact>]
    member _.``order parameters converge to the recurrences``() =
        for s in settings do
            let theory = order s
            let errs =
                widths |> Array.map (fun m ->
                    m, [ for k in 0 .. 47 ->
                            rms (orderParameterErrors theory (EmpiricalOrderParameters.Measure(trial s m 10 4 (SeedSequence.FromSeed(100L).Child(s.Name).Child(int64 m).Child(int64 k))))) ])
            let v = decays (s.Name + " order parameters") errs
            output.WriteLine(sprintf "%s: mean errors %A; %s" s.Name (errs |> Array.map (snd >> List.average)) v.Reason)
            Assert.True(v.Verdict = Verdict.Pass, sprintf "%s: %A: %s" s.Name v.Verdict v.Reason)

    /// Rule (WidthSweep, shared with the report): for m_λ, s_λ and λ_max (mean of the top C; T = 20, C = 3), the limit of the trial
    /// mean of measured/predicted over 16 networks per M = 100…800, extrapolated through r∞ + a/M, must be consistent with 1 at
    /// α = 1e-4 and the sweep must resolve an error of 30% with probability 0.9 (it resolves 5–20%). A prediction off by a factor
    /// of 2 (or α dropped from s_λ and λ_max) is refuted by a wide margin.
    [<Fact>]
    member _.``m, s and lambda_max ratios to Theorem 3.1 tend to 1``() =
        // Seeds as before: trial k at width M uses seed/"width-sweep"/M/k.
        let failures = ResizeArray<string>()
        for s in settings do
            let r = WidthSweep.Run(s.Activation, s.Shape, widths, 20, 3, 16, SeedSequence.FromSeed(200L).Child(s.Name), testAlpha, 0.3)
            for v in r.Limits do
                output.WriteLine(sprintf "%s: %A %s" v.Claim.Name v.Verdict v.Reason)
                if v.Verdict <> Verdict.Pass then failures.Add(sprintf "%s: %A: %s" v.Claim.Name v.Verdict v.Reason)
        Assert.True(failures.Count = 0, String.Join("; ", failures))

    /// NTK parameterisation: the statistics are width-independent. Rule: the NTK's λ_max (mean of the top C) and m_λ over
    /// their width-independent predictions tend to 1 (limits through r∞ + a/M, α = 1e-4, resolution 10%), while the standard
    /// parameterisation's λ_max over M tends to a positive constant: the NTK's does not grow with M, the FIM's does.
    [<Fact>]
    member _.``NTK statistics are width-independent``() =
        let s = setting "tanh" 3.0 0.64
        let op = order s
        let p = Predictions(op, 100, 20, 3).Ntk()
        let rows =
            widths |> Array.map (fun m ->
                m, [ for k in 0 .. 5 ->
                        let dual = trial s m 20 3 (SeedSequence.FromSeed(300L).Child(int64 m).Child(int64 k))
                        let ntk = (MeasuredSpectrum.Of(dual.Ntk(), 60L)).Statistics 3
                        let fim = (MeasuredSpectrum.Of(dual.Fisher(), dual.Backward.Forward.Network.ParameterCount)).Statistics 3
                        ntk, fim ])
        let pick f = rows |> Array.map (fun (m, r) -> m, r |> List.map (f m))
        let lambda = limit "NTK λ_max ratio" 1.0 inverseWidth 0.2 (pick (fun _ (n, _) -> n.LambdaMax / p.LambdaMax))
        let mean = limit "NTK m_λ ratio" 1.0 inverseWidth 0.2 (pick (fun _ (n, _) -> n.Mean / p.Mean))
        let fimGrowth = limit "FIM λ_max/M" 0.0 inverseWidth 0.2 (pick (fun m (_, f) -> f.LambdaMax / float m))
        for v in [ lambda; mean; fimGrowth ] do output.WriteLine(sprintf "%s: %A %s" v.Claim.Name v.Verdict v.Reason)
        Assert.True(lambda.Verdict = Verdict.Pass, lambda.Reason)
        Assert.True(mean.Verdict = Verdict.Pass, mean.Reason)
        // λ_max(F)/M → α((T−1)/T κ₂ + κ₁/T) > 0: the claim "tends to 0" must be refuted.
        Assert.True(fimGrowth.Verdict = Verdict.Fail, fimGrowth.Reason)

    /// Diagonal blocks F_ll, the input metric A⁰ and the outlier eigenspaces (tanh and ReLU with bias, T = 20, C = 3, 16
    /// networks per M = 100…800; α = 1e-3 per claim). Rules: (1) for every block and for A⁰, m_λ and s_λ follow the Theorem 3.1
    /// rule of WidthSweep (ratio → 1 through r∞ + a/M, resolution 50%: these blocks are noisier than the whole FIM) and λ_max (mean
    /// of the top C) tends to 1 on its square root through s∞ + a·M^(−1/2), resolution 25% (50% on the ratio): F_11's λ_max sits on
    /// the Marchenko–Pastur edge (1 + √(T/M))², because q̂⁰₂ = 0 leaves it no outlier term. (2) The top-C eigenspace of F is spanned by E[∇_θ f_k] and that of A⁰
    /// by E[∇_x f_k] as M grows: the largest principal angle's sine vanishes at least like M^(−1/4).
    [<Fact>]
    member _.``diagonal blocks, input metric and the outlier eigenspaces follow the theory``() =
        let failures = ResizeArray<string>()
        for s in [ setting "tanh" 3.0 0.64; setting "relu" 2.0 0.1 ] do
            let op = order s
            let L = s.Shape.Depth
            // per width: for each of the L blocks and the input metric, the trials' ratios; and the two sines
            let perWidth =
                widths |> Array.map (fun m ->
                    let p = Predictions(op, m, 20, 3)
                    let trials =
                        [ for k in 0 .. 15 ->
                            let dual = trial s m 20 3 (SeedSequence.FromSeed(800L).Child(s.Name).Child(int64 m).Child(int64 k))
                            let ratio (st: EigenvalueStatistics) (pr: EigenvalueStatistics) = [| st.Mean / pr.Mean; st.SecondMoment / pr.SecondMoment; st.LambdaMax / pr.LambdaMax |]
                            let blocks = FimSpectrumExperiment.Spectra(dual, FimVariant.Blocks)
                            let input = FimSpectrumExperiment.Spectra(dual, FimVariant.Input).[0]
                            let r = [ for l in 1 .. L -> ratio (blocks[l - 1].Statistics 3) (p.Block l) ] @ [ ratio (input.Statistics 3) (p.InputMetric()) ]
                            r, (OutlierEigenspace.PrincipalAngleSines(dual.Fisher(), 3, 20)).[0], (OutlierEigenspace.PrincipalAngleSines(dual.InputMetric(), 3, 20)).[0] ]
                    m, p, trials)
            let names = [ for l in 1 .. L -> sprintf "F_%d%d" l l ] @ [ "A⁰" ]
            for j, name in List.indexed names do
                for i in 0 .. 2 do
                    // λ_max on the bulk edge: (1 + c√(T/M))² times its limit, so its square root is linear in M^(−1/2).
                    let values =
                        perWidth |> Array.map (fun (m, _, trials) -> m, trials |> List.map (fun (r, _, _) -> if i = 2 then sqrt (r[j][i]) else r[j][i]))
                    let model, resolution = if i = 2 then vanishing, 0.25 else inverseWidth, 0.5
                    let v = limit (sprintf "%s %s %s" s.Name name WidthSweepResult.StatisticNames[i]) 1.0 model resolution values
                    output.WriteLine(sprintf "%s: %A %s" v.Claim.Name v.Verdict v.Reason)
                    if v.Verdict <> Verdict.Pass then failures.Add(sprintf "%s: %A: %s" v.Claim.Name v.Verdict v.Reason)
            for label, pick in [ "F: E[∇_θ f_k]", (fun (_, a, _) -> a); "A⁰: E[∇_x f_k]", (fun (_, _, b) -> b) ] do
                let v = decays (sprintf "%s eigenspace vs %s" s.Name label) (perWidth |> Array.map (fun (m, _, trials) -> m, trials |> List.map pick))
                output.WriteLine(sprintf "%s: %A %s" v.Claim.Name v.Verdict v.Reason)
                if v.Verdict <> Verdict.Pass then failures.Add(sprintf "%s: %A: %s" v.Claim.Name v.Verdict v.Reason)
        Assert.True(failures.Count = 0, String.Join("; ", failures))

    /// Approximate natural gradient (seed 002), ReLU, L = 3, N = 10, C = 1, 24 networks per M = 50…800 (the quick report's). The
    /// rules live in NaturalGradientSweep (shared with `verify ngd-scales` and the report; α = 1e-3 per claim): exact cases
    /// ‖Θ̄/α − I‖₂ ≤ 1e−8 in every trial (deterministic identities); ReLU unit-wise isotropy, one real step's residual and its
    /// largest pre-activation change vanish at least like M^(−1/4), with power against no decay. Seed 002's K-FAC
    /// value N·L is refuted by an identity (‖Θ̄/(NL) − I‖ = (N − 1)/(NL) at every M); its unit-wise one-step claim fails the
    /// same rules at these widths.
    [<Fact>]
    member _.``natural-gradient scales: exact to rounding, ReLU unit-wise as a trend, one step solves the training set``() =
        let r = NaturalGradientSweep.Run(Relu(), 3, [| 50; 100; 200; 400; 800 |], 2.0, 0.1, 10, 24, SeedSequence.FromSeed(500L), null, testAlpha)
        for c in Seq.append r.Claims r.SourceChecks do output.WriteLine(sprintf "%A %s: %s" c.Verdict c.Statement c.Detail)
        let failed = r.Claims |> Seq.filter (fun c -> c.Verdict <> Verdict.Pass) |> Seq.map (fun c -> $"{c.Name}: {c.Verdict}") |> List.ofSeq
        Assert.True(failed.IsEmpty, sprintf "claims not holding: %A" failed)
        let check (text: string) = r.SourceChecks |> Seq.find (fun c -> c.Statement.Contains text)
        Assert.Equal(Verdict.Fail, (check "K-FAC α = N·L").Verdict)
        Assert.Equal(Verdict.Pass, (check "unit-wise α = M(L−1)/2").Verdict)
        Assert.Equal(Verdict.Fail, (check "unit-wise NGD solves").Verdict)

/// Shapes for the exact (non-statistical) softmax ordering F_cross ⪯ F: it holds for every network, so any failing
/// case is a counterexample. FsCheck's seed is fixed by Replay.
type SoftmaxShapes =
    static member Shape() =
        gen {
            let! a = Gen.elements [ "tanh"; "relu"; "erf"; "sigmoid"; "gelu"; "linear" ]
            let! m = Gen.choose (3, 40)
            let! t = Gen.choose (2, 8)
            let! c = Gen.choose (2, 5)
            let! seed = Gen.choose (0, Int32.MaxValue)
            return a, m, t, c, int64 seed
        }
        |> Arb.fromGen

[<Property(Arbitrary = [| typeof<SoftmaxShapes> |], MaxTest = 40, Replay = "(20261124,7)")>]
let ``F_cross is dominated by F eigenvalue by eigenvalue, and Q·1 = 0 leaves at most (C−1)T non-zero eigenvalues`` (a: string, m: int, t: int, c: int, seed: int64) =
    let s = setting a 1.5 0.2
    let dual = trial s m t c (SeedSequence.FromSeed seed)
    let f = dual.Fisher()
    let fwd = dual.Backward.Forward
    let struct (soft, _) = MlpDualGram.Softmax(f, fwd.Outputs, c, t)
    let ef = (MeasuredSpectrum.Of(f, int64 f.N)).EigenvaluesDescending
    let es = (MeasuredSpectrum.Of(soft, int64 soft.N)).EigenvaluesDescending
    let tol = 1e-10 * ef[0]
    Array.forall2 (fun x y -> x <= y + tol) es ef && abs es[(c - 1) * t] <= tol

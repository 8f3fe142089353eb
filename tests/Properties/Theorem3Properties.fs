module FimVerify.Properties.Theorem3Properties

open Xunit
open FimVerify.Numeric.ShallowRelu
open FimVerify.Numeric.Random
open FimVerify.Numeric.Verification
open FimVerify.Numeric.LinearAlgebra
open FimVerify.Numeric.Operators

/// Every probabilistic claim below is decided by the engine's rule: FAIL when the one-sided Clopper–Pearson lower
/// bound of the failure rate exceeds the stated bound at false-alarm rate α = 1e-6 (two-sided for exact
/// probabilities; Bonferroni over pairs for trends). Fixed seeds make each run reproducible.
let alpha = 1e-6
let constant d = Theorem3Verification.ConstantFor d

let verdicts (report: Theorem3Report) = report.Results |> Seq.map (fun r -> r.Verdict) |> Seq.toList

/// A non-vacuous point with power: bound C·D/(δ²p) = 0.44 at p = 1000, where 17 trials are the fewest with a refuting count
/// (0.44^17 < 1e-6); 24 trials (the quick report's) refute at 21 or more failures. (The former point, 10 trials at p = 500 with
/// bound 0.88, needed 109 trials before any count could refute: every PASS there could not have been a FAIL.) Each PASS here
/// holds with probability ≥ 1 − 1e-6 under the theorem, for any seed. The same trials with ξ = 0 refute the norm of v^(γ):
/// E‖v^(γ)‖² = (d−1)/(d+2) misses 1 by 0.6 > δ in (almost) every trial.
[<Fact>]
let ``Theorem 3 and the eigenvalue claims at a non-vacuous point with power (d = 3, p = 1000, δ = 0.5)`` () =
    let prm = Theorem3Parameters.WithDefaultSlack(3, 1000, 0.5, constant 3)
    Assert.True(prm.Bound < 1.0, sprintf "bound %g should be non-vacuous" prm.Bound)
    let report = Theorem3Verification.Run(prm, 24L, 20261124L, alpha)
    Assert.Equal(17, (verdicts report).Length)
    for v in verdicts report do
        Assert.True(v.Verdict = Verdict.Pass, sprintf "%s: %A with %d/%d failures against bound %g (fails at %A)" v.Claim.Name v.Verdict v.Failures v.Trials v.Claim.Bound v.Power.MinFailuresToFail)
    let wrong = Theorem3Verification.Run(Theorem3Parameters(3, 1000, 0.5, constant 3, 0.0, 0.0, 2000, false), 24L, 20261124L, alpha)
    let diag = wrong.Results |> Seq.find (fun r -> r.Verdict.Claim.Name = "lemma2.norm.diag")
    Assert.Equal(Verdict.Fail, diag.Verdict.Verdict)

[<Fact>]
let ``Lemma 2 at a non-vacuous point for d = 5 with power (p = 4000, δ = 0.5)`` () =
    let prm = Theorem3Parameters.WithDefaultSlack(5, 4000, 0.5, constant 5).WithoutJ()
    Assert.True(prm.Bound < 1.0)
    for v in verdicts (Theorem3Verification.Run(prm, 100L, 7L, alpha)) do
        Assert.True(v.Verdict = Verdict.Pass, sprintf "%s: %A with %d/%d failures against bound %g" v.Claim.Name v.Verdict v.Failures v.Trials v.Claim.Bound)

[<Fact>]
let ``The trace fails with its exact chi-square probability, and a wrong probability is refuted`` () =
    // d = 3, p = 200, δ = 0.1: P(χ²_600 > 660) ≈ 0.045, large enough for 3000 trials to have power.
    let prm = Theorem3Parameters.WithDefaultSlack(3, 200, 0.1, constant 3).WithoutJ()
    let report = Theorem3Verification.Run(prm, 3000L, 99L, alpha)
    let exact = report.Results |> Seq.find (fun r -> r.Verdict.Claim.Name = "theorem3.trace.exact")
    Assert.Equal(Verdict.Pass, exact.Verdict.Verdict)
    // Power check on the same counts: half the true probability must be refuted.
    let wrong = Claim("trace.half", "half the exact probability", exact.Verdict.Claim.Bound / 2.0, BoundKind.Exactly)
    Assert.Equal(Verdict.Fail, (ClaimVerdict.Decide(wrong, exact.Verdict.Failures, exact.Verdict.Trials, alpha)).Verdict)

/// The 1/p decay (TrendCheck: x·q(x) must not increase significantly from a tail-regime point, Bonferroni over pairs at α = 1e-6).
/// With 2000 trials a point the rule has power ≥ 0.9 against a failure rate that stays constant from its first tail-regime
/// point for the claims that fail there often enough (the norms of v⁽⁰⁾, W and the pairs, the trace); the others are UNDERPOWERED
/// (orthogonality enters its tail regime only at p = 400, whose 25 failures against none at 800 cannot refute a constant rate;
/// the diagonal norms and dots fail almost never), never PASS. (With 400 trials, as before, the sweep was PASS by default.)
[<Fact>]
let ``Lemma 2 failure rates decay at least like 1/p across a p-sweep, with power`` () =
    let r = Theorem3Sweep.Run(3, 0.2, [| 50; 100; 200; 400; 800 |], 2000L, 5L, alpha, false, constant 3)
    for t in r.Trends do
        Assert.True(t.Trend.Verdict <> Verdict.Fail, sprintf "%s: %s" t.Claim t.Trend.Worst)
        if t.Trend.Verdict = Verdict.Underpowered then
            Assert.True(t.Trend.ConstantRatePower < 0.9, sprintf "%s: underpowered with power %g" t.Claim t.Trend.ConstantRatePower)
    for name in [ "lemma2.norm.v0"; "lemma2.norm.W"; "lemma2.norm.pair"; "theorem3.trace" ] do
        let t = r.Trends |> Seq.find (fun t -> t.Claim = name)
        Assert.True(t.Trend.Verdict = Verdict.Pass, sprintf "%s: %A, power against a constant rate %g (%A)" name t.Trend.Verdict t.Trend.ConstantRatePower t.Trend.Points)
    // The sweep is informative: the linear norms fail often at p = 50 and rarely at p = 800.
    let w = r.Trends |> Seq.find (fun t -> t.Claim = "lemma2.norm.W")
    Assert.True(w.Trend.Points[0].Rate > 0.3 && w.Trend.Points[4].Rate < 0.05)

/// J⁽ⁿ⁾ converges to J's spectrum with the rate Weyl and Chebyshev give: P(max_k |λ_k(J⁽ⁿ⁾) − λ_k(J)| > ε) ≤ E‖J⁽ⁿ⁾ − J‖_F²/ε² =
/// S/(nε²), S = Σ_ij Var(X_i X_j) from the products' exact moments (ReluProductMoments). Each n is a probability claim with that
/// bound, decided by the engine (α = 1e-6; VACUOUS where the bound is ≥ 1): at n = 4000 and 16000 the bounds are about 0.6 and
/// 0.16, so 40 trials can refute them (a J⁽ⁿ⁾ off in scale fails every trial). (The former 1/n trend rule was UNDERPOWERED
/// here: the rate falls exponentially, so its tail regime held no failures to compare.)
[<Fact>]
let ``J⁽ⁿ⁾ converges to J's spectrum: the rate of max_k |λ_k(J⁽ⁿ⁾) − λ_k(J)| > ε is at most S/(nε²)`` () =
    let net = ShallowReluNetwork.Sample(3, 30, SeedSequence.FromSeed 3L)
    let exact = DenseSymmetricEigen.Eigenvalues(net.FisherByLemma1())
    let unit = net.UnitColumns()
    let p = net.P
    let s =
        Seq.sum (seq {
            for i in 0 .. p - 1 do
                for j in 0 .. p - 1 ->
                    let c = if i = j then 1.0 else Seq.sum (seq { for l in 0 .. 2 -> unit[l * p + i] * unit[l * p + j] })
                    ReluProductMoments(net.ColumnNorms[i], net.ColumnNorms[j], c).Variance })
    let eps = 0.04
    let trials = 40
    let verdicts =
        [| 1000; 4000; 16000 |] |> Array.map (fun n ->
            let failures =
                Array.Parallel.init trials (fun k ->
                    let jn = EmpiricalFisher.Compute(net, n, TrialRunner.TrialSeed(41L, sprintf "jn-%d" n, int64 k))
                    let e = DenseSymmetricEigen.Eigenvalues jn
                    Array.map2 (fun a b -> abs (a - b)) e exact |> Array.max > eps)
                |> Array.filter id |> Array.length
            n, ClaimVerdict.Decide(Claim(sprintf "jn-%d" n, "Chebyshev", s / (float n * eps * eps)), int64 failures, int64 trials, alpha))
    for n, v in verdicts do
        if v.Claim.Vacuous then Assert.Equal(Verdict.Vacuous, v.Verdict)
        else Assert.True(v.Verdict = Verdict.Pass, sprintf "n = %d: %A, %d/%d failures against %g (fails at %A)" n v.Verdict v.Failures v.Trials v.Claim.Bound v.Power.MinFailuresToFail)
    Assert.True(verdicts |> Array.filter (fun (_, v) -> v.Verdict = Verdict.Pass) |> Array.length >= 2, "two n with a non-vacuous bound")
    Assert.True((snd verdicts[0]).ObservedRate > 0.05, sprintf "ε too loose to be informative: rate %g at n = 1000" (snd verdicts[0]).ObservedRate)

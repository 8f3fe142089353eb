namespace FimVerify.Symbolic

/// The p×p matrices that Theorem 2 of seed 000 writes J in; each is a sum of rank-one outer products.
type RankOneGroup =
    /// A_ij = n_i n_j.
    | NormProducts
    /// W^(i)·W^(j), i.e. WᵀW.
    | ColumnGram
    /// (W^(i)·W^(j))²/A_ij.
    | SquaredGramOverNorms
    /// v⁽⁰⁾ᵀv⁽⁰⁾.
    | V0Outer
    /// Σ_k W_kᵀW_k over the d rows.
    | RowsOuter
    /// Σ_{α,β} v^(α,β)ᵀv^(α,β) over all d² ordered pairs (v^(α,β) = v^(β,α) by its formula).
    | AllPairsOuter
    /// Σ_γ v^(γ,γ)ᵀv^(γ,γ).
    | DiagonalPairsOuter
    /// Σ_{α<β} v^(α,β)ᵀv^(α,β).
    | PairsOuter
    /// Σ_γ v^(γ)ᵀv^(γ).
    | GammasOuter
    /// √2 (v⁽⁰⁾ᵀ s + sᵀ v⁽⁰⁾) with s = Σ_γ v^(γ).
    | V0GammaCross

    override g.ToString() =
        match g with
        | NormProducts -> "A"
        | ColumnGram -> "W^T W"
        | SquaredGramOverNorms -> "(W^T W)∘(W^T W)/A"
        | V0Outer -> "v0^T v0"
        | RowsOuter -> "Σ_k W_k^T W_k"
        | AllPairsOuter -> "Σ_{α,β} v(α,β)^T v(α,β)"
        | DiagonalPairsOuter -> "Σ_γ v(γ,γ)^T v(γ,γ)"
        | PairsOuter -> "Σ_{α<β} v(α,β)^T v(α,β)"
        | GammasOuter -> "Σ_γ v(γ)^T v(γ)"
        | V0GammaCross -> "√2(v0^T s + s^T v0), s = Σ_γ v(γ)"

/// A linear combination of groups with exact coefficients in Q(d)[π, 1/π].
type GroupCombination = Map<RankOneGroup, PiRationalFunction>

/// An identity `group = Σ c·group` used to regroup, with the reason it holds.
type RegroupingRule =
    { Replaces: RankOneGroup
      By: (UnivariateRationalFunction * RankOneGroup) list
      Reason: string }

type Theorem2Derivation =
    { /// κ's coefficients a_0, a_1, a_2 from the series.
      SeriesCoefficients: PiLaurent list
      /// The combination after each rule, starting from a_0 A + a_1 WᵀW + a_2 (WᵀW)∘(WᵀW)/A.
      Stages: (string * GroupCombination) list
      Final: GroupCombination
      /// tr J / ‖W‖_F² = κ(1), from the closed form at t = 1.
      TraceOverFrobenius: PiLaurent
      /// tr(main part)/tr J, from the diagonal (t_ii = 1) …
      MainTraceRatio: PiLaurent
      /// … and again from the groups' traces with d symbolic (must agree, d cancels).
      MainTraceOverFrobeniusFromGroups: PiRationalFunction }

[<RequireQualifiedAccess>]
module Theorem2Coefficients =
    let private d = UnivariateRationalFunction.x
    let private one = UnivariateRationalFunction.One
    let private two = UnivariateRationalFunction.ofInt 2

    /// The regrouping identities, in the order they are applied.
    let rules : RegroupingRule list =
        [ { Replaces = NormProducts; By = [ d, V0Outer ]
            Reason = "v⁽⁰⁾_i v⁽⁰⁾_j = n_i n_j/d" }
          { Replaces = ColumnGram; By = [ one, RowsOuter ]
            Reason = "W^(i)·W^(j) = Σ_k W_ki W_kj" }
          { Replaces = SquaredGramOverNorms; By = [ one / d, AllPairsOuter ]
            Reason = "Σ_{α,β} v^(α,β)_i v^(α,β)_j = d Σ_{α,β} W_αi W_βi W_αj W_βj/(n_i n_j) = d (W^(i)·W^(j))²/A_ij" }
          { Replaces = AllPairsOuter; By = [ one, DiagonalPairsOuter; two, PairsOuter ]
            Reason = "split α = β from α ≠ β; v^(α,β) = v^(β,α)" }
          { Replaces = DiagonalPairsOuter; By = [ d, V0Outer; one, V0GammaCross; two, GammasOuter ]
            Reason = "v^(γ,γ) = v⁽⁰⁾ + √2 v^(γ), summed over the d values of γ" }
          { Replaces = V0GammaCross; By = []
            Reason = "Σ_γ v^(γ) = (Σ_γ v^(γ,γ) − d v⁽⁰⁾)/√2 = 0, since Σ_γ v^(γ,γ)_i = √d Σ_γ W_γi²/n_i = √d n_i = d v⁽⁰⁾_i" } ]

    let private addTo (combo: GroupCombination) (g: RankOneGroup) (c: PiRationalFunction) : GroupCombination =
        let sum = (match combo.TryFind g with Some e -> e + c | None -> c)
        if sum.IsZero then combo.Remove g else combo.Add(g, sum)

    /// Applies one rule: the replaced group's coefficient is distributed over the replacement.
    let apply (rule: RegroupingRule) (combo: GroupCombination) : GroupCombination =
        match combo.TryFind rule.Replaces with
        | None -> combo
        | Some c ->
            rule.By |> List.fold (fun acc (k, g) -> addTo acc g (PiRationalFunction.Scale(k, c))) (combo.Remove rule.Replaces)

    /// The coefficients Theorem 2 states, for comparison: (2d+1)/(4π), 1/4, 1/(2πd), 1/(2πd).
    let stated : GroupCombination =
        let overPi (r: UnivariateRationalFunction) = { PiRationalFunction.Terms = Map.ofList [ -1, r ] }
        Map.ofList
            [ V0Outer, overPi ((two * d + one) / UnivariateRationalFunction.ofInt 4)
              RowsOuter, PiRationalFunction.OfRationalFunction(one / UnivariateRationalFunction.ofInt 4)
              PairsOuter, overPi (one / (two * d))
              GammasOuter, overPi (one / (two * d)) ]

    let derive () : Theorem2Derivation =
        let kappa = ReluKernelSeries.kappa 3
        let a = [ kappa.Coeffs[0]; kappa.Coeffs[1]; kappa.Coeffs[2] ]
        let start : GroupCombination =
            Map.ofList (List.zip [ NormProducts; ColumnGram; SquaredGramOverNorms ] (a |> List.map PiRationalFunction.OfPiLaurent))
        let stages =
            rules
            |> List.scan (fun (_, combo) rule -> rule.Reason, apply rule combo) ("κ(t) = a_0 + a_1 t + a_2 t² + Σ_{k≥2} a_2k t^2k, J_ij = A_ij κ(t_ij)", start)
        let final = stages |> List.last |> snd
        // κ(1) from the closed form (1/2π)((π − arccos 1)·1 + √(1 − 1)) with arccos 1 = 0.
        let kappaAtOne = PiLaurent.Monomial(Rational.make 1 2, -1) * PiLaurent.Pi
        let mainAtOne = a |> List.reduce (+)
        // Traces per ‖W‖_F²: tr v⁽⁰⁾ᵀv⁽⁰⁾ = 1/d, tr Σ W_kᵀW_k = 1, and tr(Σ_{α<β} + Σ_γ) = (d − 1)/2 because
        // tr Σ_{α,β} = d (each v^(α,β) entry squared sums to d n_i²) = tr(d v⁽⁰⁾ᵀv⁽⁰⁾) + 2 tr(Σ_γ + Σ_{α<β}) and tr(cross) = 0.
        let pairsAndGammasTrace = (d - one) / two
        let coefficient g = final |> Map.tryFind g |> Option.defaultValue PiRationalFunction.Zero
        if coefficient PairsOuter <> coefficient GammasOuter then invalidOp "the derivation did not give v^(α,β) and v^(γ) one coefficient"
        let fromGroups =
            PiRationalFunction.Scale(one / d, coefficient V0Outer) + coefficient RowsOuter
            + PiRationalFunction.Scale(pairsAndGammasTrace, coefficient PairsOuter)
        { SeriesCoefficients = a
          Stages = stages
          Final = final
          TraceOverFrobenius = kappaAtOne
          MainTraceRatio = mainAtOne / kappaAtOne
          MainTraceOverFrobeniusFromGroups = fromGroups }

namespace FimVerify.Symbolic

open System.Numerics

/// One step of a derivation: a statement and whether it was established exactly.
type ProofStep =
    { Statement: string
      /// How it was established (an identity in Q(n), an exact check of finitely many cases, …).
      Evidence: string
      Holds: bool }

[<RequireQualifiedAccess>]
module ProofStep =
    let make statement evidence holds : ProofStep = { Statement = statement; Evidence = evidence; Holds = holds }

    /// Every step was confirmed.
    let allHold (steps: ProofStep list) = steps |> List.forall (fun s -> s.Holds)

/// The general coefficient of κ's tail, found FROM the series and then proved for every n:
/// κ(t) = 1/(2π) + t/4 + Σ_{n≥0} κ_(2n+2) t^(2n+2) with κ_(2n+2) = C(2n,n)/(4ⁿ(2n+1)(2n+2)·2π).
type KappaTailDerivation =
    { /// The order the series was computed to.
      Order: int
      /// c_(n+1)/c_n guessed from the exact coefficients, as a function of n.
      GuessedRatio: UnivariateRationalFunction
      Steps: ProofStep list
      /// Every step holds: the closed form is proved for all n ≥ 0.
      Proved: bool }

[<RequireQualifiedAccess>]
module KappaTailCoefficient =
    let private n = UnivariateRationalFunction.x
    let private q (a: int) (b: int) = UnivariateRationalFunction.ofRational (Rational.make a b)
    let private show (f: UnivariateRationalFunction) = f.Format "n"

    /// The coefficient of 1/π in a PiLaurent that must be a pure multiple of 1/π.
    let private overPi (c: PiLaurent) =
        match Map.toList c.Terms with
        | [] -> Rational.Zero
        | [ -1, r ] -> r
        | _ -> invalidOp $"expected a rational multiple of 1/pi, got {c}"

    /// h(n) = C(2n,n)/(4ⁿ(2n+1)(2n+2)), the claimed closed form times 2π, from integers only.
    let closedForm (k: int) =
        Rational(Rational.binomial (2 * k) k, BigInteger.Pow(BigInteger 4, k) * BigInteger(2 * k + 1) * BigInteger(2 * k + 2))

    let derive (order: int) : KappaTailDerivation =
        if order < 24 then invalidArg "order" "the derivation needs the series to order 24 at least"
        let kappa = ReluKernelSeries.kappa order
        let tailCount = (order - 3) / 2 + 1               // κ_(2n+2) for n = 0 … tailCount − 1 below the order
        let c = Array.init tailCount (fun k -> overPi kappa.Coeffs[2 * k + 2])   // κ_(2n+2) = c_n / π
        // 1. Guess the term ratio of c_n from the exact coefficients.
        let guess =
            match HypergeometricGuess.leastRatio 3 0 c with
            | Some g -> g
            | None -> invalidOp "no hypergeometric term ratio of degree ≤ 3 fits κ's tail"
        let r = guess.Ratio
        // 2. The recurrences of the two series κ is built from, as functions of the index.
        let rB = StandardSeriesRecurrences.binomialRatio (Rational.make -1 2) |> StandardSeriesRecurrences.substituted (Rational.ofInt -1)
        let rE = StandardSeriesRecurrences.binomialRatio (Rational.make 1 2) |> StandardSeriesRecurrences.substituted (Rational.ofInt -1)
        let b = (StandardSeries.binomial (Rational.make -1 2) (tailCount + 1) |> PowerSeries.substituteMonomial (Rational.ofInt -1) 1 (tailCount + 1)).Coeffs
        let e = (StandardSeries.sqrtOneMinus (tailCount + 2)).Coeffs
        let structure =
            Seq.forall (fun k -> c[k] = (b[k] / Rational.ofInt (2 * k + 1) + e[k + 1]) / Rational.ofInt 2) (seq { 0 .. tailCount - 1 })
        // 3. Guess ρ(n) = e_(n+1)/b_n, then prove it by induction with an identity in Q(n).
        let rhoValues = Array.init tailCount (fun k -> e[k + 1] / b[k])
        let rho =
            match HypergeometricGuess.rationalFunction 2 0 rhoValues with
            | Some f -> f
            | None -> invalidOp "no rational function of degree ≤ 2 fits e_(n+1)/b_n"
        let rhoBase = rho.Evaluate Rational.Zero = e[1] / b[0]
        let rhoStep = rho.Shift Rational.One / rho = rE.Shift Rational.One / rB
        // 4. σ(n) = 1/(2n+1) + ρ(n): then c_n = b_n σ(n)/2 and c_(n+1)/c_n = rB(n) σ(n+1)/σ(n).
        let sigma = UnivariateRationalFunction.One / (q 2 1 * n + UnivariateRationalFunction.One) + rho
        let provedRatio = rB * sigma.Shift Rational.One / sigma
        // 5. The claimed closed form has the same ratio and the same first term.
        let centralBinomialRatio = (q 2 1 * n + q 2 1) * (q 2 1 * n + q 1 1) / ((n + q 1 1) * (n + q 1 1))
        let hRatio =
            centralBinomialRatio / q 4 1 * (q 2 1 * n + q 1 1) * (q 2 1 * n + q 2 1) / ((q 2 1 * n + q 3 1) * (q 2 1 * n + q 4 1))
        let centralBinomialChecked =
            Seq.forall (fun k -> Rational(Rational.binomial (2 * k + 2) (k + 1), Rational.binomial (2 * k) k) = centralBinomialRatio.Evaluate(Rational.ofInt k)) (seq { 0 .. tailCount })
        let positive (p: UnivariatePolynomial) = p.Coeffs |> Array.forall (fun x -> x.Sign >= 0) && not p.IsZero
        let oddPart =
            Seq.forall (fun k -> kappa.Coeffs[k] = (if k = 1 then PiLaurent.OfRational(Rational.make 1 4) else PiLaurent.Zero)) (seq { 1 .. 2 .. order - 1 })
        let steps =
            [ { Statement = $"b_(n+1)/b_n = {show rB}, b_n = [z^(2n)] (1 − z²)^(−1/2)"
                Evidence = "the binomial recurrence (a − k)/(k + 1) at a = −1/2, times −1 for w = −z²"
                Holds = true }
              { Statement = $"e_(n+1)/e_n = {show rE}, e_n = [z^n] √(1 − z)"
                Evidence = "the binomial recurrence at a = 1/2, times −1 for w = −z"
                Holds = true }
              { Statement = "κ_(2n+2) = (1/2π)(b_n/(2n+1) + e_(n+1))"
                Evidence = $"κ(t) = (1/2π)((π/2 + arcsin t)·t + √(1 − t²)) and arcsin z = ∫(1 − s²)^(−1/2); checked exactly for n < {tailCount}"
                Holds = structure }
              { Statement = $"guess: κ_(2n+4)/κ_(2n+2) = {show r}"
                Evidence = $"fitted by linear algebra over Q to the exact coefficients, then checked for all {guess.Checked} ratios up to t^{2 * tailCount}"
                Holds = true }
              { Statement = $"e_(n+1) = ρ(n)·b_n with ρ(n) = {show rho}"
                Evidence = "guessed from the values, proved by induction: ρ(0) = e_1/b_0 exactly, and ρ(n+1)/ρ(n) = (e_(n+2)/e_(n+1))/(b_(n+1)/b_n) as an identity in Q(n)"
                Holds = rhoBase && rhoStep }
              { Statement = $"κ_(2n+2) = (1/2π)·b_n·σ(n), σ(n) = 1/(2n+1) + ρ(n) = {show sigma}"
                Evidence = "substitution, identity in Q(n)"
                Holds = structure && rhoBase && rhoStep }
              { Statement = $"κ_(2n+4)/κ_(2n+2) = (b_(n+1)/b_n)·σ(n+1)/σ(n) = {show provedRatio} = the guess, for every n ≥ 0"
                Evidence = "identity in Q(n)"
                Holds = (provedRatio = r) }
              { Statement = $"h(n) = C(2n,n)/(4ⁿ(2n+1)(2n+2)) has h(n+1)/h(n) = {show hRatio} and h(0)/(2π) = κ_2 = {kappa.Coeffs[2]}"
                Evidence = $"C(2n+2,n+1)/C(2n,n) = {show centralBinomialRatio} (checked exactly for n ≤ {tailCount}); identity in Q(n); so κ_(2n+2) = h(n)/(2π) for all n by induction"
                Holds = centralBinomialChecked && hRatio = r && c[0] = closedForm 0 / Rational.ofInt 2 }
              { Statement = "every tail coefficient κ_(2n+2) (n ≥ 0) is > 0"
                Evidence = $"κ_2 > 0 and the ratio {show r} has numerator and denominator with non-negative coefficients, so it is > 0 for n ≥ 0"
                Holds = c[0].Sign > 0 && positive r.Num && positive r.Den }
              { Statement = "the odd part of κ is exactly t/4"
                Evidence = $"(1/2π)(π/2)t = t/4; t·arcsin t and √(1 − t²) are even (series in t²); checked exactly for every odd power below t^{order}"
                Holds = oddPart } ]
        { Order = order; GuessedRatio = r; Steps = steps; Proved = ProofStep.allHold steps }

namespace FimVerify.Symbolic

open System.Numerics

/// The ReLU arc-cosine kernel of Lemma 1, κ(t) = (1/2π)((π − arccos t) t + √(1 − t²)), and its power series
/// around t = 0, derived by series arithmetic from the arcsin series: with π − arccos t = π/2 + arcsin t,
/// κ(t) = (1/2π)((π/2 + arcsin t)·t + √(1 − t²)).
/// Then J_ij = A_ij κ(t_ij) with t_ij = W^(i)·W^(j)/A_ij, so the coefficient of t^k multiplies
/// (W^(i)·W^(j))^k / A_ij^(k−1).
[<RequireQualifiedAccess>]
module ReluKernelSeries =
    /// κ's series to order `terms` (coefficients of t^0 … t^(terms−1)), exact in Q[π, 1/π].
    let kappa (terms: int) : PowerSeries<PiLaurent> =
        if terms < 1 then invalidArg "terms" "at least one term is needed"
        let order = terms
        let arcsinT = StandardSeries.arcsin order |> StandardSeries.toPi
        let sqrtOneMinusT2 =
            StandardSeries.sqrtOneMinus (max 1 ((order + 1) / 2))    // only the terms that reach t^(order−1)
            |> PowerSeries.substituteMonomial Rational.One 2 order   // √(1 − z) at z = t²
            |> StandardSeries.toPi
        let halfPi = PiLaurent.Monomial(Rational.make 1 2, 1)
        let angleTerm = PowerSeries.add (PowerSeries.constant order halfPi) arcsinT |> PowerSeries.shift 1 |> PowerSeries.truncate order
        let oneOverTwoPi = PiLaurent.Monomial(Rational.make 1 2, -1)
        PowerSeries.add angleTerm sqrtOneMinusT2 |> PowerSeries.scale oneOverTwoPi

    /// The non-zero terms (power, exact coefficient), powers ascending.
    let terms (count: int) : (int * PiLaurent) list =
        let s = kappa count
        [ for k in 0 .. s.Order - 1 do
              if not s.Coeffs[k].IsZero then yield k, s.Coeffs[k] ]

    /// κ(t) in floating point from its closed form, for comparisons.
    let kappaClosedForm (t: float) =
        ((System.Math.PI - System.Math.Acos t) * t + System.Math.Sqrt(1.0 - t * t)) / (2.0 * System.Math.PI)

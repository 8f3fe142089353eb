namespace FimVerify.Symbolic

open System.Numerics

/// The standard series, each derived from a defining property (a recurrence or an integral of a
/// simpler series), never from typed-in coefficients.
[<RequireQualifiedAccess>]
module StandardSeries =
    /// (1 + z)^a for rational a: c_0 = 1, c_{k+1} = c_k (a − k)/(k + 1), which is the unique series
    /// solution of (1 + z) f' = a f with f(0) = 1.
    let binomial (a: Rational) (order: int) : PowerSeries<Rational> =
        let cs = Array.create order Rational.Zero
        if order > 0 then cs[0] <- Rational.One
        for k in 0 .. order - 2 do
            cs[k + 1] <- cs[k] * (a - Rational.ofInt k) / Rational.ofInt (k + 1)
        PowerSeries.ofCoeffs cs

    /// 1/(1 + z) = (1 + z)^(−1).
    let geometricAlternating (order: int) = binomial (Rational.ofInt -1) order

    /// √(1 − z) = (1 + w)^(1/2) at w = −z.
    let sqrtOneMinus (order: int) : PowerSeries<Rational> =
        binomial (Rational.make 1 2) order |> PowerSeries.substituteMonomial (Rational.ofInt -1) 1 order

    /// arcsin z = ∫₀^z (1 − s²)^(−1/2) ds.
    let arcsin (order: int) : PowerSeries<Rational> =
        let inner = max 1 ((order + 1) / 2)
        binomial (Rational.make -1 2) inner
        |> PowerSeries.substituteMonomial (Rational.ofInt -1) 2 (max 1 (order - 1))
        |> PowerSeries.integrate
        |> PowerSeries.truncate order

    /// log(1 + z) = ∫₀^z 1/(1 + s) ds.
    let log1p (order: int) : PowerSeries<Rational> =
        geometricAlternating (max 1 (order - 1)) |> PowerSeries.integrate |> PowerSeries.truncate order

    /// exp z: the fixed point of f = 1 + ∫ f, built one order at a time.
    let exp (order: int) : PowerSeries<Rational> =
        let mutable f = PowerSeries.constant 1 Rational.One
        while f.Order < order do
            f <- PowerSeries.add (PowerSeries.constant (f.Order + 1) Rational.One) (PowerSeries.integrate f)
        PowerSeries.truncate order f

    /// Lifts a rational series into the ring Q[π, 1/π].
    let toPi (s: PowerSeries<Rational>) : PowerSeries<PiLaurent> = PowerSeries.map PiLaurent.OfRational s

/// The term ratios of the standard series as rational functions of the index, so derivations can reason
/// about every coefficient at once (see KappaTailCoefficient).
[<RequireQualifiedAccess>]
module StandardSeriesRecurrences =
    /// c_(k+1)/c_k = (a − k)/(k + 1) for (1 + w)^a: exactly the recurrence StandardSeries.binomial runs.
    let binomialRatio (a: Rational) : UnivariateRationalFunction =
        (UnivariateRationalFunction.ofRational a - UnivariateRationalFunction.x) / (UnivariateRationalFunction.x + UnivariateRationalFunction.One)

    /// The ratio after substituting w = c·z: multiplied by c.
    let substituted (c: Rational) (ratio: UnivariateRationalFunction) = UnivariateRationalFunction.ofRational c * ratio

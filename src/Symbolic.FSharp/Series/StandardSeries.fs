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

    /// exp z: the solution of f' = f with f(0) = 1; comparing coefficients gives c_(k+1) = c_k/(k + 1).
    let exp (order: int) : PowerSeries<Rational> =
        let cs = Array.create order Rational.One
        for k in 0 .. order - 2 do
            cs[k + 1] <- Rational.DivideByInt(cs[k], k + 1)
        PowerSeries.ofCoeffs cs

    /// Coefficients of a series whose k-th coefficient is sign(k)/k! (the shape of exp, sin and cos).
    let private factorialSeries (order: int) (sign: int -> int) : PowerSeries<Rational> =
        let cs = Array.create order Rational.Zero
        let mutable factorial = System.Numerics.BigInteger.One
        for k in 0 .. order - 1 do
            if k > 0 then factorial <- factorial * System.Numerics.BigInteger k
            cs[k] <- Rational(System.Numerics.BigInteger(sign k), factorial)
        PowerSeries.ofCoeffs cs

    /// sin z: the solution of f'' = −f with f(0) = 0, f'(0) = 1, i.e. c_(2k+1) = (−1)^k/(2k+1)!.
    let sin (order: int) = factorialSeries order (fun k -> if k % 2 = 0 then 0 elif k % 4 = 1 then 1 else -1)

    /// cos z: f'' = −f with f(0) = 1, f'(0) = 0.
    let cos (order: int) = factorialSeries order (fun k -> if k % 2 = 1 then 0 elif k % 4 = 0 then 1 else -1)

    /// arctan z = ∫₀^z 1/(1 + s²) ds.
    let arctan (order: int) : PowerSeries<Rational> =
        geometricAlternating (max 1 ((order + 1) / 2))
        |> PowerSeries.substituteMonomial Rational.One 2 (max 1 (order - 1))
        |> PowerSeries.integrate
        |> PowerSeries.truncate order

    /// (√π/2)·erf z = ∫₀^z e^(−s²) ds, which has rational coefficients; erf z is this series times 2/√π.
    /// (The factor is kept outside so the coefficient ring stays Q; see `erfFactor`.)
    let erfScaled (order: int) : PowerSeries<Rational> =
        exp (max 1 ((order + 1) / 2))
        |> PowerSeries.substituteMonomial (Rational.ofInt -1) 2 (max 1 (order - 1))
        |> PowerSeries.integrate
        |> PowerSeries.truncate order

    /// erf z = erfFactor · erfScaled z, with erfFactor = 2/√π.
    let erfFactor : Expression = Expression.div (Expression.ofInt 2) (Expression.sqrt Expression.pi)

    /// Lifts a rational series into the ring Q[π, 1/π].
    let toPi (s: PowerSeries<Rational>) : PowerSeries<PiLaurent> = PowerSeries.map PiLaurent.OfRational s

    /// arccos z = π/2 − arcsin z, exact in Q[π, 1/π].
    let arccos (order: int) : PowerSeries<PiLaurent> =
        let halfPi = PowerSeries.constant order (PiLaurent.Monomial(Rational.make 1 2, 1))
        PowerSeries.sub halfPi (arcsin order |> toPi)

/// The term ratios of the standard series as rational functions of the index, so derivations can reason
/// about every coefficient at once (see KappaTailCoefficient).
[<RequireQualifiedAccess>]
module StandardSeriesRecurrences =
    /// c_(k+1)/c_k = (a − k)/(k + 1) for (1 + w)^a: exactly the recurrence StandardSeries.binomial runs.
    let binomialRatio (a: Rational) : UnivariateRationalFunction =
        (UnivariateRationalFunction.ofRational a - UnivariateRationalFunction.x) / (UnivariateRationalFunction.x + UnivariateRationalFunction.One)

    /// The ratio after substituting w = c·z: multiplied by c.
    let substituted (c: Rational) (ratio: UnivariateRationalFunction) = UnivariateRationalFunction.ofRational c * ratio

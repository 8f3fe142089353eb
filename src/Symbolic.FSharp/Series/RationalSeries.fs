namespace FimVerify.Symbolic

/// The generic series operations instantiated at Rational coefficients, callable from C# (the generic
/// PowerSeries functions are F# inline functions, which other .NET languages cannot instantiate).
[<RequireQualifiedAccess>]
module RationalSeries =
    let add (a: PowerSeries<Rational>) b = PowerSeries.add a b
    let mul (a: PowerSeries<Rational>) b = PowerSeries.mul a b
    let divide (a: PowerSeries<Rational>) b = PowerSeries.divide a b
    let reciprocal (a: PowerSeries<Rational>) = PowerSeries.reciprocal a
    let compose (f: PowerSeries<Rational>) g = PowerSeries.compose f g
    let revert (f: PowerSeries<Rational>) = PowerSeries.revert f
    let evaluate (x: float) (a: PowerSeries<Rational>) = PowerSeries.evaluate Rational.toDouble x a

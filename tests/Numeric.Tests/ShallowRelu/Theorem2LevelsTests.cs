using FimVerify.Numeric.ShallowRelu;
using Xunit;

namespace FimVerify.Numeric.Tests.ShallowRelu;

/// <summary>The derived group coefficients against two independent routes: the stated closed forms, and κ's series coefficients
/// combined by hand with the vector identities (d·c₀ + c₂, c₁, 2c₂/d), each to a few units of rounding (the derived value is
/// exact until its one final rounding; the hand route rounds at every operation).</summary>
public class Theorem2LevelsTests
{
    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(5)] [InlineData(17)] [InlineData(100)]
    public void DerivedLevelsAreTheStatedOnes(int d)
    {
        static void Near(double expected, double actual, string what) =>
            Assert.True(Math.Abs(actual - expected) <= 1e-15 * Math.Abs(expected), $"{what}: {actual:R} vs {expected:R}");
        Near((2.0 * d + 1) / (4 * Math.PI), Theorem2Levels.Of(DirectionGroup.Mean, d), "v⁽⁰⁾: (2d+1)/(4π)");
        Near(0.25, Theorem2Levels.Of(DirectionGroup.Linear, d), "W_k: 1/4");
        Near(1 / (2 * Math.PI * d), Theorem2Levels.Of(DirectionGroup.Pair, d), "v^(α,β): 1/(2πd)");
        Near(1 / (2 * Math.PI * d), Theorem2Levels.Of(DirectionGroup.Diagonal, d), "v^(γ): 1/(2πd)");
        var c = KappaCoefficients.Default.C;
        Near(d * c[0] + c[2], Theorem2Levels.Of(DirectionGroup.Mean, d), "series route: d·c₀ + c₂");
        Near(c[1], Theorem2Levels.Of(DirectionGroup.Linear, d), "series route: c₁");
        Near(2 * c[2] / d, Theorem2Levels.Of(DirectionGroup.Pair, d), "series route: 2c₂/d");
        Assert.Throws<ArgumentOutOfRangeException>(() => Theorem2Levels.Of(DirectionGroup.Mean, 0));
    }
}

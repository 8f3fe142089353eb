using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;
using Xunit;

namespace FimVerify.Numeric.Tests.MeanField;

public class OrderParametersTests
{
    [Theory]
    [InlineData(0.5, Phase.Ordered)]
    [InlineData(1.0, Phase.Edge)]
    [InlineData(1.5, Phase.Chaotic)]
    public void TanhWithoutBiasHasItsEdgeOfChaosAtSigmaW2One(double sigmaW2, Phase expected)
    {
        var fp = FixedPoint.Solve(GaussianKernels.For(new Tanh()), sigmaW2, 0, homogeneous: false);
        Assert.Equal(expected, fp.Phase);
    }

    [Theory]
    [InlineData(1.5, 0.1, 0.4)]   // q ← 0.75 q + 0.1: q* = 0.1 / 0.25
    [InlineData(1.0, 0.3, 0.6)]   // q ← 0.5 q + 0.3
    public void ReluFixedPointIsTheLinearRecurrencesLimit(double sigmaW2, double sigmaB2, double expected)
    {
        var fp = FixedPoint.Solve(GaussianKernels.For(new Relu()), sigmaW2, sigmaB2, homogeneous: true);
        Assert.NotNull(fp.QStar);
        Assert.Equal(expected, fp.QStar!.Value, 12);
    }

    [Fact]
    public void ReluAtTheEdgeWithBiasHasNoFixedPoint()
    {
        // σ_w² = 2: q ← q + σ_b² grows by σ_b² a layer for ever; a stalled-iterate rule must not call q after 10⁵ layers q*.
        var fp = FixedPoint.Solve(GaussianKernels.For(new Relu()), 2.0, 0.1, homogeneous: true);
        Assert.Null(fp.QStar);
        Assert.Equal(Phase.Edge, fp.Phase);
    }

    [Fact]
    public void DeepLinearNetworkMatchesTheHandRecurrence()
    {
        // Linear φ: q^l = σ_w² q^{l−1} + σ_b² with q̂ = q, q̂₂^l = q₂^l, q̃ = σ_w^{2(L−l)}.
        double sw = 0.8, sb = 0.3;
        var op = OrderParameters.Compute(GaussianKernels.For(new Linear()), new NetworkShape(4, sw, sb));
        double q = 1, q2 = 0;
        for (int l = 1; l <= 4; l++)
        {
            q = sw * q + sb; q2 = sw * q2 + sb;
            Assert.Equal(q, op.Q1[l], 14);
            Assert.Equal(q2, op.Q2[l], 14);
            Assert.Equal(Math.Pow(sw, 4 - l), op.QTilde1[l], 14);
        }
    }

    /// <summary>
    /// κ's and Theorem 3.1's statistics come compiled from the symbolic layer; the formulas as typed by hand from
    /// MATH.md (the numeric layer's former code) are the independent evidence, to 1e−13 relative.
    /// </summary>
    [Theory]
    [InlineData("tanh", 3, 3.0, 0.64)]
    [InlineData("relu", 4, 2.0, 0.1)]
    [InlineData("erf", 2, 1.5, 0.3)]
    public void CompiledStatisticsMatchTheHandTypedFormulas(string activation, int depth, double sw, double sb)
    {
        var shape = new NetworkShape(depth, sw, sb, Enumerable.Range(0, depth).Select(l => 1.0 + 0.25 * l).ToArray());
        var op = OrderParameters.Compute(GaussianKernels.For(ActivationCatalog.Parse(activation)), shape);
        double a = shape.Alpha;
        double k1 = Enumerable.Range(1, depth).Sum(l => shape.WidthRatios[l - 1] * op.QHat1[l - 1] * op.QTilde1[l]) / a;
        double k2 = Enumerable.Range(1, depth).Sum(l => shape.WidthRatios[l - 1] * op.QHat2[l - 1] * op.QTilde2[l]) / a;
        double n1 = Enumerable.Range(1, depth).Sum(l => op.QTilde1[l] * op.Q1[l]), n2 = Enumerable.Range(1, depth).Sum(l => op.QTilde2[l] * op.Q2[l]);
        Near(k1, op.Kappa1, "κ₁"); Near(k2, op.Kappa2, "κ₂"); Near(n1, op.NtkKappa1, "κ′₁"); Near(n2, op.NtkKappa2, "κ′₂");
        int m = 700, t = 40, c = 6;
        double f = (t - 1.0) / t;
        var r = new Predictions(op, m, t, c).Regression();
        Near(k1 * c / m, r.Mean, "m_λ"); Near(a * c * (f * k2 * k2 + k1 * k1 / t), r.SecondMoment, "s_λ"); Near(a * (f * k2 + k1 / t) * m, r.LambdaMax, "λ_max");
        var ntk = new Predictions(op, m, t, c).Ntk();
        Near(n1, ntk.Mean, "NTK m"); Near(n1 * n1 + (t - 1) * n2 * n2, ntk.SecondMoment, "NTK s"); Near(n1 + (t - 1) * n2, ntk.LambdaMax, "NTK λ_max");
    }

    private static void Near(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-13 * Math.Max(1, Math.Abs(expected)), $"{what}: hand-typed {expected:R}, compiled symbolic {actual:R}");
}

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
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.ShallowRelu;

/// <summary>
/// The Perron bracket of ‖R_2‖₂ and the certified intervals built on it (J = J_2 + R_2 up to the dense limit), against the
/// dense spectra of Theorem 2's decomposition (deterministic checks: every interval must contain the exact value).
/// </summary>
public class PerronRemainderBoundsTests
{
    private static List<double[]> Units(ShallowReluNetwork net) => DirectionVectors.Of(net).All.Select(v =>
    {
        double s = 1.0 / Math.Sqrt(v.Values.Sum(x => x * x));
        return v.Values.Select(x => x * s).ToArray();
    }).ToList();

    [Theory]
    [InlineData(3, 300, 1)]
    [InlineData(3, 700, 2)]
    [InlineData(5, 250, 3)]
    public void BracketContainsTheExactNormAndNarrowsToIt(int d, int p, long seed)
    {
        var net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed(seed));
        var decomposition = Theorem2Decomposition.Compute(net);
        var eig = DenseSymmetricEigen.Eigenvalues(decomposition.Remainder);
        double exact = Math.Max(Math.Abs(eig[0]), eig[^1]);
        var units = Units(net);
        var bounds = PerronRemainderBounds.Compute(net, 2, units, iterations: 1);
        double previousWidth = double.PositiveInfinity;
        foreach (int more in new[] { 0, 7, 40, 150 })
        {
            bounds.Refine(more);
            Assert.True(bounds.NormLower <= exact && exact <= bounds.NormUpper, $"after {bounds.Iterations}: [{bounds.NormLower:R}, {bounds.NormUpper:R}] vs {exact:R}");
            double width = bounds.NormUpper - bounds.NormLower;
            Assert.True(width <= previousWidth, "the bracket must only narrow");
            previousWidth = width;
        }
        Assert.True(bounds.RelativeWidth < 1e-4, $"relative width {bounds.RelativeWidth:E2} after {bounds.Iterations} iterations");
        // u R uᵀ to rounding, against the dense remainder.
        var q = ReluKernelQuadraticForms.FromDense(decomposition.Remainder, units);
        for (int a = 0; a < units.Count; a++)
        {
            var interval = bounds.Quadratic(a);
            Assert.True(interval.Lower <= q[a, a] + 1e-15 && q[a, a] - 1e-15 <= interval.Upper, $"u_{a} R uᵀ = {q[a, a]:R} outside [{interval.Lower:R}, {interval.Upper:R}]");
            Assert.True(interval.Upper - interval.Lower < 1e-11, $"width {interval.Upper - interval.Lower:E2}");
        }
    }

    [Fact]
    public void IntervalsOnJContainItsEigenvaluesRayleighQuotientsAndRemainderNorm()
    {
        var net = ShallowReluNetwork.Sample(3, 500, SeedSequence.FromSeed(11));
        var units = Units(net);
        var bounds = TruncatedKernelBounds.Compute(net, 2, units, perron: PerronRemainderBounds.Compute(net, 2, units));
        var decomposition = Theorem2Decomposition.Compute(net);
        var eig = DenseSymmetricEigen.Eigenvalues(decomposition.J);
        for (int k = 1; k <= 12; k++)
        {
            var interval = bounds.Eigenvalue(k);
            Assert.True(interval.Lower <= eig[^k] && eig[^k] <= interval.Upper, $"λ_{k} = {eig[^k]:R} outside [{interval.Lower:R}, {interval.Upper:R}]");
        }
        var q = ReluKernelQuadraticForms.FromDense(decomposition.J, units);
        for (int a = 0; a < units.Count; a++)
        {
            var interval = bounds.Rayleigh(a);
            Assert.True(interval.Lower <= q[a, a] && q[a, a] <= interval.Upper, $"u_{a} J uᵀ = {q[a, a]:R} outside [{interval.Lower:R}, {interval.Upper:R}]");
        }
        var rEig = DenseSymmetricEigen.Eigenvalues(decomposition.Remainder);
        var norm = bounds.TheoremTwoRemainderNorm;
        Assert.True(norm.Lower <= rEig[^1] && rEig[^1] <= norm.Upper, $"‖R‖₂ = {rEig[^1]:R} outside [{norm.Lower:R}, {norm.Upper:R}]");
        Assert.True(norm.Upper - norm.Lower < 0.01 * norm.Upper, "eight iterations bracket ‖R‖₂ within 1%");
    }

    [Fact]
    public void CertifiedDecisionsEqualTheDenseOnesAndAStraddledThresholdFallsBackToTheDenseSpectra()
    {
        int d = 3, p = 400;
        var constant = Theorem3Verification.ConstantFor(d);
        var seed = TrialRunner.TrialSeed(5, "theorem3", 0);
        // δ chosen so that eigen.leading's threshold (2d+1)/(4π)(1 − δ) sits inside λ₁'s interval [λ₁(J_2), λ₁(J_2) + ‖R_2‖₂]:
        // the intervals cannot decide it, so the trial must take the dense spectra and decide exactly.
        var probe = new Theorem3Experiment(Theorem3Parameters.WithDefaultSlack(d, p, 0.5, constant) with { ExactJ = true });
        var names = probe.MeasurementNames.ToList();
        double lambda1 = probe.Run(seed).Measurements[names.IndexOf("lambda.leading")];
        double delta = 1 - (lambda1 - 1e-4) / Theorem2Levels.Of(DirectionGroup.Mean, d);
        var straddled = new Theorem3Experiment(Theorem3Parameters.WithDefaultSlack(d, p, delta, constant));
        var exact = new Theorem3Experiment(Theorem3Parameters.WithDefaultSlack(d, p, delta, constant) with { ExactJ = true });
        var b = straddled.Run(seed);
        var e = exact.Run(seed);
        Assert.Equal(1.0, b.Measurements[names.IndexOf(Theorem3Experiment.DenseMeasurement)]);
        Assert.Equal(e.Failed, b.Failed);
        Assert.False(b.Failed[Theorem3Experiment.EigenLeading]); // λ₁ is 10⁻⁴ above the threshold

        // At the report's δ = 1/2 the intervals decide every trial, with the dense decisions.
        var certified = new Theorem3Experiment(Theorem3Parameters.WithDefaultSlack(d, p, 0.5, constant));
        for (int k = 0; k < 12; k++)
        {
            var s = TrialRunner.TrialSeed(6, "theorem3", k);
            var c = certified.Run(s);
            Assert.Equal(0.0, c.Measurements[names.IndexOf(Theorem3Experiment.DenseMeasurement)]);
            Assert.Equal(probe.Run(s).Failed, c.Failed);
        }
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.ShallowRelu;

public class ShallowReluTests
{
    [Fact]
    public void SameSeedSameWeightsDifferentSeedDifferentWeights()
    {
        var a = ShallowReluNetwork.Sample(3, 50, SeedSequence.FromSeed(11));
        var b = ShallowReluNetwork.Sample(3, 50, SeedSequence.FromSeed(11));
        var c = ShallowReluNetwork.Sample(3, 50, SeedSequence.FromSeed(12));
        Assert.Equal(a.Weights, b.Weights);
        Assert.NotEqual(a.Weights, c.Weights);
    }

    [Fact]
    public void SampledWeightsHaveVarianceOneOverP()
    {
        // p‖W‖_F² ~ χ²(dp): mean dp, sd √(2dp). Fixed seed; 6 standard deviations ⇒ false-alarm < 2e-9.
        int d = 5, p = 4000;
        var net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed(5));
        double stat = p * net.FrobeniusNormSquared();
        Assert.InRange(stat, d * p - 6 * Math.Sqrt(2.0 * d * p), d * p + 6 * Math.Sqrt(2.0 * d * p));
    }

    [Fact]
    public void Lemma1MatrixIsSymmetricPsdWithHalfSquaredNormsOnTheDiagonal()
    {
        var net = ShallowReluNetwork.Sample(4, 120, SeedSequence.FromSeed(2));
        var j = net.FisherByLemma1();
        Assert.Equal(0.0, j.MaxAsymmetry());
        // |J_ii − n_i²/2| ≤ 1e-15 (an absolute tolerance: xUnit's "decimal places" rounds both sides, so two values 1e-17 apart can differ).
        for (int i = 0; i < net.P; i++)
            Assert.True(Math.Abs(0.5 * net.ColumnNorms[i] * net.ColumnNorms[i] - j[i, i]) <= 1e-15, $"J_{i}{i} = {j[i, i]:R} vs n²/2 = {0.5 * net.ColumnNorms[i] * net.ColumnNorms[i]:R}");
        var eig = DenseSymmetricEigen.Eigenvalues(j);
        Assert.True(eig[0] >= -1e-12 * j.Trace(), $"smallest eigenvalue {eig[0]:E3}");
        Assert.Equal(0.5 * net.FrobeniusNormSquared(), j.Trace(), 12); // tr J = ‖W‖_F²/2
    }

    [Fact]
    public void SimdAndScalarLemma1PathsAgree()
    {
        var net = ShallowReluNetwork.Sample(5, 301, SeedSequence.FromSeed(9));
        var fast = net.FisherByLemma1(useSimd: true);
        var slow = net.FisherByLemma1(useSimd: false);
        for (int k = 0; k < fast.Data.Length; k++)
            Assert.True(Math.Abs(slow.Data[k] - fast.Data[k]) <= 4e-15 * (net.ColumnNorms[k / net.P] * net.ColumnNorms[k % net.P]), $"entry {k}");
    }

    [Fact]
    public void MonteCarloDoesNotDependOnThreadCount()
    {
        var net = ShallowReluNetwork.Sample(3, 30, SeedSequence.FromSeed(4));
        var one = MonteCarloFisher.Estimate(net, 5000, SeedSequence.FromSeed(4), maxDegreeOfParallelism: 1);
        var many = MonteCarloFisher.Estimate(net, 5000, SeedSequence.FromSeed(4));
        Assert.Equal(one.Mean.Data, many.Mean.Data);
        Assert.Equal(one.StandardError.Data, many.StandardError.Data);
    }

    [Fact]
    public void Lemma1AgreesWithMonteCarloAtStatedFalseAlarmRate()
    {
        // Decision: Bernstein's bound on every entry and side at family-wise α = 1e-4, valid at any sample size; with 100,000
        // samples it resolves an error of a few percent, so PASS (not UNDERPOWERED).
        var r = Lemma1Check.Run(new Lemma1Parameters(D: 4, P: 60, Samples: 100_000, Seed: 2026, FalseAlarmRate: 1e-4));
        Assert.True(r.Verdict == FimVerify.Numeric.Verification.Verdict.Pass, $"worst |Ĵ − J|/bound = {r.WorstRatio:F2}, detectable {r.DetectableRelativeError:P1}");
    }

    [Fact]
    public void Lemma1CheckDetectsAWrongKernel()
    {
        // Power: the same Monte Carlo must refute a kernel off by 10% (a mutation a real bug could make); the run resolves
        // errors below that.
        var prm = new Lemma1Parameters(D: 4, P: 60, Samples: 100_000, Seed: 2026, FalseAlarmRate: 1e-4);
        var root = SeedSequence.FromSeed(2026);
        var net = ShallowReluNetwork.Sample(4, 60, root);
        var j = net.FisherByLemma1();
        var mc = MonteCarloFisher.Estimate(net, 100_000, root);
        var right = Lemma1Check.Decide(prm, net, j, mc);
        Assert.True(right.DetectableRelativeError < 0.1, $"detectable {right.DetectableRelativeError:P1}");
        var wrong = new SymmetricMatrix(60);
        for (int k = 0; k < j.Data.Length; k++) wrong.Data[k] = 1.1 * j.Data[k];
        var r = Lemma1Check.Decide(prm, net, wrong, mc);
        Assert.True(r.Verdict == FimVerify.Numeric.Verification.Verdict.Fail, $"a 10% error went unnoticed: worst ratio {r.WorstRatio:F2}");
    }
}

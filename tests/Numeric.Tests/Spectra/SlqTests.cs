using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Spectra;
using FimVerify.Numeric.Tests.Models;
using Xunit;

namespace FimVerify.Numeric.Tests.Spectra;

/// <summary>A Fisher small enough to materialise (P = 16·12 + 12 + 12·4 + 4 = 256) shared by the SLQ claims.</summary>
internal static class SmallFisher
{
    public static ClassifierFisher Make(FisherKind kind, FisherBlocks blocks, int monteCarloSamples = 1, long seed = 21)
    {
        var (model, data) = SmallClassifier.Make([12], HiddenActivation.Relu, count: 60, d: 16, classes: 4, seed: seed);
        return ClassifierFisher.Create(model, data.Features, data.Labels, kind, blocks, monteCarloSamples, SeedSequence.FromSeed(seed).Child("mc"));
    }

    private static readonly Dictionary<(FisherKind, FisherBlocks, int), (ClassifierFisher, double[], SymmetricMatrix)> Cache = [];

    public static (ClassifierFisher Op, double[] Eigenvalues, SymmetricMatrix Dense) WithSpectrum(FisherKind kind, FisherBlocks blocks, int monteCarloSamples = 1)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue((kind, blocks, monteCarloSamples), out var entry))
            {
                var op = Make(kind, blocks, monteCarloSamples);
                var dense = op.Materialize();
                entry = (op, DenseSymmetricEigen.Eigenvalues(dense), dense);
                Cache[(kind, blocks, monteCarloSamples)] = entry;
            }
            return entry;
        }
    }
}

public class SlqTests
{
    [Fact]
    public void QuadratureOfADiagonalMatrixHasTheSquaredStartEntriesAsWeights()
    {
        // A = diag(1..n), full Lanczos: the rule is exact, nodes λ_i and weights v_i²/‖v‖² (not their squares).
        int n = 12;
        var m = new SymmetricMatrix(n);
        for (int i = 0; i < n; i++) m[i, i] = i + 1;
        var v = new double[n];
        SeedSequence.FromSeed(2).CreateSampler().FillGaussian(v);
        double norm2 = v.Sum(x => x * x);
        var rule = LanczosQuadrature.FromStart(new DenseOperator(m), v, n);
        var order = Enumerable.Range(0, rule.Nodes.Length).OrderBy(k => rule.Nodes[k]).ToArray();
        Assert.Equal(n, order.Length);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(i + 1, rule.Nodes[order[i]], 10);
            Assert.Equal(v[i] * v[i] / norm2, rule.Weights[order[i]], 12);
        }
    }

    [Fact]
    public void LanczosStopsAtAnInvariantSubspaceWithAnExactRule()
    {
        // Three distinct eigenvalues: the Krylov space has dimension 3 whatever the start vector.
        int n = 30;
        var m = new SymmetricMatrix(n);
        for (int i = 0; i < n; i++) m[i, i] = i % 3;
        var v = ProbeVectors.Draw(ProbeDistribution.Gaussian, n, SeedSequence.FromSeed(8), 0);
        var rule = LanczosQuadrature.FromStart(new DenseOperator(m), v, 20);
        Assert.Equal(3, rule.Nodes.Length);
        Assert.Equal(1, rule.TotalWeight, 12);
    }

    [Theory]
    [InlineData(FisherKind.Exact, FisherBlocks.Full)]
    [InlineData(FisherKind.Empirical, FisherBlocks.LayerWise)]
    public void LanczosTopEigenvaluesOfAFisherMatchDenseTo1e8(FisherKind kind, FisherBlocks blocks)
    {
        var (op, eigenvalues, _) = SmallFisher.WithSpectrum(kind, blocks);
        var start = ProbeVectors.Draw(ProbeDistribution.Gaussian, op.Dimension, SeedSequence.FromSeed(4), 0);
        var rule = LanczosQuadrature.FromStart(op, start, 120);
        var ritz = rule.Nodes.OrderDescending().ToArray();
        double scale = eigenvalues[^1];
        for (int k = 0; k < 5; k++)
            Assert.True(Math.Abs(ritz[k] - eigenvalues[^(k + 1)]) <= 1e-8 * scale, $"λ_{k + 1}: Lanczos {ritz[k]}, dense {eigenvalues[^(k + 1)]}");
    }

    [Theory]
    [InlineData(FisherKind.Exact, FisherBlocks.Full)]
    [InlineData(FisherKind.MonteCarlo, FisherBlocks.LayerWise)]
    public void SharedLanczosSolverTopEigenvaluesOfAFisherMatchDenseTo1e8(FisherKind kind, FisherBlocks blocks)
    {
        var (op, eigenvalues, _) = SmallFisher.WithSpectrum(kind, blocks);
        var top = LanczosSolver.TopEigenvalues(op, 6, SeedSequence.FromSeed(12));
        for (int k = 0; k < top.Length; k++)
            Assert.True(Math.Abs(top[k] - eigenvalues[^(k + 1)]) <= 1e-8 * eigenvalues[^1], $"λ_{k + 1}: Lanczos {top[k]}, dense {eigenvalues[^(k + 1)]}");
    }

    [Theory]
    [InlineData(FisherKind.Exact, FisherBlocks.Full, ProbeDistribution.Rademacher)]
    [InlineData(FisherKind.MonteCarlo, FisherBlocks.LayerWise, ProbeDistribution.Gaussian)]
    [InlineData(FisherKind.Empirical, FisherBlocks.Full, ProbeDistribution.Rademacher)]
    public void SlqMomentsMatchTracesOfPowersWithinTheirMonteCarloError(FisherKind kind, FisherBlocks blocks, ProbeDistribution distribution)
    {
        // Decision: |Z_k| ≤ z(1 − α/8) with the exact null variance, k = 1..4, family-wise α = 1e-3 (see SlqMomentCheck); k = 0 exact.
        var (op, _, dense) = SmallFisher.WithSpectrum(kind, blocks);
        var slq = StochasticLanczosQuadrature.Run(op, new SlqSettings(30, 15, distribution), SeedSequence.FromSeed(77));
        var comparisons = SlqMomentCheck.Compare(slq, dense, 1e-3);
        Assert.All(comparisons, c => Assert.True(c.Consistent, $"moment {c.Power}: SLQ {c.Estimate} ± {c.NullStandardError}, exact {c.Exact}, Z = {c.Z}"));
    }

    [Fact]
    public void SquaredWeightsWouldFailTheMomentCheck()
    {
        // The pitfall of MATH.md §3, injected: weights y_k[0]⁴ no longer sum to 1, and the check must say so.
        var (op, _, dense) = SmallFisher.WithSpectrum(FisherKind.Exact, FisherBlocks.Full);
        var slq = StochasticLanczosQuadrature.Run(op, new SlqSettings(10, 15), SeedSequence.FromSeed(78));
        var squared = slq with { Rules = slq.Rules.Select(r => r with { Weights = r.Weights.Select(w => w * w).ToArray() }).ToArray() };
        Assert.True(SlqMomentCheck.Compare(slq, dense, 1e-3)[0].Consistent);
        Assert.False(SlqMomentCheck.Compare(squared, dense, 1e-3)[0].Consistent);
    }

    [Theory]
    [InlineData(FisherKind.Exact, FisherBlocks.Full)]
    [InlineData(FisherKind.MonteCarlo, FisherBlocks.Full)]
    [InlineData(FisherKind.Empirical, FisherBlocks.LayerWise)]
    public void HutchinsonLiesWithinFourStandardErrorsOfTheExactTrace(FisherKind kind, FisherBlocks blocks)
    {
        // Decision: |estimate − tr F| ≤ 4 SE (K = 40 probes; false-alarm rate ≈ 6e-5 under normality).
        var (op, _, dense) = SmallFisher.WithSpectrum(kind, blocks);
        var h = HutchinsonTrace.Estimate(op, 40, ProbeDistribution.Rademacher, SeedSequence.FromSeed(31));
        Assert.True(h.StandardError > 0);
        Assert.True(Math.Abs(h.Trace - dense.Trace()) <= 4 * h.StandardError, $"Hutchinson {h.Trace} ± {h.StandardError}, exact {dense.Trace()}");
    }

    [Fact]
    public void GridMomentsOfTheBroadenedDensityMatchTheirClosedForm()
    {
        var (op, _, _) = SmallFisher.WithSpectrum(FisherKind.Exact, FisherBlocks.Full);
        var slq = StochasticLanczosQuadrature.Run(op, new SlqSettings(4, 20), SeedSequence.FromSeed(5));
        double sigma = 0.01 * slq.Rules.Max(r => r.Nodes.Max());
        var density = slq.Density(sigma, DensityGrid.Covering(slq.Rules, sigma, 4000, padding: 10));
        for (int k = 0; k <= 4; k++)
        {
            double grid = density.GridMoment(k), closed = density.BroadenedMoment(k);
            Assert.True(Math.Abs(grid - closed) <= 1e-6 * Math.Abs(closed), $"moment {k}: grid {grid}, closed form {closed}");
        }
    }

    [Fact]
    public void DensityDistanceToTheExactDensityShrinksAsProbesGrow()
    {
        // Trend over K = 1, 4, 16, 64 probes, each W1 averaged over 4 fixed seeds: it must decrease at every
        // step and fall by at least half from K = 1 to 64 (probe noise alone predicts 1/8).
        var (op, eigenvalues, _) = SmallFisher.WithSpectrum(FisherKind.Exact, FisherBlocks.Full);
        var exactRule = QuadratureRule.FromEigenvalues(eigenvalues);
        double sigma = 0.02 * eigenvalues[^1];
        var grid = DensityGrid.Covering([exactRule], sigma, 2000, padding: 10);
        var exact = new SpectralDensity([exactRule], sigma, grid);
        int[] probes = [1, 4, 16, 64];
        var w1 = probes.Select(k => Enumerable.Range(0, 4).Average(r =>
        {
            var slq = StochasticLanczosQuadrature.Run(op, new SlqSettings(k, 25), SeedSequence.FromSeed(1000 + r));
            return DensityDistance.Between(slq.Density(sigma, grid), exact).Wasserstein1;
        })).ToArray();
        string trend = string.Join(", ", probes.Zip(w1, (k, w) => $"K={k}: {w:G3}"));
        for (int i = 1; i < w1.Length; i++) Assert.True(w1[i] < w1[i - 1], $"W1 did not decrease: {trend}");
        Assert.True(w1[^1] < 0.5 * w1[0], $"W1 fell too little: {trend}");
    }

    [Fact]
    public void LayerWiseSpectrumLiesInsideTheFullOne()
    {
        // Each layer block is a principal submatrix of F, so by Cauchy interlacing its spectrum lies in F's range.
        foreach (var kind in new[] { FisherKind.Exact, FisherKind.MonteCarlo, FisherKind.Empirical })
        {
            var (_, full, _) = SmallFisher.WithSpectrum(kind, FisherBlocks.Full);
            var (_, wise, _) = SmallFisher.WithSpectrum(kind, FisherBlocks.LayerWise);
            double slack = 1e-10 * full[^1];
            Assert.True(wise[^1] <= full[^1] + slack, $"{kind}: layer-wise max {wise[^1]} > full max {full[^1]}");
            Assert.True(wise[0] >= full[0] - slack, $"{kind}: layer-wise min {wise[0]} < full min {full[0]}");
            Assert.True(wise[^1] < full[^1], $"{kind}: the cross-layer blocks should widen the full spectrum");
        }
    }

    [Fact]
    public void MonteCarloFisherDensityApproachesTheExactOneAsLabelsPerInputGrow()
    {
        // Trend over m = 1, 4, 16, 64 sampled labels: W1 to the exact density must decrease at every step and fall
        // by at least half from m = 1 to 64 (the MC Fisher's error shrinks like 1/√m).
        var (_, exactEigen, _) = SmallFisher.WithSpectrum(FisherKind.Exact, FisherBlocks.Full);
        int[] labels = [1, 4, 16, 64];
        var rules = labels.Select(m => QuadratureRule.FromEigenvalues(SmallFisher.WithSpectrum(FisherKind.MonteCarlo, FisherBlocks.Full, m).Eigenvalues)).ToArray();
        var exactRule = QuadratureRule.FromEigenvalues(exactEigen);
        double sigma = 0.02 * exactEigen[^1];
        var grid = DensityGrid.Covering(rules.Append(exactRule), sigma, 2000, padding: 10);
        var exact = new SpectralDensity([exactRule], sigma, grid);
        var w1 = rules.Select(r => DensityDistance.Between(new SpectralDensity([r], sigma, grid), exact).Wasserstein1).ToArray();
        string trend = string.Join(", ", labels.Zip(w1, (m, w) => $"m={m}: {w:G3}"));
        for (int i = 1; i < w1.Length; i++) Assert.True(w1[i] < w1[i - 1], $"W1 did not decrease: {trend}");
        Assert.True(w1[^1] < 0.5 * w1[0], $"W1 fell too little: {trend}");
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Spectra;
using FimVerify.Numeric.Tests.Classifiers;
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
        // Decision (SlqMomentCheck): each probe's rule reproduces its own vᵀAᵏv to 1e-9·λ_maxᵏ, and the probe averages lie within
        // finite-sample bounds of tr(Aᵏ)/n at family-wise α = 1e-3 (any seed: a false alarm has probability ≤ 1e-3).
        var (op, eigenvalues, dense) = SmallFisher.WithSpectrum(kind, blocks);
        var slq = StochasticLanczosQuadrature.Run(op, new SlqSettings(30, 15, distribution), SeedSequence.FromSeed(77));
        var comparisons = SlqMomentCheck.Compare(slq, dense, eigenvalues, 1e-3);
        Assert.All(comparisons, c => Assert.True(c.Consistent, $"moment {c.Power}: SLQ {c.Estimate} ± {c.NullStandardError}, exact {c.Exact}, Z = {c.Z}, quadrature {c.QuadratureError}"));
        Assert.All(comparisons, c => Assert.True(c.QuadratureError <= 1e-11, $"moment {c.Power}: quadrature error {c.QuadratureError}"));
    }

    [Fact]
    public void SquaredWeightsWouldFailTheMomentCheck()
    {
        // The pitfall of MATH.md §3, injected: weights y_k[0]⁴ no longer sum to 1, and the check must say so.
        var (op, eigenvalues, dense) = SmallFisher.WithSpectrum(FisherKind.Exact, FisherBlocks.Full);
        var slq = StochasticLanczosQuadrature.Run(op, new SlqSettings(10, 15), SeedSequence.FromSeed(78));
        var squared = slq with { Rules = slq.Rules.Select(r => r with { Weights = r.Weights.Select(w => w * w).ToArray() }).ToArray() };
        Assert.True(SlqMomentCheck.Compare(slq, dense, eigenvalues, 1e-3)[0].Consistent);
        Assert.False(SlqMomentCheck.Compare(squared, dense, eigenvalues, 1e-3)[0].Consistent);
    }

    [Fact]
    public void TwoLanczosStepsFailTheFourthMoment()
    {
        // Gauss quadrature with m steps is exact to degree 2m − 1: with 2 steps the 4th moment misses each probe's vᵀA⁴v (by about
        // 10% here), which the per-probe identity sees whatever the probe average does; with 3 steps every moment k ≤ 4 is exact.
        var (op, eigenvalues, dense) = SmallFisher.WithSpectrum(FisherKind.Exact, FisherBlocks.Full);
        var two = SlqMomentCheck.Compare(StochasticLanczosQuadrature.Run(op, new SlqSettings(20, 2), SeedSequence.FromSeed(79)), dense, eigenvalues, 1e-3);
        Assert.True(two.Take(4).All(c => c.QuadratureError <= 1e-11), "moments 0…3 are exact with 2 steps");
        Assert.False(two[4].Consistent);
        Assert.True(two[4].QuadratureError > 1e-3, $"4th moment quadrature error {two[4].QuadratureError}");
        var three = SlqMomentCheck.Compare(StochasticLanczosQuadrature.Run(op, new SlqSettings(20, 3), SeedSequence.FromSeed(79)), dense, eigenvalues, 1e-3);
        Assert.All(three, c => Assert.True(c.QuadratureError <= 1e-11, $"moment {c.Power}: {c.QuadratureError}"));
    }

    [Fact]
    public void QuadraticFormBoundsHaveTheirChiSquareValue()
    {
        // B = I_10, 5 probes: the dominating Gaussian sum is χ²₅₀/10, whose Chernoff bound exp(−25(ε − ln(1 + ε))) = 1e-3 at
        // ε = 0.937931248517343 (mpmath); Maurer's lower bound is √(2·(0 + 1)·ln(1000)/5).
        var (upper, lower) = QuadraticFormBounds.Deviations(Enumerable.Repeat(1.0, 10).ToArray(), 10, 5, 0, 1e-3);
        Assert.Equal(0.937931248517343, upper, 9);
        Assert.Equal(Math.Sqrt(2 * Math.Log(1000) / 5), lower, 14);
    }

    /// <summary>
    /// Calibration of the probe-average rule on a skewed spectrum (one eigenvalue 50, 49 at 1: the forms are χ²₁-like): over 2000
    /// independent sets of 20 Rademacher probes the bounds at α = 0.05 per tail are crossed in at most 5% of sets per tail
    /// (binomial test at false-alarm rate 1e-6: any seed). A z-test with the exact variance is miscalibrated on such forms: for a
    /// χ²₁-like form the mean of 20 exceeds 3.66σ (nominal 1.25e-4) with the χ²₂₀ tail probability P(χ²₂₀ > 43.1) ≈ 2e-3.
    /// </summary>
    [Fact]
    public void TheProbeAverageBoundsHoldOnASkewedSpectrum()
    {
        const int n = 50, probes = 20, sets = 2000;
        var eigenvalues = Enumerable.Repeat(1.0, n - 1).Append(50.0).ToArray();
        double mean = eigenvalues.Sum() / n, frobenius = eigenvalues.Sum(l => l * l);
        // Diagonal B: Rademacher forms are exactly tr B/n (no randomness): rotate it so the forms are random. A fixed orthogonal Q
        // from the QR of a seeded Gaussian matrix gives B = Q diag(λ) Qᵀ.
        var g = new double[n * n];
        SeedSequence.FromSeed(5).CreateSampler().FillGaussian(g);
        var q = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, g).QR().Q;
        var b = q * MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DiagonalOfDiagonalArray(eigenvalues) * q.Transpose();
        double diagonal2 = Enumerable.Range(0, n).Sum(i => b[i, i] * b[i, i]);
        double variance = 2.0 / ((double)n * n) * (frobenius - diagonal2);
        var (upper, lower) = QuadraticFormBounds.Deviations(eigenvalues, n, probes, variance, 0.05);
        int above = 0, below = 0;
        for (int s = 0; s < sets; s++)
        {
            double sum = 0;
            for (int k = 0; k < probes; k++)
            {
                var z = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(ProbeVectors.Draw(ProbeDistribution.Rademacher, n, SeedSequence.FromSeed(900 + s), k));
                sum += z * (b * z) / n;
            }
            double average = sum / probes;
            if (average - mean > upper) above++;
            if (mean - average > lower) below++;
        }
        Assert.True(FimVerify.Numeric.Verification.ClopperPearson.UpperTail(above, sets, 0.05) >= 1e-6, $"{above}/{sets} above the upper bound {upper}");
        Assert.True(FimVerify.Numeric.Verification.ClopperPearson.UpperTail(below, sets, 0.05) >= 1e-6, $"{below}/{sets} below the lower bound {lower}");
    }

    [Theory]
    [InlineData(FisherKind.Exact, FisherBlocks.Full)]
    [InlineData(FisherKind.MonteCarlo, FisherBlocks.Full)]
    [InlineData(FisherKind.Empirical, FisherBlocks.LayerWise)]
    public void HutchinsonLiesWithinFourStandardErrorsOfTheExactTrace(FisherKind kind, FisherBlocks blocks)
    {
        // Decision: the estimate/n (the mean of K = 40 forms zᵀFz/n = vᵀFv) within the finite-sample bounds of QuadraticFormBounds at
        // α = 1e-4 per tail (no normal approximation: these forms are skewed). The rule can fail: a trace 35% too large is outside
        // (the lower side, Maurer's bound for Rademacher probes, is wider: about 70% of the trace at K = 40).
        var (op, eigenvalues, dense) = SmallFisher.WithSpectrum(kind, blocks);
        var h = HutchinsonTrace.Estimate(op, 40, ProbeDistribution.Rademacher, SeedSequence.FromSeed(31));
        int n = op.Dimension;
        double frobenius = dense.Data.Sum(x => x * x), diagonal2 = Enumerable.Range(0, n).Sum(i => dense[i, i] * dense[i, i]);
        var (upper, lower) = QuadraticFormBounds.Deviations(eigenvalues, n, 40, 2.0 / ((double)n * n) * (frobenius - diagonal2), 1e-4);
        double deviation = (h.Trace - dense.Trace()) / n;
        Assert.True(h.StandardError > 0);
        Assert.True(deviation <= upper && -deviation <= lower, $"Hutchinson {h.Trace} ± {h.StandardError}, exact {dense.Trace()}, bounds +{upper * n}/−{lower * n}");
        Assert.True(upper * n < 0.35 * dense.Trace(), $"bounds +{upper * n}/−{lower * n} against a trace {dense.Trace()}");
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

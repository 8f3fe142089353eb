using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Random;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using Xunit;

namespace FimVerify.Numeric.Tests.ShallowRelu;

public class DirectionVectorTests
{
    [Fact]
    public void VectorsFollowTheirDefinitionsOnAHandMadeW()
    {
        // d = 2, p = 2: columns (3, 4) and (1, 0).
        var net = new ShallowReluNetwork(2, 2, [3, 1, 4, 0]);
        var v = DirectionVectors.Of(net);
        Assert.Equal(DirectionVectors.Count(2), v.All.Count);
        Assert.Equal(["v0", "W1", "W2", "v(1,2)", "v(1)", "v(2)"], v.All.Select(x => x.Name));
        Assert.Equal(5 / Math.Sqrt(2), v.Mean.Values[0], 14);
        Assert.Equal(Math.Sqrt(2) * 12 / 5, v.All[3].Values[0], 14);                      // √d W_1i W_2i / n_i
        Assert.Equal(Math.Sqrt(2 / 2.0) * (9 - 25 / 2.0) / 5, v.All[4].Values[0], 14);      // √(d/2)(W_γi² − n_i²/d)/n_i
        Assert.Equal(Math.Sqrt(1.0) * (1 - 0.5), v.All[4].Values[1], 14);
    }

    [Fact]
    public void MatrixFreeQuadraticFormsMatchTheDenseJ()
    {
        var net = ShallowReluNetwork.Sample(3, 300, SeedSequence.FromSeed(5));
        var vectors = DirectionVectors.Of(net).All.Select(v => v.Values).ToList();
        var free = ReluKernelQuadraticForms.Compute(net, vectors);
        var dense = ReluKernelQuadraticForms.FromDense(net.FisherByLemma1(), vectors);
        double scale = Enumerable.Range(0, vectors.Count).Max(a => Math.Abs(dense[a, a]));
        for (int a = 0; a < vectors.Count; a++)
            for (int c = 0; c < vectors.Count; c++)
                Assert.True(Math.Abs(free[a, c] - dense[a, c]) <= 1e-13 * scale, $"({a},{c}): {free[a, c]} vs {dense[a, c]}");
        var serial = ReluKernelQuadraticForms.Compute(net, vectors, maxDegreeOfParallelism: 1);
        Assert.Equal(free.Data, serial.Data);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void GramMeansAndVariancesMatchTheirExactValues(int d)
    {
        // Decision rule: each compared mean or variance is within z·SE of its exact value, z = Φ⁻¹(1 − 1e-6/(2·k))
        // for the k comparisons of this test (Bonferroni, false-alarm rate 1e-6). SEs of the variances are from the
        // exact fourth moment of g² (Var(g⁴) = 96), of the means from the estimated variances.
        long columns = 400_000;
        var est = Lemma2ConstantEstimator.MonteCarlo(d, columns, SeedSequence.FromSeed(17));
        int m = DirectionVectors.Count(d);
        int pair = 1 + d, diag = 1 + d + d * (d - 1) / 2;
        var checks = new List<(string Name, double Observed, double Exact, double Se)>
        {
            ("‖v^(α,β)‖²", est.Means[pair, pair], Lemma2Slack.PairNormMean(d), Math.Sqrt(est.Variances[pair, pair] / columns)),
            ("‖v^(γ)‖²", est.Means[diag, diag], Lemma2Slack.DiagonalNormMean(d), Math.Sqrt(est.Variances[diag, diag] / columns)),
            ("v^(γ)·v^(γ')", est.Means[diag, diag + 1], Lemma2Slack.DiagonalDotMean(d), Math.Sqrt(est.Variances[diag, diag + 1] / columns)),
            ("‖v0‖²", est.Means[0, 0], 1.0, Math.Sqrt(est.Variances[0, 0] / columns)),
            ("Var ‖W_l‖² per column", est.Variances[1, 1], 2.0, Math.Sqrt(96.0 / columns)),
            ("Var ‖v0‖² per column", est.Variances[0, 0], 2.0 / d, Math.Sqrt(est.Variances[0, 0] * 4 / columns)),
        };
        double z = Normal.InvCDF(0, 1, 1 - 1e-6 / (2.0 * checks.Count));
        foreach (var (name, observed, exact, se) in checks)
            Assert.True(Math.Abs(observed - exact) <= z * se, $"{name}: {observed} vs {exact} (se {se})");
        Assert.True(est.Constant.IsEstimate);
        // The symbolic layer's exact C(d) against the estimate: within z·SE of the worst entry's variance.
        var derived = Lemma2Constant.FromSymbolicLayer(d);
        Assert.False(derived.IsEstimate);
        Assert.True(Math.Abs(derived.Value - est.Constant.Value) <= z * Math.Max(est.Constant.StandardError, Math.Sqrt(96.0 / columns)),
            $"derived C({d}) = {derived.Value} vs estimate {est.Constant.Value} ± {est.Constant.StandardError}");
        Assert.True(est.Constant.Value >= 2.0 - z * Math.Sqrt(96.0 / columns), "C is at least Var(g²) = 2");
        Assert.Equal((d + 1.0) * (d + 2) / 2 * ((d + 1.0) * (d + 2) / 2 + 1) / 2, Lemma2Constant.EntryCount(d));
        Assert.Equal(m * (m + 1) / 2, (int)Lemma2Constant.EntryCount(d));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void LimitLevelsAgreeWithTheSeriesRoute(int d)
    {
        // Second route: Λ_k = d Σ_m c_m λ_{m,k} with the exact κ coefficients and the sphere moments
        // λ_{m,k} = m! Γ(d/2) / (2^m ((m−k)/2)! Γ((m+k+d)/2)) (m ≥ k, m − k even). λ_{m,k} decreases in m and every
        // c_m ≥ 0, so the truncated series lies below Λ_k by at most d·λ_{K,k}·Σ_{m≥K} c_m (K = the series order).
        var kappa = KappaCoefficients.Default;
        double Lambda(int mm, int k) => Math.Exp(SpecialFunctions.FactorialLn(mm) + SpecialFunctions.GammaLn(d / 2.0) - mm * Math.Log(2)
            - SpecialFunctions.FactorialLn((mm - k) / 2) - SpecialFunctions.GammaLn((mm + k + d) / 2.0));
        double Series(int k)
        {
            double s = 0;
            for (int mm = k; mm < kappa.Order; mm += 2) s += kappa.C[mm] * Lambda(mm, k);
            return d * s;
        }
        foreach (int k in new[] { 0, 1, 2, 4 })
        {
            int first = kappa.Order + ((kappa.Order - k) % 2 + 2) % 2;   // first omitted m of k's parity
            double tail = d * Lambda(first, k) * kappa.TailFrom(kappa.Order);
            double gap = LimitSpectrum.Level(d, k) - Series(k);
            Assert.True(gap >= -1e-13 && gap <= tail + 1e-13, $"k = {k}: {LimitSpectrum.Level(d, k)} vs {Series(k)} (tail bound {tail})");
        }
        Assert.Equal(0.25, LimitSpectrum.Level(d, 1), 13);
        Assert.True(Math.Abs(LimitSpectrum.Level(d, 3)) < 1e-14, "κ's odd part is t/4, so degree 3 has no weight");
        // Main-part share of the group-3 level: 2c_2 λ_{2,2} d = 1/(2π(d+2)); R adds a positive amount.
        Assert.True(LimitSpectrum.Level(d, 2) > 1 / (2 * Math.PI * (d + 2)));
        Assert.Equal(d * (d + 1) / 2 - 1, LimitSpectrum.Multiplicity(d, 2));
    }
}

using Xunit;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Tests.Claims;

/// <summary>The models' statistics held against independent routes to the same numbers.</summary>
public class ClaimModelTests
{
    [Fact]
    public void CertifiedBoundsOfJContainItsDenseStatistics()
    {
        // The same network measured twice: J formed densely, and J bounded through its truncation (dense limit lowered to 100).
        var net = ShallowReluNetwork.Sample(3, 400, SeedSequence.FromSeed(5).Child("claims-test"));
        Statistic[] statistics =
        [
            new(StatisticKind.LambdaMax), new(StatisticKind.Eigenvalue, 4), new(StatisticKind.Eigenvalue, 9), new(StatisticKind.MeanTop, 4),
            new(StatisticKind.Rayleigh, 0, "v0"), new(StatisticKind.Rayleigh, 0, "W"), new(StatisticKind.Rayleigh, 0, "pair"), new(StatisticKind.Rayleigh, 0, "diag"),
        ];
        foreach (var s in statistics)
        {
            var dense = s.Of(ShallowReluClaimModel.Measure(net, "j", s));
            var bounds = s.Of(ShallowReluClaimModel.Measure(net, "j", s, denseLimit: 100));
            Assert.Equal(dense.Lower, dense.Upper);
            Assert.True(bounds.Lower <= dense.Lower && dense.Lower <= bounds.Upper, $"{s.Name}: {dense.Lower} outside [{bounds.Lower}, {bounds.Upper}]");
            Assert.True(bounds.Upper - bounds.Lower < 0.1 * Math.Abs(dense.Lower), $"{s.Name}: bounds [{bounds.Lower}, {bounds.Upper}] too loose to mean anything");
        }
        var norm = new Statistic(StatisticKind.LambdaMax);
        var r = norm.Of(ShallowReluClaimModel.Measure(net, "remainder", norm));
        var rBounds = norm.Of(ShallowReluClaimModel.Measure(net, "remainder", norm, denseLimit: 100));
        Assert.True(rBounds.Lower <= r.Lower && r.Lower <= rBounds.Upper);
    }

    [Fact]
    public void TheTraceOfJIsTheSumOfLemmaOnesDiagonal()
    {
        var net = ShallowReluNetwork.Sample(4, 300, SeedSequence.FromSeed(6).Child("claims-test"));
        var trace = new Statistic(StatisticKind.Trace);
        double fromW = trace.Of(ShallowReluClaimModel.Measure(net, "j", trace)).Lower;       // ‖W‖_F²/2, J never formed
        double fromJ = net.FisherByLemma1().Trace();                                        // n_i² κ(1) entry by entry
        Assert.Equal(fromJ, fromW, 1e-12 * fromJ);
        var j = new DenseMatrixMeasurement(net.FisherByLemma1(), net.P);
        var main = new Statistic(StatisticKind.Trace).Of(ShallowReluClaimModel.Measure(net, "main", trace)).Lower;
        Assert.Equal(j.Trace().Lower * (0.5 + 3 / (2 * Math.PI)), main, 1e-10);           // Theorem 2's trace ratio
    }

    [Fact]
    public void NetworkStatisticsAgreeWithTheSpectrumRouteOfFimStats()
    {
        // The claim engine reads m and s from the dual's trace and entries; fim-stats from its eigenvalues.
        var model = MlpModel(softmax: false);
        var seed = SeedSequence.FromSeed(3).Child("claims-test");
        double Stat(StatisticKind kind, int k = 0)
        {
            var s = new Statistic(kind, k);
            return s.Of(model.Sample(60, [new MatrixRead("fim", s)], seed).Matrix("fim")).Lower;
        }
        var spectrum = FimSpectrumExperiment.Run(new Tanh(), new NetworkShape(3, 3, 0.64), 60, 8, 2, FimVariant.Regression, seed)[0];
        Assert.Equal(spectrum.Mean, Stat(StatisticKind.Mean), 1e-12 * spectrum.Mean);
        Assert.Equal(spectrum.SecondMoment, Stat(StatisticKind.SecondMoment), 1e-11 * spectrum.SecondMoment);
        Assert.Equal(spectrum.TopMean(2), Stat(StatisticKind.MeanTop, 2), 1e-12 * spectrum.LambdaMax);
        Assert.Equal(spectrum.EigenvaluesDescending[2], Stat(StatisticKind.Eigenvalue, 3), 1e-12 * spectrum.LambdaMax);
        Assert.Equal(0, Stat(StatisticKind.Eigenvalue, 17));                 // beyond CT = 16: F has P − CT zero eigenvalues
    }

    [Fact]
    public void NetworkSymbolsAreTheMeanFieldQuantities()
    {
        var model = MlpModel(softmax: false);
        var op = OrderParameters.Compute(GaussianKernels.For(new Tanh()), new NetworkShape(3, 3, 0.64));
        var s = model.SymbolsAt(60);
        Assert.Equal(op.Kappa1, s["kappa1"]);
        Assert.Equal(op.Kappa2, s["kappa2"]);
        Assert.Equal(op.NtkKappa1, s["kappa1p"]);
        Assert.Equal(op.Alpha, s["alpha"]);
        Assert.Equal(op.QTilde2[1], s["qtilde2_1"]);
        Assert.False(s.ContainsKey("qhat1_3"));                              // q̂ exists for l = 0 … L − 1 only
        var net = Mlp.Sample(new Tanh(), new NetworkShape(3, 3, 0.64), 60, 2, SeedSequence.FromSeed(1));
        Assert.Equal(net.ParameterCount, s["P"]);
        Assert.Equal(net.ParameterCount, model.DimensionOf("fim", 60));
        Assert.Equal(16, model.DimensionOf("ntk", 60));
        Assert.Equal(60L * 60 + 60, model.DimensionOf("fim-block:2", 60));
    }

    [Fact]
    public void SoftmaxTrialSymbolsAreTheNetworksOwnQStatistics()
    {
        var model = MlpModel(softmax: true);
        var seed = SeedSequence.FromSeed(4).Child("claims-test");
        var trial = model.Sample(50, [new MatrixRead("fim", new Statistic(StatisticKind.Mean))], seed);
        var dual = FimSpectrumExperiment.Dual(new Tanh(), new NetworkShape(3, 3, 0.64), 50, 8, 2, seed);
        var (_, probabilities) = MlpDualGram.Softmax(dual.Fisher(), dual.Backward.Forward.Outputs, 2, 8);
        var q = SoftmaxQStatistics.Of(probabilities, 2);
        Assert.Equal(q.MeanTrace, trial.Symbols["meanTrQ"]);
        Assert.Equal(q.TraceOfMeanSquared, trial.Symbols["trQbar2"]);
        Assert.Equal(q.MeanQEigenvaluesDescending[0], trial.Symbols["qbarTop"]);     // C − 1 = 1 outlier
    }

    private static MlpClaimModel MlpModel(bool softmax)
    {
        var doc = new ClaimDocument("test.toml", "", new Dictionary<string, ClaimField>(), ClaimTable.Empty, []);
        var fields = new Dictionary<string, ClaimField>
        {
            ["activation"] = new("activation", "tanh", 1), ["depth"] = new("depth", 3L, 2), ["samples"] = new("samples", 8L, 3),
            ["outputs"] = new("outputs", 2L, 4), ["sigma_w2"] = new("sigma_w2", 3.0, 5), ["sigma_b2"] = new("sigma_b2", 0.64, 6),
        };
        return MlpClaimModel.Read(new ClaimFieldReader(doc, new ClaimTable(1, fields), "a test claim"), softmax);
    }
}

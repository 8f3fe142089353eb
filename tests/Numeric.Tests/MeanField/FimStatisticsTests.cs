using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.MeanField;

/// <summary>
/// The library entry point behind `fim-stats`: trials addressed by (seed, "fim-stats", k), statistics aggregated from
/// per-trial measurements taken by an independent call of the one-trial experiment, and shards that recombine exactly.
/// </summary>
public class FimStatisticsTests
{
    private static FimStatsParameters Parameters(FimVariant variant, int trials = 4) =>
        new(ActivationCatalog.Parse("tanh"), new NetworkShape(3, 3.0, 0.64), 40, 5, 2, variant, 11, trials);

    /// <summary>Every number of a result, in a fixed order, so two results compare exactly.</summary>
    private static IEnumerable<double> Numbers(FimStatsResult r) =>
        r.Metrics.SelectMany(m => new[] { m.Mean, m.SecondMoment, m.LambdaMax }
                .SelectMany(s => new[] { s.Predicted, s.Measured, s.StandardError })
                .Concat([m.Largest]).Concat(m.Top))
            .Concat(r.Claims.Select(c => c.Value)).Concat([r.CriticalLearningRate])
            .Concat(r.MeanSubtraction is { } b ? [b.Rho, b.LowerBound, b.LambdaMax, b.LambdaMaxStdErr, b.C2, b.C2StdErr, b.UpperBound] : []);

    [Theory]
    [InlineData(FimVariant.Regression)]
    [InlineData(FimVariant.Softmax)]
    [InlineData(FimVariant.Blocks)]
    [InlineData(FimVariant.MeanSubtracted)]
    public void ShardsRecombineIntoTheUnshardedResultExactly(FimVariant variant)
    {
        var prm = Parameters(variant, trials: 5);
        var whole = FimStatistics.Run(prm);
        var parts = new[] { new Shard(2, 3), new Shard(0, 3), new Shard(1, 3) }.SelectMany(s => FimStatistics.RunTrials(prm, s)).ToList();
        var merged = FimStatistics.Analyse(prm, parts, Shard.All);
        Assert.Equal(5, merged.TrialsRun);
        // Bitwise: NaN standard errors compare equal to themselves.
        Assert.Equal(Numbers(whole).Select(BitConverter.DoubleToInt64Bits), Numbers(merged).Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(whole.Claims.Select(c => (c.Trial, c.Holds)), merged.Claims.Select(c => (c.Trial, c.Holds)));
        // A shard alone really is partial.
        Assert.Equal([1L, 4L], FimStatistics.RunTrials(prm, new Shard(1, 3)).Select(t => t.Trial));
    }

    [Fact]
    public void APredictionStillBeingMadeGivesTheSameTrialsAndItsFailureComesFirst()
    {
        var prm = Parameters(FimVariant.MeanSubtracted, trials: 3);
        var prediction = FimStatistics.Predict(prm);
        var ready = FimStatistics.Analyse(prm, prediction, FimStatistics.RunTrials(prm, prediction, Shard.All), Shard.All);
        var late = Task.Run(async () => { await Task.Delay(50); return FimStatistics.Predict(prm); });
        var overlapped = FimStatistics.Analyse(prm, prediction, FimStatistics.RunTrials(prm, late, Shard.All), Shard.All);
        Assert.Equal(Numbers(ready).Select(BitConverter.DoubleToInt64Bits), Numbers(overlapped).Select(BitConverter.DoubleToInt64Bits));
        // A prediction that fails, or means nothing, stops the trials before any progress is reported.
        var progress = new Recorder();
        var failed = Task.FromException<Predictions>(new NumericalException("the recurrence explodes"));
        Assert.Equal("the recurrence explodes", Assert.Throws<NumericalException>(() => FimStatistics.RunTrials(prm, failed, Shard.All, progress)).Message);
        var zero = prm with { Activation = ActivationCatalog.Parse("expr:0") };
        Assert.Throws<NumericalException>(() => FimStatistics.RunTrials(zero, Task.FromResult(FimStatistics.Predict(zero)), Shard.All, progress));
        Assert.Empty(progress.Steps);
        // A trial that fails while the prediction is still being made: the prediction's failure is reported, not the trial's.
        var undefined = prm with { Activation = ActivationCatalog.Parse("expr:sqrt(x)") }; // NaN in the forward pass
        var failsLate = Task.Run<Predictions>(async () => { await Task.Delay(200); throw new NumericalException("the prediction failed late"); });
        Assert.Equal("the prediction failed late", Assert.Throws<NumericalException>(() => FimStatistics.RunTrials(undefined, failsLate, Shard.All, progress)).Message);
        Assert.Contains("forward pass", Assert.Throws<NumericalException>(() => FimStatistics.RunTrials(undefined, Task.Run(async () => { await Task.Delay(200); return prediction; }), Shard.All, progress)).Message);
        Assert.Empty(progress.Steps);
        FimStatistics.RunTrials(prm, late, new Shard(0, 3), progress);
        Assert.Equal([0L, 1L], progress.Steps.Select(s => s.Done));
    }

    private sealed class Recorder : IProgress<ProgressStep>
    {
        public List<ProgressStep> Steps { get; } = [];
        public void Report(ProgressStep step) => Steps.Add(step);
    }

    [Fact]
    public void AggregatesTheOneTrialExperimentOnAddressedSeeds()
    {
        var prm = Parameters(FimVariant.Regression);
        var r = FimStatistics.Run(prm);
        // Independently: each trial's spectrum from FimSpectrumExperiment on the addressed stream, aggregated by hand.
        var spectra = Enumerable.Range(0, prm.Trials).Select(k => FimSpectrumExperiment.Run(prm.Activation, prm.Shape, prm.Width, prm.Samples,
            prm.Outputs, FimVariant.Regression, TrialRunner.TrialSeed(prm.Seed, "fim-stats", k))[0]).ToList();
        var means = spectra.Select(s => s.Mean).ToArray();
        double mean = means.Average();
        double se = Math.Sqrt(means.Sum(x => (x - mean) * (x - mean)) / (means.Length - 1) / means.Length);
        var predicted = new Predictions(OrderParameters.Compute(GaussianKernels.For(prm.Activation), prm.Shape), prm.Width, prm.Samples, prm.Outputs).Regression();
        var metric = Assert.Single(r.Metrics);
        Assert.Null(metric.Block);
        Assert.Equal(mean, metric.Mean.Measured, 15);
        Assert.Equal(se, metric.Mean.StandardError, 15);
        Assert.Equal(predicted.Mean, metric.Mean.Predicted);
        Assert.Equal(metric.Mean.Measured / predicted.Mean, metric.Mean.Ratio);
        Assert.Equal(spectra.Average(s => s.TopMean(prm.Outputs)), metric.LambdaMax.Measured, 12);
        Assert.Equal(spectra.Average(s => s.LambdaMax), metric.Largest, 12);
        // The regression claim: λ_C/λ_(C+1) of each trial's own spectrum.
        Assert.Equal(prm.Trials, r.Claims.Count);
        for (int k = 0; k < prm.Trials; k++)
        {
            var ev = spectra[k].EigenvaluesDescending;
            Assert.Equal(ev[prm.Outputs - 1] / ev[prm.Outputs], r.Claims[k].Value, 12);
            Assert.Equal(r.Claims[k].Value > 2, r.Claims[k].Holds);
        }
    }

    [Fact]
    public void SoftmaxPredictionIsEachNetworksOwnQStatisticsThroughPredictionsSoftmax()
    {
        var prm = Parameters(FimVariant.Softmax, trials: 3) with { Outputs = 3 };
        var r = FimStatistics.Run(prm);
        var predictions = new Predictions(OrderParameters.Compute(GaussianKernels.For(prm.Activation), prm.Shape), prm.Width, prm.Samples, prm.Outputs);
        // Independently: each network's softmax probabilities from its forward pass, g_t = softmax(f_t), and Predictions.Softmax of their Q statistics.
        var expected = Enumerable.Range(0, prm.Trials).Select(k =>
        {
            var seed = TrialRunner.TrialSeed(prm.Seed, "fim-stats", k);
            var net = Mlp.Sample(prm.Activation, prm.Shape, prm.Width, prm.Outputs, seed);
            var f = net.Forward(net.SampleInputs(prm.Samples, seed), prm.Samples).Outputs;
            var g = new double[prm.Samples * prm.Outputs];
            for (int t = 0; t < prm.Samples; t++)
            {
                var row = Enumerable.Range(0, prm.Outputs).Select(i => f[t * prm.Outputs + i]).ToArray();
                double top = row.Max(), z = row.Sum(x => Math.Exp(x - top));
                for (int i = 0; i < prm.Outputs; i++) g[t * prm.Outputs + i] = Math.Exp(row[i] - top) / z;
            }
            return predictions.Softmax(SoftmaxQStatistics.Of(g, prm.Outputs));
        }).ToList();
        var metric = Assert.Single(r.Metrics);
        Assert.Equal(expected.Average(e => e.Mean), metric.Mean.Predicted, 12);
        Assert.Equal(expected.Average(e => e.SecondMoment), metric.SecondMoment.Predicted, 12);
        Assert.Equal(expected.Average(e => e.LambdaMax), metric.LambdaMax.Predicted, 12);
        Assert.True(double.IsFinite(metric.SecondMoment.Ratio));
    }

    [Fact]
    public void MeanSubtractionBoundsComeFromEachNetworksOwnSpectrum()
    {
        var prm = Parameters(FimVariant.MeanSubtracted, trials: 3);
        var r = FimStatistics.Run(prm);
        var bounds = new MeanSubtractionBounds(OrderParameters.Compute(GaussianKernels.For(prm.Activation), prm.Shape), prm.Width, prm.Samples, prm.Outputs);
        var spectra = Enumerable.Range(0, prm.Trials).Select(k => FimSpectrumExperiment.Run(prm.Activation, prm.Shape, prm.Width, prm.Samples,
            prm.Outputs, FimVariant.MeanSubtracted, TrialRunner.TrialSeed(prm.Seed, "fim-stats", k))[0]).ToList();
        var b = r.MeanSubtraction!;
        Assert.Equal(bounds.LowerBound, b.LowerBound);
        Assert.Equal((double)prm.Width / prm.Samples, b.Rho);
        Assert.Equal(spectra.Average(s => s.LambdaMax), b.LambdaMax, 12);
        Assert.Equal(b.LambdaMax - b.LowerBound, b.C1, 12);
        var c2 = spectra.Select(s => bounds.C2(s.EigenvaluesDescending.Sum(), s.EigenvaluesDescending.Sum(x => x * x))).ToArray();
        Assert.Equal(c2.Average(), b.C2, 12);
        Assert.Equal(bounds.UpperBound(c2.Average()), b.UpperBound, 12);
        // One lower-bound claim per trial, decided on λ_max(F̄) − ρα(κ₁ − κ₂), after the structural claims.
        var lower = r.Claims.Skip(prm.Trials).ToList();
        Assert.Equal(prm.Trials, lower.Count);
        for (int k = 0; k < prm.Trials; k++)
        {
            Assert.Equal(spectra[k].LambdaMax - bounds.LowerBound, lower[k].Value, 12);
            Assert.Equal(lower[k].Value >= 0, lower[k].Holds);
        }
        Assert.Null(FimStatistics.Run(Parameters(FimVariant.Regression, trials: 1)).MeanSubtraction);
        Assert.False(FimStatistics.LowerBoundClaim(0, -1e-12).Holds);
        Assert.True(FimStatistics.LowerBoundClaim(0, 0).Holds);
    }

    [Fact]
    public void OneTrialHasNoStandardErrorAndBlocksOneMetricPerLayer()
    {
        var one = FimStatistics.Run(Parameters(FimVariant.Regression, trials: 1));
        Assert.True(double.IsNaN(one.Metrics[0].Mean.StandardError));
        var blocks = FimStatistics.Run(Parameters(FimVariant.Blocks, trials: 2));
        Assert.Equal([1, 2, 3], blocks.Metrics.Select(m => m.Block!.Value));
        Assert.Empty(blocks.Claims);
    }

    [Fact]
    public void ClaimsAreDecidedAtTheirStatedThresholds()
    {
        Assert.False(FimStatistics.Claim(FimVariant.Regression, 0, 2.0).Holds);
        Assert.True(FimStatistics.Claim(FimVariant.Regression, 0, 2.0000001).Holds);
        Assert.False(FimStatistics.Claim(FimVariant.MeanSubtracted, 0, 0.5).Holds);
        Assert.True(FimStatistics.Claim(FimVariant.MeanSubtracted, 0, 0.4999).Holds);
        Assert.True(FimStatistics.Claim(FimVariant.Softmax, 0, 0.0).Holds);
        Assert.False(FimStatistics.Claim(FimVariant.Softmax, 0, 1e-300).Holds);
        Assert.Throws<ArgumentException>(() => FimStatistics.Claim(FimVariant.Ntk, 0, 1));
    }

    [Fact]
    public void InvalidParametersAreRejected()
    {
        var ok = Parameters(FimVariant.Regression);
        Assert.Throws<ArgumentException>(() => FimStatistics.Run(ok with { Shape = new NetworkShape(1, 1, 0) }));
        Assert.Throws<ArgumentException>(() => FimStatistics.Run(ok with { Samples = 5000, Outputs = 3 })); // C·T = 15000 > 10000
        Assert.Throws<ArgumentException>(() => FimStatistics.Analyse(ok, [], Shard.All));
    }
}

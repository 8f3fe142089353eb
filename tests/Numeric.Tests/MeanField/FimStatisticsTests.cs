using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Models;
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
            .Concat(r.Claims.Select(c => c.Value)).Concat([r.CriticalLearningRate]);

    [Theory]
    [InlineData(FimVariant.Regression)]
    [InlineData(FimVariant.Softmax)]
    [InlineData(FimVariant.Blocks)]
    public void ShardsRecombineIntoTheUnshardedResultExactly(FimVariant variant)
    {
        var prm = Parameters(variant, trials: 5);
        var whole = FimStatistics.Run(prm);
        var parts = new[] { new Shard(2, 3), new Shard(0, 3), new Shard(1, 3) }.SelectMany(s => FimStatistics.RunTrials(prm, s)).ToList();
        var merged = FimStatistics.Analyse(prm, parts, Shard.All);
        Assert.Equal(5, merged.TrialsRun);
        // Bitwise: NaN standard errors and predictions (softmax s_λ) compare equal to themselves.
        Assert.Equal(Numbers(whole).Select(BitConverter.DoubleToInt64Bits), Numbers(merged).Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(whole.Claims.Select(c => (c.Trial, c.Holds)), merged.Claims.Select(c => (c.Trial, c.Holds)));
        // A shard alone really is partial.
        Assert.Equal([1L, 4L], FimStatistics.RunTrials(prm, new Shard(1, 3)).Select(t => t.Trial));
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
        Assert.Throws<ArgumentException>(() => FimStatistics.Run(ok with { Samples = 2000, Outputs = 3 }));
        Assert.Throws<ArgumentException>(() => FimStatistics.Analyse(ok, [], Shard.All));
    }
}

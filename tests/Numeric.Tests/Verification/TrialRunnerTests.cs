using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.Verification;

public class TrialRunnerTests
{
    private static Theorem3Experiment Lemma2(int p = 40) => new(Theorem3Parameters.WithDefaultSlack(3, p, 0.2,
        Lemma2Constant.Derived(3, 2.0, "test value", "‖W_l‖²")) with { WithJ = false });

    private static double[][] Measurements(TrialLog log) => log.Outcomes.Values.Select(o => o.Measurements).ToArray();

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        var one = TrialRunner.Run(Lemma2(), 7, 24, Shard.All, maxDegreeOfParallelism: 1);
        var two = TrialRunner.Run(Lemma2(), 7, 24, Shard.All, maxDegreeOfParallelism: 2);
        Assert.Equal(Measurements(one), Measurements(two));
    }

    [Fact]
    public void ShardsMergeToTheFullRunAndTrialsDoNotDependOnOtherTrials()
    {
        var full = TrialRunner.Run(Lemma2(), 11, 30);
        var merged = Enumerable.Range(0, 3).Select(i => TrialRunner.Run(Lemma2(), 11, 30, new Shard(i, 3)))
            .Aggregate((a, b) => a.Merge(b));
        Assert.Equal(Measurements(full), Measurements(merged));
        Assert.Equal(full.Verdicts(1e-6).Select(v => v.Failures), merged.Verdicts(1e-6).Select(v => v.Failures));
        // Trial 5 of a 10-trial run is trial 5 of the 30-trial run.
        var shorter = TrialRunner.Run(Lemma2(), 11, 10);
        Assert.Equal(full.Outcomes[5].Measurements, shorter.Outcomes[5].Measurements);
        Assert.Throws<ArgumentException>(() => full.Merge(shorter));
    }

    [Fact]
    public void TrialSeedsAreAddressedByExperimentAndIndex()
    {
        var a = TrialRunner.TrialSeed(1, "theorem3", 4);
        Assert.Equal(SeedSequence.FromSeed(1).Child("theorem3").Child(4), a);
        Assert.NotEqual(a, TrialRunner.TrialSeed(1, "theorem3", 5));
        Assert.NotEqual(a, TrialRunner.TrialSeed(1, "other", 4));
    }

    [Fact]
    public void ALemma2OnlyTrialMeasuresOnlyWhatItEvaluates()
    {
        var log = TrialRunner.Run(Lemma2(), 3, 4);
        Assert.Equal(["dev.norm.v0", "dev.norm.W", "xi.norm.pair", "xi.norm.diag", "dev.orthogonality", "xi.dots.diag", "trace"], log.MeasurementNames);
        Assert.All(log.Outcomes.Values, o => Assert.Equal(log.MeasurementNames.Count, o.Measurements.Length));
        Assert.All(log.Outcomes.Values, o => Assert.True(o.Measurements[^1] > 0));          // tr J = ‖W‖²/2 was measured
        Assert.Equal(Lemma2().Claims.Count, log.Outcomes[0].Failed.Length);
    }
}

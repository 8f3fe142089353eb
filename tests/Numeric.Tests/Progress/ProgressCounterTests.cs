using System.Collections.Concurrent;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Spectra;
using FimVerify.Numeric.Verification;
using FimVerify.Numeric.ShallowRelu;
using Xunit;

namespace FimVerify.Numeric.Tests.Progress;

/// <summary>
/// Progress only counts: reports arrive in order from parallel loops, reach the stage's total exactly once, and running
/// with a sink gives bit for bit the results of running without one, on one thread or many.
/// </summary>
public class ProgressCounterTests
{
    private sealed class Recorder : IProgress<ProgressStep>
    {
        public ConcurrentQueue<ProgressStep> Steps { get; } = new();
        public void Report(ProgressStep step) => Steps.Enqueue(step);
    }

    [Fact]
    public void ParallelAdvancesAreReportedOnceEachInIncreasingOrder()
    {
        var sink = new Recorder();
        var counter = new ProgressCounter(sink, "work", 1000);
        Parallel.For(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => counter.Advance());
        counter.Advance();   // beyond the total: nothing more
        counter.Complete();  // already complete: nothing more
        Assert.Equal(Enumerable.Range(0, 1001).Select(k => (long)k), sink.Steps.Select(s => s.Done));
        Assert.All(sink.Steps, s => Assert.Equal(("work", 1000L), (s.Stage, s.Total)));

        var early = new Recorder();
        var stopped = new ProgressCounter(early, "loop that ends early", 10);
        stopped.Advance(3);
        stopped.Complete();
        Assert.Equal([0L, 3L, 10L], early.Steps.Select(s => s.Done));
        new ProgressCounter(null, "nobody watches", 5).Advance(); // no sink: a no-op
    }

    [Fact]
    public void TrialsWithProgressAreTheTrialsWithoutOnAnyThreadCount()
    {
        var experiment = new Theorem3Experiment(Theorem3Parameters.WithDefaultSlack(3, 40, 0.5, Theorem3Verification.ConstantFor(3)));
        var shard = new Shard(1, 3);
        var plain = TrialRunner.Run(experiment, 9, 10, shard);
        var sink = new Recorder();
        var watched = TrialRunner.Run(experiment, 9, 10, shard, maxDegreeOfParallelism: 1, progress: sink, stage: "trials");
        Assert.Equal(plain.Outcomes.Keys, watched.Outcomes.Keys);
        foreach (var (k, o) in plain.Outcomes)
        {
            Assert.Equal(o.Failed, watched.Outcomes[k].Failed);
            Assert.Equal(o.Measurements.Select(BitConverter.DoubleToInt64Bits), watched.Outcomes[k].Measurements.Select(BitConverter.DoubleToInt64Bits));
        }
        // Shard 1/3 of 10 trials holds 1, 4, 7: a stage of 3 steps.
        Assert.Equal([0L, 1L, 2L, 3L], sink.Steps.Select(s => s.Done));
        Assert.All(sink.Steps, s => Assert.Equal(("trials", 3L), (s.Stage, s.Total)));
        Assert.Equal(3, shard.CountOf(10));
        Assert.Equal(0, new Shard(5, 6).CountOf(5));
    }

    [Fact]
    public void SlqWithProgressCountsEveryLockstepStepAndGivesTheSameRules()
    {
        // diag(1, 2, 3) repeated: a start vector's Krylov space has dimension 3, so every sequence stops at an invariant
        // subspace long before the 12 steps asked, and the counter must still reach the total.
        int n = 30;
        var m = new SymmetricMatrix(n);
        for (int i = 0; i < n; i++) m[i, i] = 1 + i % 3;
        var op = new DenseOperator(m);
        var settings = new SlqSettings(5, 12);
        var plain = StochasticLanczosQuadrature.Run(op, settings, SeedSequence.FromSeed(3));
        var sink = new Recorder();
        var counter = new ProgressCounter(sink, "slq", StochasticLanczosQuadrature.LockstepSteps(op, settings));
        var watched = StochasticLanczosQuadrature.Run(op, settings, SeedSequence.FromSeed(3), counter);
        Assert.Equal(12, counter.Total);
        Assert.Equal(12L, sink.Steps.Last().Done);
        Assert.True(sink.Steps.Count < 13, "the early stop is reported as one jump to the total");
        for (int k = 0; k < settings.Probes; k++)
        {
            Assert.Equal(plain.Rules[k].Nodes, watched.Rules[k].Nodes);
            Assert.Equal(plain.Rules[k].Weights, watched.Rules[k].Weights);
        }
    }
}

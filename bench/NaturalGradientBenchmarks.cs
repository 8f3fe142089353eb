using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.NaturalGradient;
using FimVerify.Numeric.Random;

namespace FimVerify.Bench;

/// <summary>
/// Seed 002's approximate natural gradient on one ReLU network (L = 3, C = 1, N = 10): the function-space kernel Θ̄ and
/// the step direction G⁺∇L per metric, all through N×N Grams. Unit-wise is the heavy one: one N×N pseudo-inverse per
/// hidden unit.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class NaturalGradientBenchmarks
{
    private ApproximateNaturalGradient _ngd = null!;
    private double[] _residual = null!;
    private const int N = 10;

    [Params(1600)]
    public int M { get; set; }

    [Params(NaturalGradientMetric.Exact, NaturalGradientMetric.Kfac, NaturalGradientMetric.UnitWise)]
    public NaturalGradientMetric Metric { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var seed = SeedSequence.FromSeed(1);
        var net = Mlp.Sample(new Relu(), [M, M, M, 1], 2, 0.1, seed);
        var fwd = net.Forward(net.SampleInputs(N, seed), N);
        _ngd = new ApproximateNaturalGradient(new MlpDualGram(new MlpBackward(fwd)));
        _residual = fwd.Outputs;
    }

    [Benchmark]
    public double Kernel() => _ngd.Kernel(Metric).Trace();

    [Benchmark]
    public double Direction() => _ngd.Direction(Metric, _residual).dW[0][0];
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using FimVerify.Numeric.Data;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Spectra;

namespace FimVerify.Bench;

/// <summary>
/// Fisher-vector products of a 784-128-10 ReLU classifier (P = 101,770) on 1000 Fashion-MNIST images: 20 one at a
/// time, and 20 at once through ApplyBlock (the SLQ lockstep), both reported per product (OperationsPerInvoke = 20),
/// full and layer-wise; and one whole SLQ density of 20 probes × 100 Lanczos steps (issue 6's target: ≤ 20 s).
/// Fisher-vector products per second = 1 / (reported mean). Needs Debian's dataset-fashion-mnist package.
/// Run with: dotnet run -c Release --project bench -- --filter '*DensityBenchmarks*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class DensityBenchmarks
{
    private const int Block = 20;
    private ClassifierFisher _full = null!, _layerWise = null!;
    private double[] _v = null!, _fv = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (!FashionMnist.IsInstalled()) throw new InvalidOperationException(FashionMnist.InstallHint);
        var data = FashionMnist.Load(1000);
        var model = SoftmaxClassifier.Initialize([784, 128, 10], HiddenActivation.Relu, SeedSequence.FromSeed(1));
        _full = ClassifierFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, FisherBlocks.Full, 1, SeedSequence.FromSeed(2));
        _layerWise = ClassifierFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, FisherBlocks.LayerWise, 1, SeedSequence.FromSeed(2));
        _v = new double[Block * _full.Dimension];
        SeedSequence.FromSeed(3).CreateSampler().FillGaussian(_v);
        _fv = new double[_v.Length];
    }

    [Benchmark(OperationsPerInvoke = Block)] public void FisherVectorProduct() => OneByOne(_full);

    [Benchmark(OperationsPerInvoke = Block)] public void FisherVectorProductIn20Block() => _full.ApplyBlock(_v, _fv, Block);

    [Benchmark(OperationsPerInvoke = Block)] public void LayerWiseFisherVectorProduct() => OneByOne(_layerWise);

    [Benchmark(OperationsPerInvoke = Block)] public void LayerWiseFisherVectorProductIn20Block() => _layerWise.ApplyBlock(_v, _fv, Block);

    private void OneByOne(ClassifierFisher op)
    {
        int p = op.Dimension;
        for (int k = 0; k < Block; k++) op.Apply(_v.AsSpan(k * p, p), _fv.AsSpan(k * p, p));
    }

    [Benchmark, IterationCount(3), WarmupCount(0)]
    public double SlqDensity20x100()
    {
        var slq = StochasticLanczosQuadrature.Run(_full, new SlqSettings(20, 100), SeedSequence.FromSeed(4));
        return slq.Density(0.05, DensityGrid.Covering(slq.Rules, 0.05, 1000)).Values[0];
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using FimVerify.Numeric.Data;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Spectra;

namespace FimVerify.Bench;

/// <summary>
/// Fisher-vector products of a 784-128-10 ReLU classifier (P = 101,770) on 1000 Fashion-MNIST images, full and
/// layer-wise, and one SLQ density of 20 probes × 100 Lanczos steps (target ≤ 20 s). Needs Debian's
/// dataset-fashion-mnist package. Products per second = 1 / (mean time of FisherVectorProduct).
/// Run with: dotnet run -c Release --project bench -- --filter '*DensityBenchmarks*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class DensityBenchmarks
{
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
        _v = ProbeVectors.Draw(ProbeDistribution.Gaussian, _full.Dimension, SeedSequence.FromSeed(3), 0);
        _fv = new double[_v.Length];
    }

    [Benchmark] public void FisherVectorProduct() => _full.Apply(_v, _fv);

    [Benchmark] public void LayerWiseFisherVectorProduct() => _layerWise.Apply(_v, _fv);

    [Benchmark, IterationCount(1), WarmupCount(0)]
    public double SlqDensity20x100()
    {
        var slq = StochasticLanczosQuadrature.Run(_full, new SlqSettings(20, 100), SeedSequence.FromSeed(4));
        return slq.Density(0.05, DensityGrid.Covering(slq.Rules, 0.05, 1000)).Values[0];
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using FimVerify.Numeric.Data;
using FimVerify.Numeric.Classifiers.Convolutional;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Spectra;

namespace FimVerify.Bench;

/// <summary>
/// Fisher-vector products of the default CNN (<see cref="ConvolutionalArchitecture.DefaultText"/>, P = 108,378) on 1000
/// Fashion-MNIST images, 20 one at a time and 20 at once through ApplyBlock (the SLQ lockstep), both reported per product
/// (OperationsPerInvoke = 20) with a GFLOP/s column; and one whole SLQ density of 20 probes × 100 Lanczos steps.
/// FLOPs of one product: the GEMM work 2·N·(2·MA_0 + 4·Σ_{l>0} MA_l) of <see cref="ConvolutionalNetworkShape.FisherProductFlops"/>,
/// 1.236 GFLOP; the constant in [Flops] is checked against it in the setup. Targets: at least 30% of the 112.6 GFLOP/s fp64
/// FMA peak of this 2-core machine (<see cref="GemmBenchmarks.PeakFmaAllThreads"/>), i.e. ≤ 36.6 ms per product, for the
/// block product that SLQ runs; the 20 × 100 density within 30 s. Needs Debian's dataset-fashion-mnist package.
/// Run with: dotnet run -c Release --project bench -- --filter '*ConvolutionalDensityBenchmarks*'
/// </summary>
[Config(typeof(FlopRateConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class ConvolutionalDensityBenchmarks
{
    private const int Block = 20, Samples = 1000;
    private const double ProductFlops = 1_236_288_000;
    private ClassifierFisher _full = null!;
    private double[] _v = null!, _fv = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (!FashionMnist.IsInstalled()) throw new InvalidOperationException(FashionMnist.InstallHint);
        var data = FashionMnist.Load(Samples);
        var shape = ConvolutionalArchitecture.Default.Resolve(data.Image!.Value, data.Classes);
        if (shape.FisherProductFlops(Samples) != ProductFlops)
            throw new InvalidOperationException($"the default CNN's product takes {shape.FisherProductFlops(Samples)} flops, not the {ProductFlops} of [Flops]: update the constant");
        var model = ConvolutionalClassifier.Initialize(shape, SeedSequence.FromSeed(1));
        _full = ClassifierFisher.Create(model, data.Features, data.Labels, FisherKind.Exact, FisherBlocks.Full, 1, SeedSequence.FromSeed(2));
        _v = new double[Block * _full.Dimension];
        SeedSequence.FromSeed(3).CreateSampler().FillGaussian(_v);
        _fv = new double[_v.Length];
    }

    [Benchmark(OperationsPerInvoke = Block), Flops(ProductFlops)]
    public void FisherVectorProduct()
    {
        int p = _full.Dimension;
        for (int k = 0; k < Block; k++) _full.Apply(_v.AsSpan(k * p, p), _fv.AsSpan(k * p, p));
    }

    [Benchmark(OperationsPerInvoke = Block), Flops(ProductFlops)]
    public void FisherVectorProductIn20Block() => _full.ApplyBlock(_v, _fv, Block);

    [Benchmark, IterationCount(3), WarmupCount(0)]
    public double SlqDensity20x100()
    {
        var slq = StochasticLanczosQuadrature.Run(_full, new SlqSettings(20, 100), SeedSequence.FromSeed(4));
        return slq.Density(0.05, DensityGrid.Covering(slq.Rules, 0.05, 1000)).Values[0];
    }
}

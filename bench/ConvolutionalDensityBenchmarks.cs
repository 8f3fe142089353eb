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
/// (OperationsPerInvoke = 20) with a GFLOP/s column, through the head Jacobian (what the operator uses) and matrix-free
/// (the path it replaces, for comparison); forming the head Jacobian (the forward pass and the backward pass of the 10 unit
/// cotangents, once per operator); and one whole SLQ density of 20 probes × 100 Lanczos steps.
/// FLOPs of one product (<see cref="ConvolutionalNetworkShape.FisherProductFlops"/>): through the head Jacobian
/// 2·N·(2·C·P_head + 2·MA_H + 4·Σ_{l>H} MA_l) = 0.464 GFLOP, matrix-free 2·N·(2·MA_0 + 4·Σ_{l>0} MA_l) = 1.236 GFLOP; the
/// constants in [Flops] are checked against them in the setup. Targets: at least 30% of the 112.6 GFLOP/s fp64 FMA peak of
/// this 2-core machine (<see cref="GemmBenchmarks.PeakFmaAllThreads"/>) for the block product that SLQ runs, i.e. ≤ 13.7 ms
/// per product through the head Jacobian; the 20 × 100 density within 30 s. Needs Debian's dataset-fashion-mnist package.
/// Run with: dotnet run -c Release --project bench -- --filter '*ConvolutionalDensityBenchmarks*'
/// </summary>
[Config(typeof(FlopRateConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class ConvolutionalDensityBenchmarks
{
    private const int Block = 20, Samples = 1000;
    private const double ProductFlops = 464_000_000, MatrixFreeProductFlops = 1_236_288_000;
    private ClassifierFisher _full = null!, _matrixFree = null!;
    private ConvolutionalClassifier _model = null!;
    private ClassificationSet _data = null!;
    private double[] _v = null!, _fv = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (!FashionMnist.IsInstalled()) throw new InvalidOperationException(FashionMnist.InstallHint);
        _data = FashionMnist.Load(Samples);
        var shape = ConvolutionalArchitecture.Default.Resolve(_data.Image!.Value, _data.Classes);
        if (shape.FisherProductFlops(Samples) != ProductFlops || shape.MatrixFreeProductFlops(Samples) != MatrixFreeProductFlops)
            throw new InvalidOperationException($"the default CNN's product takes {shape.FisherProductFlops(Samples)} flops ({shape.MatrixFreeProductFlops(Samples)} matrix-free), "
                + $"not the {ProductFlops} ({MatrixFreeProductFlops}) of [Flops]: update the constants");
        _model = ConvolutionalClassifier.Initialize(shape, SeedSequence.FromSeed(1));
        _full = Fisher(_model);
        _matrixFree = Fisher(new ConvolutionalClassifier(shape.WithHeadJacobian(false), _model.Parameters));
        _v = new double[Block * _full.Dimension];
        SeedSequence.FromSeed(3).CreateSampler().FillGaussian(_v);
        _fv = new double[_v.Length];
    }

    private ClassifierFisher Fisher(ConvolutionalClassifier model) =>
        ClassifierFisher.Create(model, _data.Features, _data.Labels, FisherKind.Exact, FisherBlocks.Full, 1, SeedSequence.FromSeed(2));

    [Benchmark(OperationsPerInvoke = Block), Flops(ProductFlops)]
    public void FisherVectorProduct()
    {
        int p = _full.Dimension;
        for (int k = 0; k < Block; k++) _full.Apply(_v.AsSpan(k * p, p), _fv.AsSpan(k * p, p));
    }

    [Benchmark(OperationsPerInvoke = Block), Flops(ProductFlops)]
    public void FisherVectorProductIn20Block() => _full.ApplyBlock(_v, _fv, Block);

    [Benchmark(OperationsPerInvoke = Block), Flops(MatrixFreeProductFlops)]
    public void MatrixFreeProductIn20Block() => _matrixFree.ApplyBlock(_v, _fv, Block);

    /// <summary>The operator's set-up: the forward pass, then the head Jacobian (0.33 + 4.03 GFLOP by the shape's counts).</summary>
    [Benchmark, IterationCount(5)]
    public int ForwardAndHeadJacobian() => Fisher(_model).Dimension;

    [Benchmark, IterationCount(3), WarmupCount(0)]
    public double SlqDensity20x100()
    {
        var slq = StochasticLanczosQuadrature.Run(_full, new SlqSettings(20, 100), SeedSequence.FromSeed(4));
        return slq.Density(0.05, DensityGrid.Covering(slq.Rules, 0.05, 1000)).Values[0];
    }
}

using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;

namespace FimVerify.Bench;

/// <summary>Matrix-free J·u at d = 5 (p = 10⁵: aim &lt; 10 s).</summary>
public class OperatorBenchmarks
{
    private ReluKernelOperator _op = null!;
    private double[] _u = null!, _y = null!;

    [Params(4000, 100_000)]
    public int P { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var net = ShallowReluNetwork.Sample(5, P, SeedSequence.FromSeed(1));
        _op = new ReluKernelOperator(net);
        _u = new double[P]; _y = new double[P];
        SeedSequence.FromSeed(2).CreateSampler().FillGaussian(_u);
    }

    [Benchmark] public void ApplyJ() => _op.Apply(_u, _y);

}

/// <summary>
/// J⁽ⁿ⁾ = XᵀX/n at d = 5, n = 20000, p = 4000, end to end (sampling, GEMM, ReLU, SYRK), with a GFLOP/s column: n·p² SYRK flops
/// plus 2·n·d·p for X = ReLU(x W). Target: ≥ 60% of GemmBenchmarks.PeakFmaAllThreads.
/// </summary>
[Config(typeof(FlopRateConfig))]
public class EmpiricalFisherBenchmarks
{
    private ShallowReluNetwork _net = null!;

    [GlobalSetup]
    public void Setup() => _net = ShallowReluNetwork.Sample(5, 4000, SeedSequence.FromSeed(1));

    [Benchmark, Flops(20000.0 * 4000 * 4000 + 2.0 * 20000 * 5 * 4000)] public double EmpiricalFisherN20000P4000() => EmpiricalFisher.Compute(_net, 20000, SeedSequence.FromSeed(3)).Data[1];
}

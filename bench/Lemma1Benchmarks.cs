using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Random;

namespace FimVerify.Bench;

/// <summary>J by Lemma 1 (target at d = 5, p = 4000: ≤ 0.1 s) and the κ kernel alone, SIMD vs scalar.</summary>
public class Lemma1Benchmarks
{
    private ShallowReluNetwork _net = null!;
    private double[] _t = null!, _out = null!;

    [Params(1000, 4000)]
    public int P { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _net = ShallowReluNetwork.Sample(5, P, SeedSequence.FromSeed(1));
        var rng = SeedSequence.FromSeed(2).CreateSampler();
        _t = new double[P * 16];
        for (int k = 0; k < _t.Length; k++) _t[k] = 2 * rng.NextUniform() - 1;
        _out = new double[_t.Length];
    }

    [Benchmark] public double FisherByLemma1() => _net.FisherByLemma1().Data[1];
    [Benchmark] public void KappaSimd() => ReluKernel.Kappa(_t, _out);
    [Benchmark] public void KappaScalar() => ReluKernel.KappaScalar(_t, _out);
}

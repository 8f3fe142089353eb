using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Random;

namespace FimVerify.Bench;

/// <summary>
/// The dual-Gram spectrum of issue 5: tanh, L = 3, C = 10, T = 100, M = 2000 (target ≤ 0.35 s; a plain numpy
/// version takes 0.7 s). The full pipeline — forward pass, backward signals for all CT rows, the layer-wise
/// dual (Δ Δᵀ) ∘ (H Hᵀ + 1) and all CT eigenvalues — plus its GEMM-dominated part alone.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class MeanFieldBenchmarks
{
    private Mlp _net = null!;
    private double[] _x = null!;
    private const int T = 100, C = 10;

    [Params(2000)]
    public int M { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var seed = SeedSequence.FromSeed(1);
        _net = Mlp.Sample(new Tanh(), new NetworkShape(3, 3, 0.64), M, C, seed);
        _x = _net.SampleInputs(T, seed);
    }

    [Benchmark]
    public double DualGramSpectrum()
    {
        var dual = new MlpDualGram(new MlpBackward(_net.Forward(_x, T)));
        return MeasuredSpectrum.Of(dual.Fisher(), _net.ParameterCount).LambdaMax;
    }

    [Benchmark]
    public double DualGramWithoutEigenvalues() => new MlpDualGram(new MlpBackward(_net.Forward(_x, T))).Fisher().Data[1];
}

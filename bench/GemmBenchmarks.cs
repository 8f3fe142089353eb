using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;

namespace FimVerify.Bench;

/// <summary>
/// The machine's fp64 peak (a tight loop of independent 512-bit FMAs: 12 chains × 8 lanes × 2 flops per step) against
/// GEMM and SYRK. GFLOP/s = flops / mean time, with flops: PeakFma 192·Steps per thread; Gemm 2N³; Syrk (J⁽ⁿ⁾ shape) n·p².
/// </summary>
public class GemmBenchmarks
{
    public const long Steps = 20_000_000;
    private double[] _a = null!, _b = null!, _c = null!, _x = null!, _g = null!;
    private const int N = 2000, Samples = 20000, Width = 4000;

    [GlobalSetup]
    public void Setup()
    {
        var rng = SeedSequence.FromSeed(1).CreateSampler();
        _a = new double[N * N]; _b = new double[N * N]; _c = new double[N * N];
        rng.FillGaussian(_a); rng.FillGaussian(_b);
        _x = new double[Samples * Width]; _g = new double[Width * Width];
        rng.FillGaussian(_x);
    }

    private static double FmaLoop(long steps)
    {
        var a = Vector512.Create(1.0000001); var b = Vector512.Create(0.9999999);
        Vector512<double> c0 = Vector512.Create(0.1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < steps; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(a, c0, b); c1 = Vector512.FusedMultiplyAdd(a, c1, b); c2 = Vector512.FusedMultiplyAdd(a, c2, b);
            c3 = Vector512.FusedMultiplyAdd(a, c3, b); c4 = Vector512.FusedMultiplyAdd(a, c4, b); c5 = Vector512.FusedMultiplyAdd(a, c5, b);
            c6 = Vector512.FusedMultiplyAdd(a, c6, b); c7 = Vector512.FusedMultiplyAdd(a, c7, b); c8 = Vector512.FusedMultiplyAdd(a, c8, b);
            c9 = Vector512.FusedMultiplyAdd(a, c9, b); c10 = Vector512.FusedMultiplyAdd(a, c10, b); c11 = Vector512.FusedMultiplyAdd(a, c11, b);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    /// <summary>One core's peak: 192·Steps flops.</summary>
    [Benchmark] public double PeakFmaOneThread() => FmaLoop(Steps);

    /// <summary>All cores: 192·Steps·ProcessorCount flops.</summary>
    [Benchmark]
    public double PeakFmaAllThreads()
    {
        var sums = new double[Environment.ProcessorCount];
        Parallel.For(0, sums.Length, t => sums[t] = FmaLoop(Steps));
        return sums.Sum();
    }

    /// <summary>C = AB, N = 2000: 2N³ = 1.6e10 flops.</summary>
    [Benchmark] public void Gemm2000() => Gemm.Multiply(Op.None, Op.None, N, N, N, 1, _a, N, _b, N, 0, _c, N);

    /// <summary>J⁽ⁿ⁾ = XᵀX/n for n = 20000, p = 4000 (upper triangle): n·p² = 3.2e11 flops.</summary>
    [Benchmark] public void SyrkEmpiricalFisherShape() => Syrk.Multiply(Op.Transpose, Width, Samples, 1.0 / Samples, _x, Width, 0, _g, Width);
}

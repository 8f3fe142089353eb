using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;

namespace FimVerify.Bench;

/// <summary>
/// The machine's fp64 peak against GEMM and SYRK, each with a GFLOP/s column (flops / mean time): PeakFma is a tight loop of
/// independent 512-bit FMAs (12 chains × 8 lanes × 2 flops per step, the hardware's rate); GemmCacheResident is our GEMM
/// micro-kernel on operands that stay in cache (the best our kernel does); Gemm2000 is 2N³; SyrkEmpiricalFisherShape is the
/// J⁽ⁿ⁾ = XᵀX/n product at n = 20000, p = 4000 (n·p² flops, as OpenBLAS's dsyrk counts them). J⁽ⁿ⁾ end to end is
/// <see cref="EmpiricalFisherBenchmarks"/>. Fraction of peak = GFLOP/s of the product / GFLOP/s of PeakFmaAllThreads.
/// </summary>
[Config(typeof(FlopRateConfig))]
public class GemmBenchmarks
{
    public const long Steps = 20_000_000;
    private double[] _a = null!, _b = null!, _c = null!, _x = null!, _g = null!;
    private const int N = 2000, Samples = 20000, Width = 4000;
    // Cache-resident GEMM: A 192×256 (384 KiB, L2), B 256×96 (192 KiB), repeated; per thread.
    private const int CacheM = 192, CacheK = 256, CacheN = 96, CacheRepeats = 200;
    private double[][] _cacheA = null!, _cacheB = null!, _cacheC = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = SeedSequence.FromSeed(1).CreateSampler();
        _a = new double[N * N]; _b = new double[N * N]; _c = new double[N * N];
        rng.FillGaussian(_a); rng.FillGaussian(_b);
        _x = new double[Samples * Width]; _g = new double[Width * Width];
        rng.FillGaussian(_x);
        int threads = Environment.ProcessorCount;
        _cacheA = new double[threads][]; _cacheB = new double[threads][]; _cacheC = new double[threads][];
        for (int t = 0; t < threads; t++)
        {
            _cacheA[t] = new double[CacheM * CacheK]; _cacheB[t] = new double[CacheK * CacheN]; _cacheC[t] = new double[CacheM * CacheN];
            rng.FillGaussian(_cacheA[t]); rng.FillGaussian(_cacheB[t]);
        }
    }

    private void CacheResident(int t)
    {
        for (int r = 0; r < CacheRepeats; r++)
            Gemm.Multiply(Op.None, Op.None, CacheM, CacheN, CacheK, 1, _cacheA[t], CacheK, _cacheB[t], CacheN, 0, _cacheC[t], CacheN, maxDegreeOfParallelism: 1);
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
    [Benchmark, Flops(192.0 * Steps)] public double PeakFmaOneThread() => FmaLoop(Steps);

    /// <summary>All cores: 192·Steps·ProcessorCount flops.</summary>
    [Benchmark, Flops(192.0 * Steps, PerThread = true)]
    public double PeakFmaAllThreads()
    {
        var sums = new double[Environment.ProcessorCount];
        Parallel.For(0, sums.Length, t => sums[t] = FmaLoop(Steps));
        return sums.Sum();
    }

    /// <summary>Our micro-kernel with its operands in cache, one thread: 2·192·96·256 flops per product.</summary>
    [Benchmark, Flops(2.0 * CacheM * CacheN * CacheK * CacheRepeats)] public void GemmCacheResidentOneThread() => CacheResident(0);

    /// <summary>The same on every core at once (one private problem per thread).</summary>
    [Benchmark, Flops(2.0 * CacheM * CacheN * CacheK * CacheRepeats, PerThread = true)]
    public void GemmCacheResidentAllThreads() => Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, CacheResident);

    /// <summary>C = AB, N = 2000: 2N³ = 1.6e10 flops.</summary>
    [Benchmark, Flops(2.0 * N * N * N)] public void Gemm2000() => Gemm.Multiply(Op.None, Op.None, N, N, N, 1, _a, N, _b, N, 0, _c, N);

    /// <summary>J⁽ⁿ⁾ = XᵀX/n for n = 20000, p = 4000 (upper triangle): n·p² = 3.2e11 flops.</summary>
    [Benchmark, Flops((double)Samples * Width * Width)] public void SyrkEmpiricalFisherShape() => Syrk.Multiply(Op.Transpose, Width, Samples, 1.0 / Samples, _x, Width, 0, _g, Width);
}

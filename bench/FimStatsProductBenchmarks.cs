using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;

namespace FimVerify.Bench;

/// <summary>
/// The three products of a `fim-stats` trial (T = 100 samples, C = 10 outputs, hidden width M = 4000), with a GFLOP/s column to set
/// against <see cref="GemmBenchmarks.PeakFmaAllThreads"/>: the backward pass Δ_(l+1) W^(l+1) (CT × M times M × M, 2·CT·M² flops: 32 of
/// the trial's 46 GFLOP), a forward layer H W^T (T × M times (M × M)^T, 2·T·M²; two per trial) and the Gram Δ_l Δ_lᵀ by SYRK
/// ((CT)²·M, counted as OpenBLAS's dsyrk counts them; two per trial). BackwardProductOneThread is one core's rate; the all-thread
/// products show how much the second core adds (the row blocks of one height, a multiple of the threads, are what balance them).
/// </summary>
[Config(typeof(FlopRateConfig))]
public class FimStatsProductBenchmarks
{
    private const int T = 100, C = 10, M = 4000, Rows = C * T;
    private double[] _delta = null!, _w = null!, _h = null!, _deltaOut = null!, _u = null!, _gram = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = SeedSequence.FromSeed(15).CreateSampler();
        _delta = new double[Rows * M]; _w = new double[M * M]; _h = new double[T * M];
        rng.FillGaussian(_delta); rng.FillGaussian(_w); rng.FillGaussian(_h);
        _deltaOut = new double[Rows * M]; _u = new double[T * M]; _gram = new double[Rows * Rows];
    }

    [Benchmark, Flops(2.0 * Rows * M * M)]
    public void BackwardProduct() => Gemm.Multiply(Op.None, Op.None, Rows, M, M, 1, _delta, M, _w, M, 0, _deltaOut, M);

    [Benchmark, Flops(2.0 * Rows * M * M)]
    public void BackwardProductOneThread() => Gemm.Multiply(Op.None, Op.None, Rows, M, M, 1, _delta, M, _w, M, 0, _deltaOut, M, maxDegreeOfParallelism: 1);

    [Benchmark, Flops(2.0 * T * M * M)]
    public void ForwardProduct() => Gemm.Multiply(Op.None, Op.Transpose, T, M, M, 1, _h, M, _w, M, 0, _u, M);

    [Benchmark, Flops((double)Rows * Rows * M)]
    public void DeltaGram() => Syrk.Multiply(Op.None, Rows, M, 1, _delta, M, 0, _gram, Rows);
}

using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;

namespace FimVerify.Bench;

/// <summary>
/// Spectrum of J at d = 5, p = 4000: top-20 by matrix-free Lanczos (target ≤ 0.5 s; the block method shares each pass over the
/// κ tiles among 24 vectors), full spectrum by LAPACK (≤ 2.5 s).
/// </summary>
public class EigenBenchmarks
{
    private ShallowReluNetwork _net = null!;
    private ReluKernelOperator _op = null!;
    private SymmetricMatrix _j = null!;
    private double[] _block = null!, _images = null!;

    [GlobalSetup]
    public void Setup()
    {
        _net = ShallowReluNetwork.Sample(5, 4000, SeedSequence.FromSeed(1));
        _op = new ReluKernelOperator(_net);
        _j = _net.FisherByLemma1();
        _block = new double[24 * 4000]; _images = new double[24 * 4000];
        SeedSequence.FromSeed(3).CreateSampler().FillGaussian(_block);
        Console.WriteLine($"// dense backend: {DenseSymmetricEigen.Backend}");
    }

    [Benchmark] public double BlockLanczosTop20MatrixFree() => BlockLanczosSolver.TopEigenvalues(_op, 20, SeedSequence.FromSeed(2))[19];

    [Benchmark] public double ApplyBlock24() { _op.ApplyBlock(_block, _images, 24); return _images[1]; }

    [Benchmark] public double LanczosTop20MatrixFree() => LanczosSolver.TopEigenvalues(_op, 20, SeedSequence.FromSeed(2))[19];

    [Benchmark] public double LanczosTop20OnDenseJ() => LanczosSolver.TopEigenvalues(new DenseOperator(_j), 20, SeedSequence.FromSeed(2))[19];

    /// <summary>What the library does: dsyevd_2stage (eigenvalues only) with every core from order 2048 on.</summary>
    [Benchmark] public double FullSpectrumDense() => DenseSymmetricEigen.Eigenvalues(_j)[0];

    // The options weighed for the full spectrum (native LAPACK only; each says which routine and how many OpenBLAS threads).
    [Benchmark] public double FullSpectrumDsyevdOneThread() => Native(twoStage: false, threads: 1);
    [Benchmark] public double FullSpectrumDsyevdAllThreads() => Native(twoStage: false, threads: Environment.ProcessorCount);
    [Benchmark] public double FullSpectrumTwoStageOneThread() => Native(twoStage: true, threads: 1);
    [Benchmark] public double FullSpectrumTwoStageAllThreads() => Native(twoStage: true, threads: Environment.ProcessorCount);

    private double Native(bool twoStage, int threads) =>
        NativeLapack.IsAvailable ? NativeLapack.SymmetricEigen(_j.N, (double[])_j.Data.Clone(), computeVectors: false, twoStage, threads)[0] : double.NaN;

    [Benchmark] public double Top20Dsyevr() => DenseSymmetricEigen.Top(_j, 20).Values[19];
}

using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;

namespace FimVerify.Bench;

/// <summary>
/// Spectrum of J at d = 5, p = 4000: top-20 by matrix-free Lanczos (target ≤ 0.5 s; the block method shares each pass over the
/// κ tiles among 24 vectors), full spectrum (≤ 2.5 s) by our two-stage path and by each LAPACK option, and the two stages of ours
/// on their own (stage 1 with its GFLOP/s: (4/3)p³ flops, the count of LAPACK's dsytrd_sy2sb).
/// </summary>
[Config(typeof(FlopRateConfig))]
public class EigenBenchmarks
{
    private const int P = 4000;
    private SymmetricBandMatrix _band = null!;
    private ShallowReluNetwork _net = null!;
    private ReluKernelOperator _op = null!;
    private SymmetricMatrix _j = null!;
    private double[] _block = null!, _images = null!;

    [GlobalSetup]
    public void Setup()
    {
        _net = ShallowReluNetwork.Sample(5, P, SeedSequence.FromSeed(1));
        _op = new ReluKernelOperator(_net);
        _j = _net.FisherByLemma1();
        _block = new double[24 * P]; _images = new double[24 * P];
        _band = SymmetricBandReduction.ToBand(_j);
        SeedSequence.FromSeed(3).CreateSampler().FillGaussian(_block);
        Console.WriteLine($"// dense backend: {DenseSymmetricEigen.Backend}");
    }

    [Benchmark] public double BlockLanczosTop20MatrixFree() => BlockLanczosSolver.TopEigenvalues(_op, 20, SeedSequence.FromSeed(2))[19];

    [Benchmark] public double ApplyBlock24() { _op.ApplyBlock(_block, _images, 24); return _images[1]; }

    [Benchmark] public double LanczosTop20MatrixFree() => LanczosSolver.TopEigenvalues(_op, 20, SeedSequence.FromSeed(2))[19];

    [Benchmark] public double LanczosTop20OnDenseJ() => LanczosSolver.TopEigenvalues(new DenseOperator(_j), 20, SeedSequence.FromSeed(2))[19];

    /// <summary>What the library does (from order 2500 on: our two-stage path, dsterf at the end).</summary>
    [Benchmark] public double FullSpectrumDense() => DenseSymmetricEigen.Eigenvalues(_j)[0];

    /// <summary>Our two-stage path whatever the order: dense → band (b = 64) → tridiagonal on every core, then LAPACK dsterf.</summary>
    [Benchmark] public double FullSpectrumTwoStageOurs() => DenseSymmetricEigen.Eigenvalues(_j, EigenBackend.TwoStage)[0];

    /// <summary>Stage 1 alone: dense → band of bandwidth 64 (SYMM and rank-128 updates on our GEMM, Householder panels).</summary>
    [Benchmark, Flops(4.0 / 3 * P * P * P)] public double BandReductionStage1() => SymmetricBandReduction.ToBand(_j).Data[1];

    /// <summary>Stage 2 alone, ours: band → tridiagonal by bulge chasing on every core.</summary>
    [Benchmark] public double BandToTridiagonalOurs() => BandTridiagonalReduction.Reduce(_band).Diagonal[0];

    /// <summary>Stage 2 by LAPACK for comparison: dsytrd_sb2st (one thread), then dsterf (the eigenvalues, as in FullSpectrumTwoStageOurs).</summary>
    [Benchmark] public double BandToTridiagonalLapackAndDsterf()
    {
        if (!NativeLapack.HasBandToTridiagonal) return double.NaN;
        var copy = new SymmetricBandMatrix(_band.N, _band.Bandwidth);
        _band.Data.CopyTo(copy.Data, 0);
        return NativeLapack.BandEigenvalues(copy)[0];
    }

    // The LAPACK options weighed for the full spectrum (each says which routine and how many OpenBLAS threads).
    [Benchmark] public double FullSpectrumDsyevdOneThread() => Native(twoStage: false, threads: 1);
    [Benchmark] public double FullSpectrumDsyevdAllThreads() => Native(twoStage: false, threads: Environment.ProcessorCount);
    [Benchmark] public double FullSpectrumDsyevd2StageOneThread() => Native(twoStage: true, threads: 1);
    [Benchmark] public double FullSpectrumDsyevd2StageAllThreads() => Native(twoStage: true, threads: Environment.ProcessorCount);

    private double Native(bool twoStage, int threads) =>
        NativeLapack.IsAvailable ? NativeLapack.SymmetricEigen(_j.N, (double[])_j.Data.Clone(), computeVectors: false, twoStage, threads)[0] : double.NaN;

    [Benchmark] public double Top20Dsyevr() => DenseSymmetricEigen.Top(_j, 20).Values[19];
}

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

    [Benchmark] public double FullSpectrumDense() => DenseSymmetricEigen.Eigenvalues(_j)[0];

    [Benchmark] public double Top20Dsyevr() => DenseSymmetricEigen.Top(_j, 20).Values[19];
}

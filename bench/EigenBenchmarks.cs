using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;

namespace FimVerify.Bench;

/// <summary>Spectrum of J at d = 5, p = 4000: top-20 by matrix-free Lanczos (target ≤ 0.5 s), full spectrum by LAPACK (≤ 2.5 s).</summary>
public class EigenBenchmarks
{
    private ShallowReluNetwork _net = null!;
    private ReluKernelOperator _op = null!;
    private SymmetricMatrix _j = null!;

    [GlobalSetup]
    public void Setup()
    {
        _net = ShallowReluNetwork.Sample(5, 4000, SeedSequence.FromSeed(1));
        _op = new ReluKernelOperator(_net);
        _j = _net.FisherByLemma1();
        Console.WriteLine($"// dense backend: {DenseSymmetricEigen.Backend}");
    }

    [Benchmark] public double LanczosTop20MatrixFree() => LanczosSolver.TopEigenvalues(_op, 20, SeedSequence.FromSeed(2))[19];

    [Benchmark] public double LanczosTop20OnDenseJ() => LanczosSolver.TopEigenvalues(new DenseOperator(_j), 20, SeedSequence.FromSeed(2))[19];

    [Benchmark] public double FullSpectrumDense() => DenseSymmetricEigen.Eigenvalues(_j)[0];

    [Benchmark] public double Top20Dsyevr() => DenseSymmetricEigen.Top(_j, 20).Values[19];
}

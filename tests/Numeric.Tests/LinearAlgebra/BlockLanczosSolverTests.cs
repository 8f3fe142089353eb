using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.LinearAlgebra;

public class BlockLanczosSolverTests
{
    private static void AssertTopMatches(double[] expectedAscending, double[] topDescending, double relative) =>
        LanczosSolverTests.AssertTopMatches(expectedAscending, topDescending, relative);

    [Theory]
    [InlineData(0)]   // default block size
    [InlineData(3)]   // smaller than k
    [InlineData(13)]  // larger than k, not a multiple of anything
    public void TopEigenpairsOfARandomSymmetricMatrixMatchDense(int blockSize)
    {
        var a = DenseSymmetricEigenTests.RandomSymmetric(250, 5);
        var r = BlockLanczosSolver.TopEigenpairs(new DenseOperator(a), 6, SeedSequence.FromSeed(1),
            new BlockLanczosOptions(BlockSize: blockSize, MaxDimension: 250, ComputeVectors: true));
        AssertTopMatches(DenseSymmetricEigen.Eigenvalues(a), r.Values, 1e-9);
        Assert.All(r.Residuals, x => Assert.True(x <= 1e-10 * r.NormEstimate));
        for (int i = 0; i < 6; i++)
        {
            var y = r.Vectors.AsSpan(i * a.N, a.N);
            var ay = new double[a.N];
            new DenseOperator(a).Apply(y, ay);
            double residual = 0;
            for (int t = 0; t < a.N; t++) residual += Math.Pow(ay[t] - r.Values[i] * y[t], 2);
            Assert.True(Math.Sqrt(residual) <= 1e-10 * r.NormEstimate, $"independent residual of pair {i}: {Math.Sqrt(residual):E3}");
            for (int j = 0; j < 6; j++)
            {
                double dot = 0;
                for (int t = 0; t < a.N; t++) dot += y[t] * r.Vectors![j * a.N + t];
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 9);
            }
        }
    }

    [Fact]
    public void ACopyOfARepeatedEigenvalueIsFoundWhenTheBlockIsAsLargeAsItsMultiplicity()
    {
        // λ = 5 four times among 60 values: a single-vector Krylov space holds one direction of that eigenspace, a block of
        // four holds all four.
        int n = 60;
        var a = new SymmetricMatrix(n);
        for (int i = 0; i < n; i++) a[(7 * i) % n, (7 * i) % n] = i < 4 ? 5 : i == 4 ? 4.5 : 4.0 * i / n;
        var r = BlockLanczosSolver.TopEigenpairs(new DenseOperator(a), 5, SeedSequence.FromSeed(6), new BlockLanczosOptions(BlockSize: 4));
        Assert.Equal([5, 5, 5, 5, 4.5], r.Values.Select(v => Math.Round(v, 10)).ToArray());
    }

    [Fact]
    public void CopiesBeyondTheBlockSizeAreFoundThroughDeflation()
    {
        // λ = 5 four times, 3 twice, and seven simple values; block size 2. The block Krylov space holds two directions of
        // each repeated eigenspace and becomes invariant at dimension 12; the two missing copies of 5 lie in its
        // complement, so they can only come from the fresh vectors that replace the deflated directions.
        double[] lambda = [5, 5, 5, 5, 4, 3, 3, 2, 1.5, 1, 0.5, 0, -0.5, -1];
        int n = lambda.Length;
        var a = new SymmetricMatrix(n);
        for (int i = 0; i < n; i++) a[(5 * i) % n, (5 * i) % n] = lambda[i];
        var r = BlockLanczosSolver.TopEigenpairs(new DenseOperator(a), 7, SeedSequence.FromSeed(2), new BlockLanczosOptions(BlockSize: 2));
        for (int j = 0; j < 7; j++) Assert.Equal(lambda[j], r.Values[j], 9);
        Assert.True(r.Restarts >= 1, $"restarts: {r.Restarts}");
    }

    [Fact]
    public void ALowRankOperatorDeflatesAndReportsItsZeroEigenvalues()
    {
        // A = G Gᵀ of rank 3 in dimension 60: after one block of 5 the images span only 3 directions.
        int n = 60, rank = 3;
        var g = new double[n * rank];
        SeedSequence.FromSeed(11).CreateSampler().FillGaussian(g);
        var a = new SymmetricMatrix(n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int l = 0; l < rank; l++) a[i, j] += g[i * rank + l] * g[j * rank + l];
        var dense = DenseSymmetricEigen.Eigenvalues(a);
        var r = BlockLanczosSolver.TopEigenpairs(new DenseOperator(a), 5, SeedSequence.FromSeed(3), new BlockLanczosOptions(BlockSize: 5));
        AssertTopMatches(dense, r.Values, 1e-10);
        Assert.True(r.Restarts >= 2, $"restarts: {r.Restarts}");
    }

    [Fact]
    public void TheWholeSpaceGivesTheExactSpectrum()
    {
        var a = DenseSymmetricEigenTests.RandomSymmetric(12, 9);
        var r = BlockLanczosSolver.TopEigenpairs(new DenseOperator(a), 12, SeedSequence.FromSeed(4), new BlockLanczosOptions(BlockSize: 5));
        AssertTopMatches(DenseSymmetricEigen.Eigenvalues(a), r.Values, 1e-12);
        Assert.Equal(12, r.Iterations);
    }

    [Fact]
    public void TopEigenvaluesOfJMatchDenseMatrixFreeAndDoNotDependOnThreads()
    {
        var net = ShallowReluNetwork.Sample(3, 700, SeedSequence.FromSeed(4));
        var dense = DenseSymmetricEigen.Eigenvalues(net.FisherByLemma1());
        var one = BlockLanczosSolver.TopEigenvalues(new ReluKernelOperator(net, maxDegreeOfParallelism: 1), 12, SeedSequence.FromSeed(5));
        var two = BlockLanczosSolver.TopEigenvalues(new ReluKernelOperator(net, maxDegreeOfParallelism: 2), 12, SeedSequence.FromSeed(5));
        AssertTopMatches(dense, one, 1e-9);
        Assert.Equal(one, two);
    }

    [Fact]
    public void NonConvergenceIsANumericalError()
    {
        var a = DenseSymmetricEigenTests.RandomSymmetric(300, 7);
        Assert.Throws<NumericalException>(() =>
            BlockLanczosSolver.TopEigenpairs(new DenseOperator(a), 5, SeedSequence.FromSeed(1), new BlockLanczosOptions(BlockSize: 5, MaxDimension: 10)));
    }

    [Fact]
    public void NaNFromTheOperatorIsANumericalError()
    {
        Assert.Throws<NumericalException>(() => BlockLanczosSolver.TopEigenvalues(new LanczosSolverTests.NaNOperator(), 2, SeedSequence.FromSeed(1)));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var op = new DenseOperator(DenseSymmetricEigenTests.RandomSymmetric(5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockLanczosSolver.TopEigenvalues(op, 0, SeedSequence.FromSeed(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockLanczosSolver.TopEigenvalues(op, 6, SeedSequence.FromSeed(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockLanczosSolver.TopEigenpairs(op, 2, SeedSequence.FromSeed(1), new BlockLanczosOptions(BlockSize: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockLanczosSolver.TopEigenpairs(op, 2, SeedSequence.FromSeed(1), new BlockLanczosOptions(Tolerance: 0)));
    }
}

public class ShallowSpectrumTests
{
    [Fact]
    public void MatrixFreeSpectrumAgreesWithTheDenseOne()
    {
        var net = ShallowReluNetwork.Sample(3, 500, SeedSequence.FromSeed(12));
        var dense = ShallowSpectrum.Ranked(net, net.FisherByLemma1(), 12);
        var free = ShallowSpectrum.RankedMatrixFree(net, 12, SeedSequence.FromSeed(13));
        for (int r = 0; r < 12; r++)
        {
            Assert.Equal(dense[r].Value, free[r].Value, 12);
            Assert.Equal(dense[r].Group, free[r].Group);
            // Overlaps depend on the eigenvectors only (their signs cancel); inside a cluster of close values they may rotate,
            // so compare the sums over each group's ranks.
        }
        foreach (var group in new[] { 0, 1, 2 })
            Assert.Equal(dense.Sum(e => e.Overlaps[group]), free.Sum(e => e.Overlaps[group]), 8);
    }
}

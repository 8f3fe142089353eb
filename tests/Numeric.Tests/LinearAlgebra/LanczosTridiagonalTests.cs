using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.LinearAlgebra;

public class LanczosTridiagonalTests
{
    private static double[] RitzValuesDescending(LanczosTridiagonal t) =>
        TridiagonalEigen.Eigenvalues(t.Alpha, t.Beta).OrderDescending().ToArray();

    [Theory]
    [InlineData(120, 1)]
    [InlineData(300, 2)]
    public void TopRitzValuesOfRandomSymmetricMatricesMatchDenseTo1e8(int n, long seed)
    {
        // GOE-like matrices (the hardest case for Lanczos: no gap at the edge beyond the semicircle's); with full
        // reorthogonalisation and m = n steps T is similar to A, and the top 5 must match dense eigenvalues to 1e-8·λ_max.
        var a = DenseSymmetricEigenTests.RandomSymmetric(n, seed);
        var dense = DenseSymmetricEigen.Eigenvalues(a);
        var start = new double[n];
        SeedSequence.FromSeed(seed + 10).CreateSampler().FillGaussian(start);
        var t = LanczosSolver.Tridiagonalise(new DenseOperator(a), start, n);
        Assert.False(t.InvariantSubspace);
        var ritz = RitzValuesDescending(t);
        double scale = dense.Max(Math.Abs);
        for (int k = 0; k < 5; k++)
            Assert.True(Math.Abs(ritz[k] - dense[^(k + 1)]) <= 1e-8 * scale, $"λ_{k + 1}: Lanczos {ritz[k]:R}, dense {dense[^(k + 1)]:R}");
    }

    [Fact]
    public void TopRitzValuesConvergeWellBeforeNWhenTheSpectrumHasAGap()
    {
        // Q diag(λ) Qᵀ with 5 separated top eigenvalues over a bulk in [0, 1]: 60 of 400 steps must resolve them to 1e-8.
        int n = 400;
        var q = DenseSymmetricEigen.Decompose(DenseSymmetricEigenTests.RandomSymmetric(n, 3)).Vectors!;
        var lambda = Enumerable.Range(0, n).Select(i => i < 5 ? 10.0 - i : (double)i / n).ToArray();
        var a = new SymmetricMatrix(n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += q[i * n + k] * lambda[k] * q[j * n + k];
                a[i, j] = s;
            }
        var start = new double[n];
        SeedSequence.FromSeed(4).CreateSampler().FillGaussian(start);
        var ritz = RitzValuesDescending(LanczosSolver.Tridiagonalise(new DenseOperator(a), start, 60));
        for (int k = 0; k < 5; k++) Assert.True(Math.Abs(ritz[k] - (10.0 - k)) <= 1e-8 * 10, $"λ_{k + 1}: {ritz[k]:R}");
    }

    [Fact]
    public void LockstepSequencesEqualSequencesRunAlone()
    {
        // Four start vectors in one block, one of which (a combination of 2 eigenvectors) breaks down after 2 steps
        // and leaves the block: the others must still give the coefficients they give alone.
        int n = 50;
        var m = new SymmetricMatrix(n);
        for (int i = 0; i < n; i++) m[i, i] = 1 + i % 17;
        var op = new DenseOperator(m);
        var starts = new double[4 * n];
        SeedSequence.FromSeed(5).CreateSampler().FillGaussian(starts);
        starts.AsSpan(2 * n, n).Clear();
        starts[2 * n + 3] = 1; starts[2 * n + 4] = 2;
        var together = LanczosSolver.Tridiagonalise(op, starts, 4, 30);
        Assert.True(together[2].InvariantSubspace);
        Assert.Equal(2, together[2].Alpha.Length);
        for (int c = 0; c < 4; c++)
        {
            var alone = LanczosSolver.Tridiagonalise(op, starts.AsSpan(c * n, n), 30);
            Assert.Equal(alone.Alpha, together[c].Alpha);
            Assert.Equal(alone.Beta, together[c].Beta);
            Assert.Equal(alone.InvariantSubspace, together[c].InvariantSubspace);
        }
    }

    [Fact]
    public void BadStartVectorsAndStepCountsAreRejected()
    {
        var op = new DenseOperator(DenseSymmetricEigenTests.RandomSymmetric(10, 1));
        Assert.Throws<ArgumentException>(() => LanczosSolver.Tridiagonalise(op, new double[10], 5));
        Assert.Throws<ArgumentException>(() => LanczosSolver.Tridiagonalise(op, Enumerable.Repeat(1.0, 10).ToArray(), 11));
        Assert.Throws<ArgumentException>(() => LanczosSolver.Tridiagonalise(op, Enumerable.Repeat(double.NaN, 10).ToArray(), 3));
    }
}

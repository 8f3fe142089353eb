using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.Operators;

public class ReluKernelOperatorTests
{
    [Theory]
    [InlineData(2, 37)]
    [InlineData(4, 301)]   // one full tile and a ragged one
    [InlineData(5, 520)]
    public void MaterializedOperatorIsJByLemma1(int d, int p)
    {
        var net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed(d * 1000 + p));
        var op = new ReluKernelOperator(net);
        var fromOperator = op.Materialize();
        var lemma1 = net.FisherByLemma1();
        double scale = lemma1.Data.Max(Math.Abs);
        for (int e = 0; e < lemma1.Data.Length; e++)
            Assert.True(Math.Abs(fromOperator.Data[e] - lemma1.Data[e]) <= 1e-14 * scale, $"entry {e}: {fromOperator.Data[e]:R} vs {lemma1.Data[e]:R}");
        var diagonal = op.Diagonal();
        for (int i = 0; i < p; i++) Assert.Equal(lemma1[i, i], diagonal[i], 15);
        Assert.Equal(lemma1.Trace(), op.Trace(), 12);
        Assert.Equal(net.FrobeniusNormSquared() / 2, op.Trace(), 14);
    }

    [Fact]
    public void ProductIsBitwiseIndependentOfThreadCount()
    {
        var net = ShallowReluNetwork.Sample(3, 1500, SeedSequence.FromSeed(8));
        var u = new double[1500];
        SeedSequence.FromSeed(9).CreateSampler().FillGaussian(u);
        var one = new double[1500]; var two = new double[1500];
        new ReluKernelOperator(net, maxDegreeOfParallelism: 1).Apply(u, one);
        new ReluKernelOperator(net, maxDegreeOfParallelism: 2).Apply(u, two);
        Assert.Equal(one, two);
    }

    [Fact]
    public void FusedRowKernelMatchesItsScalarTwin()
    {
        int d = 4, p = 203;
        var net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed(12));
        var unit = new double[d * p];
        for (int l = 0; l < d; l++) for (int i = 0; i < p; i++) unit[l * p + i] = net.Weight(l, i) / net.ColumnNorms[i];
        var u = new double[p];
        SeedSequence.FromSeed(13).CreateSampler().FillGaussian(u);
        foreach (var (i, j0, j1) in new[] { (0, 1, 203), (17, 18, 100), (150, 0, 7), (5, 5, 5) })
        {
            var fastColumn = new double[p]; var slowColumn = new double[p];
            double fast = ReluKernel.KappaRow(unit, d, p, i, j0, j1, u, fastColumn);
            double slow = ReluKernel.KappaRowScalar(unit, d, p, i, j0, j1, u, slowColumn);
            double bound = 1e-14 * (1 + u.Sum(Math.Abs));
            Assert.True(Math.Abs(fast - slow) <= bound, $"row {i}: {fast:R} vs {slow:R}");
            for (int j = 0; j < p; j++) Assert.True(Math.Abs(fastColumn[j] - slowColumn[j]) <= 1e-14 * (1 + Math.Abs(u[i])));
        }
    }

    [Fact]
    public void ReluSimdMatchesScalarIncludingNaN()
    {
        var x = new double[1003];
        SeedSequence.FromSeed(14).CreateSampler().FillGaussian(x);
        x[3] = double.NaN; x[4] = -0.0; x[5] = double.NegativeInfinity; x[1001] = double.NaN;
        var fast = (double[])x.Clone(); var slow = (double[])x.Clone();
        Relu.Apply(fast); Relu.ApplyScalar(slow);
        Assert.Equal(slow, fast);
        Assert.True(double.IsNaN(fast[3]));
    }

    [Fact]
    public void WrongLengthIsRejected()
    {
        var op = new ReluKernelOperator(ShallowReluNetwork.Sample(2, 10, SeedSequence.FromSeed(1)));
        Assert.Throws<ArgumentException>(() => op.Apply(new double[9], new double[10]));
    }
}

using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Tests.Operators;
using Xunit;

namespace FimVerify.Numeric.Tests.ShallowRelu;

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

    [Theory]
    [InlineData(3, 37, 2)]
    [InlineData(4, 301, 7)]    // ragged tiles, one panel
    [InlineData(5, 520, 24)]   // a full AVX-512 panel
    [InlineData(2, 260, 30)]   // more than one panel
    public void BlockProductMatchesOneProductPerVector(int d, int p, int count) =>
        BlockProducts.AssertBlockEqualsSingles(new ReluKernelOperator(ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed(d * 100 + count))), count, count);

    [Fact]
    public void BlockProductIsBitwiseIndependentOfThreadCount()
    {
        var net = ShallowReluNetwork.Sample(3, 1100, SeedSequence.FromSeed(18));
        var u = new double[1100 * 9];
        SeedSequence.FromSeed(19).CreateSampler().FillGaussian(u);
        var one = new double[u.Length]; var two = new double[u.Length];
        new ReluKernelOperator(net, maxDegreeOfParallelism: 1).ApplyBlock(u, one, 9);
        new ReluKernelOperator(net, maxDegreeOfParallelism: 2).ApplyBlock(u, two, 9);
        Assert.Equal(one, two);
    }

    [Fact]
    public void KappaTileMatchesItsScalarTwin()
    {
        int d = 3, p = 150;
        var net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed(21));
        var unit = new double[d * p];
        for (int l = 0; l < d; l++) for (int i = 0; i < p; i++) unit[l * p + i] = net.Weight(l, i) / net.ColumnNorms[i];
        foreach (var (i0, rows, j0, cols) in new[] { (0, 150, 0, 150), (10, 7, 100, 50), (149, 1, 3, 13), (5, 0, 5, 0) })
        {
            var fast = new double[160 * 160]; var slow = new double[160 * 160];
            ReluKernel.KappaTile(unit, d, p, i0, rows, j0, cols, fast, 160);
            ReluKernel.KappaTileScalar(unit, d, p, i0, rows, j0, cols, slow, 160);
            for (int e = 0; e < fast.Length; e++) Assert.True(Math.Abs(fast[e] - slow[e]) <= 2e-15, $"entry {e}: {fast[e]:R} vs {slow[e]:R}");
            // Scaled by n_i n_j: a tile of J itself.
            ReluKernel.KappaTile(unit, d, p, i0, rows, j0, cols, fast, 160, net.ColumnNorms);
            ReluKernel.KappaTileScalar(unit, d, p, i0, rows, j0, cols, slow, 160, net.ColumnNorms);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    double scale = net.ColumnNorms[i0 + r] * net.ColumnNorms[j0 + c];
                    Assert.True(Math.Abs(fast[r * 160 + c] - slow[r * 160 + c]) <= 3e-15 * scale);
                }
        }
        Assert.Throws<ArgumentException>(() => ReluKernel.KappaTile(unit, d, p, 0, 2, 0, 10, new double[15], 10));
    }

    [Fact]
    public void PanelProductMatchesItsScalarTwinBitwise()
    {
        // Both sum over the steps in increasing order with one fused multiply-add per step, so the bits agree.
        int w = PanelProduct.Width, ld = 2 * w, steps = 37, outputs = 11;
        var rng = SeedSequence.FromSeed(22).CreateSampler();
        var k = new double[64 * 64]; var u = new double[steps * ld]; var y0 = new double[outputs * ld];
        rng.FillGaussian(k); rng.FillGaussian(u); rng.FillGaussian(y0);
        foreach (var (kq, ks) in new[] { (64, 1), (1, 64) })
        {
            var fast = (double[])y0.Clone(); var slow = (double[])y0.Clone();
            PanelProduct.Accumulate(k, kq, ks, outputs, steps, u, fast, ld, 2 * w);
            PanelProduct.AccumulateScalar(k, kq, ks, outputs, steps, u, slow, ld, 2 * w);
            Assert.Equal(slow, fast);
        }
        Assert.Throws<ArgumentException>(() => PanelProduct.Accumulate(k, 64, 1, outputs, steps, u.AsSpan(0, 10), y0, ld, 2 * w));
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

using FimVerify.Numeric.Activations;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.NaturalGradient;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.NaturalGradient;

/// <summary>
/// The N×N routes of <see cref="ApproximateNaturalGradient"/> against the definitions on tiny networks: the explicit
/// P×P metric G (exact, layer blocks, K-FAC's Kronecker blocks A ⊗ B, unit blocks), its block-wise pseudo-inverse, and
/// Θ̄ = J G⁺ Jᵀ/N and G⁺∇L formed with the explicit Jacobian (rows δ_l(n) ⊗ h̃_{l−1}(n); MlpDualGramTests checks those
/// against finite differences). Deterministic: fixed seeds, rounding-level tolerances.
/// </summary>
public class NaturalGradientTests
{
    private const int N = 5;

    private sealed record Setup(Mlp Net, double[] X, double[] Residual, ApproximateNaturalGradient Ngd, MlpBackward Back, ForwardPass Fwd);

    private static Setup Make(string activation, long seed)
    {
        var s = SeedSequence.FromSeed(seed);
        var net = Mlp.Sample(ActivationCatalog.Parse(activation), [6, 7, 8, 1], 1.8, 0.2, s);
        var x = net.SampleInputs(N, s);
        var fwd = net.Forward(x, N);
        var back = new MlpBackward(fwd);
        var r = new double[N];
        s.Child("targets").CreateSampler().FillGaussian(r);
        for (int i = 0; i < N; i++) r[i] = fwd.Outputs[i] - r[i];
        return new Setup(net, x, r, new ApproximateNaturalGradient(new MlpDualGram(back)), back, fwd);
    }

    /// <summary>Column offset of layer l's block; within it column i·(M_{l−1} + 1) + j, j = M_{l−1} the bias.</summary>
    private static int Offset(Mlp net, int l) => Enumerable.Range(1, l - 1).Sum(k => net.Widths[k] * (net.Widths[k - 1] + 1));

    private static double HTilde(Setup s, int l, int n, int j) =>
        j == s.Net.Widths[l - 1] ? 1 : s.Fwd.H[l - 1][n * s.Net.Widths[l - 1] + j];

    private static double[,] Jacobian(Setup s)
    {
        var net = s.Net;
        int p = Offset(net, net.Depth + 1);
        var j = new double[N, p];
        for (int l = 1; l <= net.Depth; l++)
        {
            int m = net.Widths[l], w = net.Widths[l - 1] + 1, o = Offset(net, l);
            for (int n = 0; n < N; n++)
                for (int i = 0; i < m; i++)
                    for (int c = 0; c < w; c++) j[n, o + i * w + c] = s.Back.Delta[l][n * m + i] * HTilde(s, l, n, c);
        }
        return j;
    }

    /// <summary>The metric's blocks as (column indices, block matrix); G is their direct sum.</summary>
    private static List<(int[] cols, SymmetricMatrix g)> Blocks(Setup s, double[,] j, NaturalGradientMetric metric)
    {
        var net = s.Net;
        int p = j.GetLength(1);
        SymmetricMatrix Gram(int[] cols)
        {
            var g = new SymmetricMatrix(cols.Length);
            for (int a = 0; a < cols.Length; a++)
                for (int b = 0; b < cols.Length; b++)
                {
                    double v = 0;
                    for (int n = 0; n < N; n++) v += j[n, cols[a]] * j[n, cols[b]];
                    g[a, b] = v / N;
                }
            return g;
        }
        int[] Range(int from, int count) => Enumerable.Range(from, count).ToArray();
        var blocks = new List<(int[], SymmetricMatrix)>();
        switch (metric)
        {
            case NaturalGradientMetric.Exact:
                blocks.Add((Range(0, p), Gram(Range(0, p))));
                break;
            case NaturalGradientMetric.LayerWise:
                for (int l = 1; l <= net.Depth; l++)
                {
                    var cols = Range(Offset(net, l), net.Widths[l] * (net.Widths[l - 1] + 1));
                    blocks.Add((cols, Gram(cols)));
                }
                break;
            case NaturalGradientMetric.Kfac:
                for (int l = 1; l <= net.Depth; l++)
                {
                    int m = net.Widths[l], w = net.Widths[l - 1] + 1;
                    var g = new SymmetricMatrix(m * w);
                    for (int i = 0; i < m; i++)
                        for (int i2 = 0; i2 < m; i2++)
                        {
                            double b = 0;
                            for (int n = 0; n < N; n++) b += s.Back.Delta[l][n * m + i] * s.Back.Delta[l][n * m + i2] / N;
                            for (int c = 0; c < w; c++)
                                for (int c2 = 0; c2 < w; c2++)
                                {
                                    double a = 0;
                                    for (int n = 0; n < N; n++) a += HTilde(s, l, n, c) * HTilde(s, l, n, c2) / N;
                                    g[i * w + c, i2 * w + c2] = b * a;
                                }
                        }
                    blocks.Add((Range(Offset(net, l), m * w), g));
                }
                break;
            case NaturalGradientMetric.UnitWise:
                for (int l = 1; l <= net.Depth; l++)
                {
                    int w = net.Widths[l - 1] + 1;
                    for (int i = 0; i < net.Widths[l]; i++)
                    {
                        var cols = Range(Offset(net, l) + i * w, w);
                        blocks.Add((cols, Gram(cols)));
                    }
                }
                break;
        }
        return blocks;
    }

    [Theory]
    [InlineData("relu", NaturalGradientMetric.Exact)]
    [InlineData("relu", NaturalGradientMetric.LayerWise)]
    [InlineData("relu", NaturalGradientMetric.Kfac)]
    [InlineData("relu", NaturalGradientMetric.UnitWise)]
    [InlineData("tanh", NaturalGradientMetric.Kfac)]
    [InlineData("tanh", NaturalGradientMetric.UnitWise)]
    public void KernelAndDirectionMatchTheExplicitMetric(string activation, NaturalGradientMetric metric)
    {
        var s = Make(activation, 11);
        var j = Jacobian(s);
        int p = j.GetLength(1);
        // G⁺ Jᵀ: block by block (the pseudo-inverse of a direct sum is the direct sum of the pseudo-inverses).
        var gInvJt = new double[p, N];
        foreach (var (cols, g) in Blocks(s, j, metric))
        {
            var inv = new PsdPseudoInverse(g).Inverse();
            for (int a = 0; a < cols.Length; a++)
                for (int n = 0; n < N; n++)
                {
                    double v = 0;
                    for (int b = 0; b < cols.Length; b++) v += inv[a, b] * j[n, cols[b]];
                    gInvJt[cols[a], n] = v;
                }
        }
        var kernel = s.Ngd.Kernel(metric);
        double scale = Math.Max(1, kernel.Trace() / N);
        for (int a = 0; a < N; a++)
            for (int b = 0; b < N; b++)
            {
                double v = 0;
                for (int c = 0; c < p; c++) v += j[a, c] * gInvJt[c, b];
                Assert.True(Math.Abs(v / N - kernel[a, b]) <= 1e-8 * scale, $"Θ̄[{a},{b}]: explicit {v / N}, N×N route {kernel[a, b]}");
            }
        // Direction G⁺∇L with ∇L = Jᵀ r/N.
        var (dW, db) = s.Ngd.Direction(metric, s.Residual);
        double norm = 0, worst = 0;
        for (int l = 1; l <= s.Net.Depth; l++)
        {
            int m = s.Net.Widths[l], w = s.Net.Widths[l - 1] + 1, o = Offset(s.Net, l);
            for (int i = 0; i < m; i++)
                for (int c = 0; c < w; c++)
                {
                    double expected = 0;
                    for (int n = 0; n < N; n++) expected += gInvJt[o + i * w + c, n] * s.Residual[n] / N;
                    double got = c == w - 1 ? db[l - 1][i] : dW[l - 1][i * (w - 1) + c];
                    norm = Math.Max(norm, Math.Abs(expected));
                    worst = Math.Max(worst, Math.Abs(expected - got));
                }
        }
        Assert.True(worst <= 1e-8 * norm, $"direction: max |Δ| = {worst:g3} of {norm:g3}");
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("tanh")]
    public void ExactCasesAreIsotropicToRounding(string activation)
    {
        var act = ActivationCatalog.Parse(activation);
        int[] widths = [40, 40, 40, 1];
        const int n = 8;
        var net = Mlp.Sample(act, widths, 2, 0.1, SeedSequence.FromSeed(5));
        var ngd = new ApproximateNaturalGradient(new MlpDualGram(new MlpBackward(net.Forward(net.SampleInputs(n, SeedSequence.FromSeed(5)), n))));
        foreach (var metric in NaturalGradientScales.All.Where(m => NaturalGradientScales.IsExact(m, act)))
        {
            double alpha = NaturalGradientScales.Derived(metric, act, widths, n);
            var k = ngd.Kernel(metric);
            double worst = DenseSymmetricEigen.Eigenvalues(k).Max(e => Math.Abs(e / alpha - 1));
            Assert.True(worst <= 1e-10, $"{metric}: ‖Θ̄/α − I‖ = {worst:g3} with α = {alpha}");
        }
        // K-FAC: α = N(L − 1) + 1 = 17 here, not seed 002's N·L = 24; tanh's unit-wise: 1 + 80 = 81.
        Assert.Equal(17, NaturalGradientScales.Derived(NaturalGradientMetric.Kfac, act, widths, n));
        Assert.Equal(24, NaturalGradientScales.Source(NaturalGradientMetric.Kfac, act, widths, n));
    }

    [Fact]
    public void ReluUnitWiseKernelIsDiagonalCountingActiveUnits()
    {
        int[] widths = [30, 30, 30, 1];
        const int n = 6;
        var net = Mlp.Sample(new Relu(), widths, 2, 0.1, SeedSequence.FromSeed(9));
        var fwd = net.Forward(net.SampleInputs(n, SeedSequence.FromSeed(9)), n);
        var k = new ApproximateNaturalGradient(new MlpDualGram(new MlpBackward(fwd))).Kernel(NaturalGradientMetric.UnitWise);
        for (int a = 0; a < n; a++)
        {
            int active = 1 + Enumerable.Range(1, 2).Sum(l => fwd.U[l].Skip(a * 30).Take(30).Count(u => u > 0));
            Assert.Equal(active, k[a, a], 9);
            for (int b = 0; b < n; b++) if (b != a) Assert.True(Math.Abs(k[a, b]) <= 1e-9, $"Θ̄[{a},{b}] = {k[a, b]}");
        }
    }

    [Fact]
    public void RankConditionsAreStatedAndMoreThanOneOutputIsRejected()
    {
        Assert.Null(NaturalGradientScales.RankConditionViolation(NaturalGradientMetric.Kfac, [10, 10, 1], 10));
        Assert.NotNull(NaturalGradientScales.RankConditionViolation(NaturalGradientMetric.Kfac, [10, 9, 1], 10));
        Assert.NotNull(NaturalGradientScales.RankConditionViolation(NaturalGradientMetric.UnitWise, [8, 20, 1], 10));
        var net = Mlp.Sample(new Tanh(), [4, 5, 2], 1, 0.1, SeedSequence.FromSeed(1));
        var dual = new MlpDualGram(new MlpBackward(net.Forward(net.SampleInputs(3, SeedSequence.FromSeed(1)), 3)));
        Assert.Throws<ArgumentException>(() => new ApproximateNaturalGradient(dual));
        Assert.Throws<ArgumentException>(() => NaturalGradientScales.ActiveFraction(ExpressionActivation.FromText("x^3")));
    }
    /// <summary>
    /// The report's NGD trial overwrites one direction and one stepped network across metrics and step sizes: each must hold exactly
    /// (bit for bit) what a fresh allocation holds, so the reuse cannot leak an earlier metric's numbers into a later one.
    /// </summary>
    [Fact]
    public void ReusedDirectionAndSteppedNetworkEqualFreshOnes()
    {
        var s = Make("tanh", 4);
        (double[][] dW, double[][] db)? direction = null;
        Mlp? stepped = null;
        foreach (var metric in new[] { NaturalGradientMetric.UnitWise, NaturalGradientMetric.Exact, NaturalGradientMetric.Kfac, NaturalGradientMetric.LayerWise })
        {
            var fresh = s.Ngd.Direction(metric, s.Residual);
            var reused = s.Ngd.Direction(metric, s.Residual, direction);
            direction = reused;
            for (int l = 0; l < s.Net.Depth; l++)
            {
                Assert.Equal(fresh.dW[l], reused.dW[l]);
                Assert.Equal(fresh.db[l], reused.db[l]);
            }
            foreach (double rate in new[] { 0.7, 1.9 })
            {
                var a = s.Ngd.Step(fresh, rate);
                stepped = s.Ngd.Step(reused, rate, stepped);
                for (int l = 0; l < s.Net.Depth; l++)
                {
                    Assert.Equal(a.Weights[l], stepped.Weights[l]);
                    Assert.Equal(a.Biases[l], stepped.Biases[l]);
                    for (int i = 0; i < a.Weights[l].Length; i++)
                        Assert.Equal(BitConverter.DoubleToInt64Bits(s.Net.Weights[l][i] - rate * fresh.dW[l][i]), BitConverter.DoubleToInt64Bits(a.Weights[l][i]));
                }
            }
        }
        Assert.Throws<ArgumentException>(() => s.Ngd.Step(direction!.Value, 1, s.Net));
    }
}

using FimVerify.Numeric.Activations;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.Mlps;

/// <summary>
/// The layer-by-layer dual Gram against an explicit Jacobian obtained by central finite differences on a tiny
/// network — an independent route (no backpropagation involved).
/// </summary>
public class MlpDualGramTests
{
    private const int T = 3;

    private static (Mlp net, double[] x, double[,] j) Setup(string activation, long seed)
    {
        var net = Mlp.Sample(ActivationCatalog.Parse(activation), [4, 5, 6, 2], 1.7, 0.3, SeedSequence.FromSeed(seed));
        var x = net.SampleInputs(T, SeedSequence.FromSeed(seed));
        return (net, x, Jacobian(net, x));
    }

    /// <summary>J[(k,t), p] by central differences over every weight and bias (parameters ordered layer by layer, W then b).</summary>
    private static double[,] Jacobian(Mlp net, double[] x)
    {
        int C = net.Outputs;
        var cols = new List<double[]>();
        const double h = 1e-5;
        foreach (var arr in net.Weights.Zip(net.Biases).SelectMany(p => new[] { p.First, p.Second }))
            for (int i = 0; i < arr.Length; i++)
            {
                double keep = arr[i];
                arr[i] = keep + h; var plus = net.Forward(x, T).Outputs;
                arr[i] = keep - h; var minus = net.Forward(x, T).Outputs;
                arr[i] = keep;
                var col = new double[C * T];
                for (int k = 0; k < C; k++)
                    for (int t = 0; t < T; t++) col[k * T + t] = (plus[t * C + k] - minus[t * C + k]) / (2 * h);
                cols.Add(col);
            }
        var j = new double[C * T, cols.Count];
        for (int p = 0; p < cols.Count; p++)
            for (int r = 0; r < C * T; r++) j[r, p] = cols[p][r];
        return j;
    }

    private static void AssertClose(SymmetricMatrix expected, SymmetricMatrix actual, double tol = 1e-7)
    {
        double scale = expected.Data.Max(Math.Abs);
        double worst = expected.Data.Zip(actual.Data, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= tol * scale, $"max |Δ| = {worst:g3}, scale {scale:g3}");
    }

    private static SymmetricMatrix GramOfRows(double[,] j, Func<int, double> columnScale, double factor)
    {
        int n = j.GetLength(0), p = j.GetLength(1);
        var g = new SymmetricMatrix(n);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                double s = 0;
                for (int c = 0; c < p; c++) s += j[a, c] * j[b, c] * columnScale(c) * columnScale(c);
                g[a, b] = factor * s;
            }
        return g;
    }

    [Theory]
    [InlineData("tanh", 11)]
    [InlineData("relu", 12)]
    [InlineData("erf", 13)]
    public void FisherDualEqualsExplicitJacobianGram(string activation, long seed)
    {
        var (net, x, j) = Setup(activation, seed);
        var dual = new MlpDualGram(new MlpBackward(net.Forward(x, T)));
        Assert.Equal(net.ParameterCount, j.GetLength(1));
        AssertClose(GramOfRows(j, _ => 1, 1.0 / T), dual.Fisher());
    }

    [Fact]
    public void NtkDualScalesWeightColumnsBySigmaOverRootFanInAndBiasesBySigmaB()
    {
        var (net, x, j) = Setup("tanh", 21);
        var scale = new List<double>();
        for (int l = 1; l <= net.Depth; l++)
        {
            scale.AddRange(Enumerable.Repeat(Math.Sqrt(net.SigmaW2 / net.Widths[l - 1]), net.Widths[l] * net.Widths[l - 1]));
            scale.AddRange(Enumerable.Repeat(Math.Sqrt(net.SigmaB2), net.Widths[l]));
        }
        var dual = new MlpDualGram(new MlpBackward(net.Forward(x, T)));
        AssertClose(GramOfRows(j, c => scale[c], 1.0), dual.Ntk());
    }

    [Fact]
    public void BlocksSumToTheFisherDual()
    {
        var (net, x, j) = Setup("tanh", 31);
        var dual = new MlpDualGram(new MlpBackward(net.Forward(x, T)));
        var sum = new SymmetricMatrix(dual.Size);
        for (int l = 1; l <= net.Depth; l++)
        {
            var b = dual.Block(l);
            for (int i = 0; i < sum.Data.Length; i++) sum.Data[i] += b.Data[i];
        }
        AssertClose(GramOfRows(j, _ => 1, 1.0 / T), sum);
    }

    [Fact]
    public void MeanSubtractedDualEqualsCentredJacobianGram()
    {
        var (net, x, j) = Setup("tanh", 41);
        int C = net.Outputs, P = j.GetLength(1);
        var centred = (double[,])j.Clone();
        for (int k = 0; k < C; k++)
            for (int p = 0; p < P; p++)
            {
                double mean = 0;
                for (int t = 0; t < T; t++) mean += j[k * T + t, p] / T;
                for (int t = 0; t < T; t++) centred[k * T + t, p] -= mean;
            }
        var dual = new MlpDualGram(new MlpBackward(net.Forward(x, T)));
        AssertClose(GramOfRows(centred, _ => 1, 1.0 / T), MlpDualGram.MeanSubtract(dual.Fisher(), C, T));
    }

    [Fact]
    public void SoftmaxDualHasTheEigenvaluesOfTheExplicitCrossEntropyFisher()
    {
        var (net, x, j) = Setup("tanh", 51);
        int C = net.Outputs, P = j.GetLength(1);
        var fwd = net.Forward(x, T);
        var dual = new MlpDualGram(new MlpBackward(fwd));
        var (soft, g) = MlpDualGram.Softmax(dual.Fisher(), fwd.Outputs, C, T);
        // Explicit P×P F_cross = (1/T) Σ_t J_tᵀ (diag g_t − g_t g_tᵀ) J_t.
        var f = new SymmetricMatrix(P);
        for (int t = 0; t < T; t++)
            for (int a = 0; a < C; a++)
                for (int b = 0; b < C; b++)
                {
                    double q = (a == b ? g[t * C + a] : 0) - g[t * C + a] * g[t * C + b];
                    for (int p1 = 0; p1 < P; p1++)
                        for (int p2 = 0; p2 < P; p2++) f[p1, p2] += q * j[a * T + t, p1] * j[b * T + t, p2] / T;
                }
        var explicitEig = DenseSymmetricEigen.Eigenvalues(f).Reverse().Take(C * T).ToArray();
        var dualEig = DenseSymmetricEigen.Eigenvalues(soft).Reverse().ToArray();
        for (int i = 0; i < C * T; i++) Assert.True(Math.Abs(explicitEig[i] - dualEig[i]) <= 1e-7 * explicitEig[0], $"eigenvalue {i}: {explicitEig[i]} vs {dualEig[i]}");
        // Q·1 = 0 for every sample, so at most (C − 1)T eigenvalues are non-zero.
        Assert.True(Math.Abs(dualEig[(C - 1) * T]) <= 1e-9 * dualEig[0]);
    }

    [Fact]
    public void InputMetricDualEqualsInputJacobianGram()
    {
        var net = Mlp.Sample(new Tanh(), [4, 5, 6, 2], 1.7, 0.3, SeedSequence.FromSeed(61));
        var x = net.SampleInputs(T, SeedSequence.FromSeed(61));
        int C = net.Outputs, m0 = net.Widths[0];
        var gx = new double[C * T, m0];
        const double h = 1e-5;
        for (int t = 0; t < T; t++)
            for (int i = 0; i < m0; i++)
            {
                double keep = x[t * m0 + i];
                x[t * m0 + i] = keep + h; var plus = net.Forward(x, T).Outputs;
                x[t * m0 + i] = keep - h; var minus = net.Forward(x, T).Outputs;
                x[t * m0 + i] = keep;
                for (int k = 0; k < C; k++) gx[k * T + t, i] = (plus[t * C + k] - minus[t * C + k]) / (2 * h);
            }
        var dual = new MlpDualGram(new MlpBackward(net.Forward(x, T)));
        AssertClose(GramOfRows(gx, _ => 1, 1.0 / T), dual.InputMetric());
    }

    [Fact]
    public void ForwardPassReportsNonFiniteValues()
    {
        var net = Mlp.Sample(new Linear(), [3, 4, 1], 1, 0, SeedSequence.FromSeed(1));
        var x = new double[] { 1, double.NaN, 0 };
        Assert.Throws<NumericalException>(() => net.Forward(x, 1));
    }

    /// <summary>Without the cache each layer's Δ_lΔ_lᵀ is formed into one reused array: every dual, built once or again, has the bits
    /// of the cached build.</summary>
    [Fact]
    public void TheUncachedDualsHaveTheBitsOfTheCachedOnes()
    {
        var net = Mlp.Sample(ActivationCatalog.Parse("tanh"), [30, 60, 50, 40, 3], 2.0, 0.2, SeedSequence.FromSeed(15));
        var back = new MlpBackward(net.Forward(net.SampleInputs(20, SeedSequence.FromSeed(15)), 20));
        var cached = new MlpDualGram(back);
        var uncached = new MlpDualGram(back, cacheDeltaGrams: false);
        Assert.Equal(cached.Fisher().Data, uncached.Fisher().Data);
        Assert.Equal(cached.Ntk().Data, uncached.Ntk().Data);
        Assert.Equal(cached.Block(2).Data, uncached.Block(2).Data);
        Assert.Equal(cached.Fisher().Data, uncached.Fisher().Data);
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.ShallowRelu;

public class TruncatedKernelBoundsTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 0)]
    [InlineData(3, 7)]
    [InlineData(5, 6)]
    public void MonomialFeaturesReproducePowersOfTheDotProduct(int d, int maxDegree)
    {
        var f = new MonomialFeatures(d, maxDegree);
        Assert.Equal(Enumerable.Range(0, maxDegree + 1).Sum(m => MonomialFeatures.CountOf(d, m)), f.Count);
        var rng = SeedSequence.FromSeed(d * 10 + maxDegree).CreateSampler();
        var w = new double[d]; var v = new double[d];
        rng.FillGaussian(w); rng.FillGaussian(v);
        var fw = new double[f.Count]; var fv = new double[f.Count]; var scratch = new double[f.Count];
        f.Evaluate(w, fw, scratch);
        f.Evaluate(v, fv, scratch);
        double t = w.Zip(v, (a, b) => a * b).Sum(), scale = Math.Sqrt(w.Sum(x => x * x) * v.Sum(x => x * x));
        for (int m = 0; m <= maxDegree; m++)
        {
            Assert.Equal(MonomialFeatures.CountOf(d, m), f.CountOfDegree(m));
            double dot = 0;
            for (int k = f.Offset(m); k < f.Offset(m) + f.CountOfDegree(m); k++)
            {
                int degree = 0;
                for (int l = 0; l < d; l++) degree += f.Exponent(k, l);
                Assert.Equal(m, degree);
                dot += fw[k] * fv[k];
            }
            Assert.True(Math.Abs(dot - Math.Pow(t, m)) <= 1e-13 * Math.Max(1, Math.Pow(scale, m)), $"degree {m}: {dot:R} vs {Math.Pow(t, m):R}");
        }
    }

    /// <summary>J_K = D_n(Σ_{m≤K} c_m T^{∘m})D_n entry by entry (the slow, independent route).</summary>
    private static SymmetricMatrix TruncatedDense(ShallowReluNetwork net, int order)
    {
        var kappa = KappaCoefficients.Default;
        int p = net.P;
        var j = new SymmetricMatrix(p);
        for (int i = 0; i < p; i++)
            for (int k = 0; k < p; k++)
            {
                double dot = 0;
                for (int l = 0; l < net.D; l++) dot += net.Weight(l, i) * net.Weight(l, k);
                double a = net.ColumnNorms[i] * net.ColumnNorms[k], t = dot / a, s = 0;
                for (int m = order; m >= 0; m--) s = s * t + kappa.C[m];
                j[i, k] = a * s;
            }
        return j;
    }

    [Theory]
    [InlineData(3, 300, 2)]
    [InlineData(3, 300, 8)]
    [InlineData(2, 250, 12)]
    [InlineData(5, 200, 4)]
    public void IntervalsContainTheDenseValuesAndTheTruncationIsExact(int d, int p, int order)
    {
        var net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed(100 * d + order));
        var t2 = Theorem2Decomposition.Compute(net);
        var units = t2.Directions.All.Select(v =>
        {
            double s = 1 / Math.Sqrt(v.Values.Sum(x => x * x));
            return v.Values.Select(x => x * s).ToArray();
        }).ToList();
        var bounds = TruncatedKernelBounds.Compute(net, order, units);
        Assert.Equal(TruncatedKernelBounds.RankOf(d, order), bounds.Rank);

        // The r × r Gram route gives the eigenvalues of the dense J_K.
        var truncated = DenseSymmetricEigen.Eigenvalues(TruncatedDense(net, order));
        for (int k = 0; k < Math.Min(bounds.Rank, p); k++)
            Assert.True(Math.Abs(bounds.TruncatedEigenvalues[k] - truncated[p - 1 - k]) <= 1e-12, $"λ{k + 1}(J_K): {bounds.TruncatedEigenvalues[k]:R} vs {truncated[p - 1 - k]:R}");

        // Every eigenvalue of J, ‖R‖₂ and every u J uᵀ lies in its interval.
        var eig = DenseSymmetricEigen.Eigenvalues(t2.J);
        for (int k = 1; k <= Math.Min(p, DirectionVectors.Count(d) + 10); k++)
        {
            var iv = bounds.Eigenvalue(k);
            Assert.True(iv.Lower <= eig[p - k] && eig[p - k] <= iv.Upper, $"λ{k} = {eig[p - k]:R} outside [{iv.Lower:R}, {iv.Upper:R}]");
        }
        double rNorm = DenseSymmetricEigen.Eigenvalues(t2.Remainder)[^1];
        Assert.True(bounds.TheoremTwoRemainderNorm.Lower <= rNorm && rNorm <= bounds.TheoremTwoRemainderNorm.Upper);
        var q = ReluKernelQuadraticForms.FromDense(t2.J, units);
        for (int a = 0; a < units.Count; a++)
        {
            var iv = bounds.Rayleigh(a);
            Assert.True(iv.Lower <= q[a, a] && q[a, a] <= iv.Upper, $"u{a} J u{a} = {q[a, a]:R} outside [{iv.Lower:R}, {iv.Upper:R}]");
        }
        // The remainder bound is no larger than the trace bound τ_K‖W‖_F²; the Schur bound L is λ_max(D_n T^{∘k} D_n) of the highest
        // degree k kept, up to its rounding allowance divided by c_k (checked densely, both ways, to 10⁻⁶ relative), and τ_K·L bounds ‖R_K‖ (checked densely).
        Assert.True(bounds.RemainderNormBound <= bounds.TailWeight * net.FrobeniusNormSquared() * (1 + 1e-15));
        double remainderNorm = DenseSymmetricEigen.Eigenvalues(Subtract(t2.J, TruncatedDense(net, order)))[^1];
        Assert.True(bounds.RemainderNormBound >= remainderNorm - 1e-12);
        Assert.True(bounds.TailWeight * bounds.SchurBound >= remainderNorm - 1e-12, $"τ·L = {bounds.TailWeight * bounds.SchurBound:R} < ‖R_K‖ = {remainderNorm:R}");
        int top = Enumerable.Range(0, order + 1).Last(m => KappaCoefficients.Default.C[m] > 0);
        double schur = DenseSymmetricEigen.Eigenvalues(WeightedHadamardPower(net, top))[^1];
        Assert.True(bounds.SchurBound >= schur && bounds.SchurBound <= schur * (1 + 1e-6), $"L = {bounds.SchurBound:R} vs λ_max(D T^∘{top} D) = {schur:R}");
    }

    /// <summary>D_n T^{∘k} D_n entry by entry: n_i n_j (ŵ_i·ŵ_j)^k.</summary>
    private static SymmetricMatrix WeightedHadamardPower(ShallowReluNetwork net, int k)
    {
        var m = new SymmetricMatrix(net.P);
        for (int i = 0; i < net.P; i++)
            for (int j = 0; j < net.P; j++)
            {
                double dot = 0;
                for (int l = 0; l < net.D; l++) dot += net.Weight(l, i) * net.Weight(l, j);
                double a = net.ColumnNorms[i] * net.ColumnNorms[j];
                m[i, j] = a * Math.Pow(dot / a, k);
            }
        return m;
    }

    private static SymmetricMatrix Subtract(SymmetricMatrix a, SymmetricMatrix b)
    {
        var c = new SymmetricMatrix(a.N);
        for (int e = 0; e < c.Data.Length; e++) c.Data[e] = a.Data[e] - b.Data[e];
        return c;
    }

    [Fact]
    public void HigherOrderNarrowsTheIntervals()
    {
        var net = ShallowReluNetwork.Sample(3, 400, SeedSequence.FromSeed(77));
        double[] widths = new[] { 2, 4, 8, 12 }.Select(k => TruncatedKernelBounds.Compute(net, k, []).RemainderNormBound).ToArray();
        for (int k = 1; k < widths.Length; k++) Assert.True(widths[k] < widths[k - 1], string.Join(", ", widths));
        Assert.True(widths[^1] < 0.05 * widths[0], string.Join(", ", widths)); // the tail weight falls off like K^(−3/2)
    }

    [Fact]
    public void TheDefaultOrderKeepsTheWorkWithinBudget()
    {
        Assert.Equal(6, TruncatedKernelBounds.DefaultOrder(3, 100_000));   // r = 53: τ_6 = 0.0026 is enough
        Assert.Equal(98, TruncatedKernelBounds.RankOf(3, 8));
        Assert.Equal(53, TruncatedKernelBounds.RankOf(3, 6));
        Assert.True(KappaCoefficients.Default.TailFrom(7) <= TruncatedKernelBounds.SufficientTailWeight);
        Assert.True(KappaCoefficients.Default.TailFrom(5) > TruncatedKernelBounds.SufficientTailWeight);
        Assert.Equal(4, TruncatedKernelBounds.DefaultOrder(5, 100_000));   // r = 91: K = 6 (r = 301) is over the budget
        Assert.Equal(2, TruncatedKernelBounds.DefaultOrder(30, 100_000));
        Assert.Equal(6, TruncatedKernelBounds.DefaultOrder(3, 2500));
        Assert.Equal(4, TruncatedKernelBounds.DefaultOrder(3, 100));      // r = 25 ≤ p/4; K = 6 (r = 53) is not
    }

    [Fact]
    public void CertaintyOfInequalitiesFromIntervals()
    {
        var iv = new CertifiedInterval(1, 2);
        Assert.Equal(Certainty.Holds, iv.AtLeast(1));
        Assert.Equal(Certainty.Fails, iv.AtLeast(2.5));
        Assert.Equal(Certainty.Undecided, iv.AtLeast(1.5));
        Assert.Equal(Certainty.Holds, iv.Exceeds(new CertifiedInterval(0, 0.9)));
        Assert.Equal(Certainty.Fails, iv.Exceeds(new CertifiedInterval(2, 3)));
        Assert.Equal(Certainty.Undecided, iv.Exceeds(new CertifiedInterval(1.5, 3)));
        Assert.Equal(Certainty.Fails, CertifiedInterval.All([Certainty.Holds, Certainty.Undecided, Certainty.Fails]));
        Assert.Equal(Certainty.Undecided, CertifiedInterval.All([Certainty.Holds, Certainty.Undecided]));
        Assert.Throws<NumericalException>(() => new CertifiedInterval(2, 1).Validated());
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.ShallowRelu;

public class Theorem2TailCheckTests
{
    private static readonly Theorem2Decomposition T2 = Theorem2Decomposition.Compute(ShallowReluNetwork.Sample(3, 150, SeedSequence.FromSeed(31)));

    [Fact]
    public void TheTrueTailPassesEveryCheckAndTheSharpChecksCoverAllEntries()
    {
        var m = Theorem2Check.Measure(T2.Network);
        Assert.All(Theorem2Check.Verdicts(m), v => Assert.Equal(Verdict.Pass, v.Verdict));
        // For d = 3 the cosine of two random directions is uniform on [−1, 1]: about 90% of the p(p − 1) entries are inner.
        Assert.InRange(m.InnerEntries, (long)(0.85 * 150 * 149), (long)(0.95 * 150 * 149));
        Assert.Equal(150L * 149, m.InnerEntries + m.NearOneEntries);
        // The sharp checks have margin (unlike the all-entries ratio, which sits just below 1 by construction near |t| = 1).
        Assert.True(m.InnerSeriesTailDiscrepancy < 0.5 && m.NearOneTailDiscrepancy < 0.5, $"{m.InnerSeriesTailDiscrepancy}, {m.NearOneTailDiscrepancy}");
        Assert.True(m.SeriesTailDiscrepancy > 0.99, $"all-entries ratio {m.SeriesTailDiscrepancy}");
    }

    [Fact]
    public void AtLargeDTheDiagonalSumIsJudgedAgainstItsRoundingNotAFixedFloor()
    {
        // d = 300: the d diagonal vectors sum to 1.6e-14·max n_i in floating point, above the former fixed 1e-14 (which
        // refused the true identity) and well inside the rounding allowance 4(d + 1)u ≈ 1.3e-13.
        var m = Theorem2Check.Measure(300, 300, 1);
        Assert.True(m.MaxDiagonalVectorSum > 1e-14, $"this network no longer exercises the large-d rounding ({m.MaxDiagonalVectorSum:R})");
        Assert.All(Theorem2Check.Verdicts(m), v => Assert.Equal(Verdict.Pass, v.Verdict));
        // A wrong diagonal vector is O(1) off, far above the allowance at any d the command accepts.
        Assert.True(Theorem2Check.DiagonalSumTolerance(100_000) < 1e-10);
    }

    [Theory]
    [InlineData(4, 1e-8)]     // c₄ off in its eighth digit
    [InlineData(120, 0.5)]    // a coefficient far beyond the order-81 check, half again too large
    public void AWrongTailCoefficientIsCaughtByTheSharpSeriesCheck(int m, double relative)
    {
        var c = (double[])KappaCoefficients.High.C.Clone();
        c[m] *= 1 + relative;
        var sharp = Theorem2Decomposition.SeriesTailDiscrepancy(T2.Network, T2.Remainder, new KappaCoefficients(c), Theorem2Check.InnerCosine);
        Assert.True(sharp.Worst > 1, $"sharp check ratio {sharp.Worst} with c_{m} off by {relative}");
    }

    [Fact]
    public void AnErrorInRNearOneIsCaughtByTheClosedFormCheckButHiddenByTheTruncationBound()
    {
        // R too small by 1e-6·n_i n_j on the entries with t > 0.99 (as a wrong κ branch near t = 1 would make it): within the order-81
        // truncation bound there (the tail itself, ≈ 6e-5), far above rounding.
        var corrupted = new SymmetricMatrix(T2.Remainder.N, (double[])T2.Remainder.Data.Clone());
        var net = T2.Network;
        int hits = 0;
        for (int i = 0; i < net.P; i++)
            for (int k = 0; k < net.P; k++)
            {
                double dot = 0;
                for (int l = 0; l < net.D; l++) dot += net.Weight(l, i) * net.Weight(l, k);
                double a = net.ColumnNorms[i] * net.ColumnNorms[k];
                if (i != k && dot / a > 0.99) { corrupted[i, k] -= 1e-6 * a; hits++; }
            }
        Assert.True(hits > 100, $"{hits} entries");
        double closedForm = Theorem2Decomposition.ClosedFormTailDiscrepancy(net, corrupted, T2.Kappa, Theorem2Check.InnerCosine).Worst;
        double truncated = Theorem2Decomposition.SeriesTailDiscrepancy(net, corrupted, T2.Kappa, 1.0).Worst;
        Assert.True(closedForm > 1 && truncated <= 1, $"closed form {closedForm}, truncated series {truncated} (τ = {T2.Kappa.TailFrom(T2.Kappa.Order):E3})");
    }
}

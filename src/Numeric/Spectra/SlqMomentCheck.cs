using FimVerify.Numeric.LinearAlgebra;
using MathNet.Numerics.Distributions;

namespace FimVerify.Numeric.Spectra;

/// <summary>The comparison of one SLQ moment with its exact value tr(A^k)/n.</summary>
/// <param name="StandardError">The sample standard error over the probes (reported, not used in the decision).</param>
/// <param name="NullStandardError">The exact standard error of the mean when the moment is right, from the matrix.</param>
/// <param name="Z">(estimate − exact) / NullStandardError.</param>
public sealed record MomentComparison(int Power, double Estimate, double StandardError, double NullStandardError, double Exact, double Z, bool Consistent);

/// <summary>
/// Decision rule for "SLQ moments match tr(A^k)/n". For k = 1..4 the per-probe quadrature moments vᵀA^k v
/// (v = z/‖z‖; Gauss quadrature with m ≥ 3 steps is exact to degree 5) are i.i.d. with mean tr(A^k)/n and a
/// variance known exactly from the matrix B = A^k: Rademacher z gives (2/n²)(‖B‖_F² − Σ B_ii²), Gaussian z
/// (v uniform on the sphere) gives 2/(n+2)·(tr(B²)/n − (tr B/n)²). The mean of K probes is compared with
/// |Z_k| ≤ z_{1−α/8} (two-sided, Bonferroni over the 4 random moments; family-wise false-alarm rate α under
/// the CLT). The exact null variance matters: the Hutchinson samples of a Fisher are strongly skewed (a few
/// large eigenvalues), and a t-statistic with the sample SE of 20 probes raises false alarms far above α
/// (seen on Fashion-MNIST: sample SE 0.34 where the true one is 1.4). k = 0 is not random (each rule's weights
/// sum to 1) and is held to 1e-10: it catches squared weights.
/// </summary>
public static class SlqMomentCheck
{
    public static IReadOnlyList<MomentComparison> Compare(SlqResult slq, SymmetricMatrix matrix, double familyWiseAlpha)
    {
        if (slq.Rules.Count < 2) throw new ArgumentException("a moment check needs at least 2 probes");
        int n = matrix.N, probes = slq.Rules.Count;
        double threshold = Threshold(familyWiseAlpha);
        var result = new List<MomentComparison>();
        double worstWeight = slq.Rules.Max(r => Math.Abs(r.TotalWeight - 1));
        result.Add(new MomentComparison(0, slq.Rules.Average(r => r.TotalWeight), 0, 0, 1, double.NaN, worstWeight <= 1e-10));
        var power = (double[])matrix.Data.Clone(); // B = A^k, by repeated products (n ≤ the exact limit)
        var next = new double[power.Length];
        for (int k = 1; k <= 4; k++)
        {
            if (k > 1)
            {
                Gemm.Multiply(Op.None, Op.None, n, n, n, 1, power, n, matrix.Data, n, 0, next, n);
                (power, next) = (next, power);
            }
            double trace = 0, frobenius2 = 0, diagonal2 = 0;
            for (int i = 0; i < n; i++) { double d = power[i * n + i]; trace += d; diagonal2 += d * d; }
            foreach (double x in power) frobenius2 += x * x;
            double exact = trace / n;
            double variance = slq.Settings.Distribution == ProbeDistribution.Rademacher
                ? 2.0 / ((double)n * n) * (frobenius2 - diagonal2)
                : 2.0 / (n + 2.0) * (frobenius2 / n - exact * exact);
            double nullSe = Math.Sqrt(Math.Max(variance, 0) / probes);
            var (mean, se) = HutchinsonTrace.MeanAndStandardError(slq.ProbeMoments(k));
            double z = nullSe > 0 ? (mean - exact) / nullSe : (Math.Abs(mean - exact) <= 1e-12 * Math.Abs(exact) ? 0 : double.PositiveInfinity);
            result.Add(new MomentComparison(k, mean, se, nullSe, exact, z, Math.Abs(z) <= threshold));
        }
        return result;
    }

    public static double Threshold(double familyWiseAlpha) => Normal.InvCDF(0, 1, 1 - familyWiseAlpha / 8);
}

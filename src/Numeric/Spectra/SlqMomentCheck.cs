using MathNet.Numerics.Distributions;

namespace FimVerify.Numeric.Spectra;

/// <summary>The comparison of one SLQ moment with its exact value tr(A^k)/n.</summary>
public sealed record MomentComparison(int Power, double Estimate, double StandardError, double Exact, double T, bool Consistent);

/// <summary>
/// Decision rule for "SLQ moments match tr(A^k)/n": for k = 1..4 the per-probe quadrature moments are i.i.d.
/// unbiased samples of tr(A^k)/n (Gauss quadrature with m ≥ 3 steps is exact for degree ≤ 5), so
/// t_k = (mean − exact)/SE is compared with the Student-t quantile of K − 1 degrees of freedom at level
/// α/(2·4) (two-sided, Bonferroni over the four random moments; family-wise false-alarm rate α).
/// k = 0 is not random (the weights of every rule sum to 1) and is held to 1e-10: it catches squared weights.
/// </summary>
public static class SlqMomentCheck
{
    public static IReadOnlyList<MomentComparison> Compare(SlqResult slq, IReadOnlyList<double> exactEigenvalues, double familyWiseAlpha)
    {
        if (slq.Rules.Count < 2) throw new ArgumentException("a moment check needs at least 2 probes");
        var exact = QuadratureRule.FromEigenvalues(exactEigenvalues);
        double threshold = Threshold(slq.Rules.Count, familyWiseAlpha);
        var result = new List<MomentComparison>();
        double total = slq.Rules.Average(r => r.TotalWeight);
        double worstWeight = slq.Rules.Max(r => Math.Abs(r.TotalWeight - 1));
        result.Add(new MomentComparison(0, total, 0, 1, double.NaN, worstWeight <= 1e-10));
        for (int k = 1; k <= 4; k++)
        {
            var (mean, se) = HutchinsonTrace.MeanAndStandardError(slq.ProbeMoments(k));
            double truth = exact.Moment(k);
            double t = (mean - truth) / se;
            result.Add(new MomentComparison(k, mean, se, truth, t, Math.Abs(t) <= threshold));
        }
        return result;
    }

    public static double Threshold(int probes, double familyWiseAlpha) => StudentT.InvCDF(0, 1, probes - 1, 1 - familyWiseAlpha / 8);
}

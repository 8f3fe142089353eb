using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Spectra;

/// <summary>The comparison of one SLQ moment with its exact value tr(A^k)/n.</summary>
/// <param name="StandardError">The sample standard error over the probes (reported, not used in the decision).</param>
/// <param name="NullStandardError">The exact standard error of the mean when the moment is right, from the matrix.</param>
/// <param name="Z">(estimate − exact) / NullStandardError (reported; the decision uses <paramref name="UpperDeviation"/> and <paramref name="LowerDeviation"/>).</param>
/// <param name="QuadratureError">max over probes of |Σ w τ^k − vᵀA^k v|/λ_max^k: the Gauss rule against the probe's own quadratic form.</param>
/// <param name="UpperDeviation">The finite-sample bound on estimate − exact at the moment's share of α (<see cref="QuadraticFormBounds"/>).</param>
/// <param name="LowerDeviation">The same for exact − estimate.</param>
public sealed record MomentComparison(int Power, double Estimate, double StandardError, double NullStandardError, double Exact, double Z, bool Consistent)
{
    public double QuadratureError { get; init; }
    public double UpperDeviation { get; init; }
    public double LowerDeviation { get; init; }

    /// <summary>The smallest relative error of the moment the probe average detects with probability about 0.9 (normal approximation for the power only).</summary>
    public double DetectableRelativeError => Exact > 0 ? (Math.Max(UpperDeviation, LowerDeviation) + 1.2816 * NullStandardError) / Exact : double.PositiveInfinity;
}

/// <summary>
/// Decision rule for "SLQ moments match tr(A^k)/n", k = 0 … 4, in two parts, neither leaning on a normal approximation:
/// <list type="number">
/// <item>Quadrature exactness, per probe (deterministic): Gauss quadrature with m Lanczos steps is exact to degree 2m − 1, so for
///   m ≥ 3 (or an earlier invariant subspace) the rule's moments equal the probe's own vᵀA^k v, k ≤ 5. Each probe is regenerated
///   from the run's seed and vᵀA^k v computed directly; |Σ w τ^k − vᵀA^k v| must be ≤ <see cref="QuadratureTolerance"/>·λ_max^k
///   (weights summing to 1 for k = 0). This catches squared weights, a wrong node, and runs with 2 steps (where the 4th moment
///   is off by ~10%).</item>
/// <item>The probe average (the probes' law, Hutchinson's unbiasedness): the mean of the K forms vᵀA^k v must lie within the
///   finite-sample bounds of <see cref="QuadraticFormBounds"/> around tr(A^k)/n, each tail of each of the 4 moments at α/8
///   (family-wise false-alarm rate α at every K). A normal-approximation z-test with the exact variance was used before; on these
///   skewed forms its tails are too light at K = 20 (the mean of 20 χ²₁-like forms exceeds 3.66 σ about 16 times more often
///   than the normal tail says).</item>
/// </list>
/// </summary>
public static class SlqMomentCheck
{
    /// <summary>Relative agreement of a rule's moment with the probe's quadratic form (rounding of full-reorthogonalised Lanczos is ~1e-13).</summary>
    public const double QuadratureTolerance = 1e-9;

    /// <summary>The fewest Lanczos steps for which the rule is exact to degree 5 ≥ 4 (2m − 1 ≥ 4).</summary>
    public const int MinimumSteps = 3;

    public static IReadOnlyList<MomentComparison> Compare(SlqResult slq, SymmetricMatrix matrix, IReadOnlyList<double> eigenvalues, double familyWiseAlpha)
    {
        if (slq.Rules.Count < 2) throw new ArgumentException("a moment check needs at least 2 probes");
        var seed = slq.Seed ?? throw new ArgumentException("the moment check regenerates the probes: the SLQ result must carry its seed");
        int n = matrix.N, probes = slq.Rules.Count;
        if (eigenvalues.Count != n) throw new ArgumentException("the eigenvalues must be the matrix's");
        double top = eigenvalues.Max(Math.Abs);
        // Each probe's own forms vᵀA^k v, k = 1..4, from v, Av, A²v: vᵀAv, ‖Av‖², (Av)ᵀA²v, ‖A²v‖².
        var direct = new double[probes, 5];
        Parallel.For(0, probes, k =>
        {
            var z = ProbeVectors.Draw(slq.Settings.Distribution, n, seed.Child("slq-probe"), k);
            double norm = Math.Sqrt(Kernels.Dot.Product(z, z));
            for (int i = 0; i < n; i++) z[i] /= norm;
            var a1 = new double[n]; var a2 = new double[n];
            for (int i = 0; i < n; i++) a1[i] = Kernels.Dot.Product(matrix.Row(i), z);
            for (int i = 0; i < n; i++) a2[i] = Kernels.Dot.Product(matrix.Row(i), a1);
            direct[k, 0] = 1;
            direct[k, 1] = Kernels.Dot.Product(z, a1);
            direct[k, 2] = Kernels.Dot.Product(a1, a1);
            direct[k, 3] = Kernels.Dot.Product(a1, a2);
            direct[k, 4] = Kernels.Dot.Product(a2, a2);
        });
        var result = new List<MomentComparison>();
        double QuadratureError(int power) => Enumerable.Range(0, probes)
            .Max(k => Math.Abs(slq.Rules[k].Moment(power) - direct[k, power]) / Math.Pow(Math.Max(top, double.Epsilon), power));
        double weightError = slq.Rules.Max(r => Math.Abs(r.TotalWeight - 1));
        result.Add(new MomentComparison(0, slq.Rules.Average(r => r.TotalWeight), 0, 0, 1, double.NaN, weightError <= 1e-10) { QuadratureError = weightError });
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
            double variance = Math.Max(0, slq.Settings.Distribution == ProbeDistribution.Rademacher
                ? 2.0 / ((double)n * n) * (frobenius2 - diagonal2)
                : 2.0 / (n + 2.0) * (frobenius2 / n - exact * exact));
            double nullSe = Math.Sqrt(variance / probes);
            int kk = k;
            var (upper, lower) = QuadraticFormBounds.Deviations(eigenvalues.Select(l => Math.Pow(l, kk)).ToArray(), n, probes, variance, familyWiseAlpha / 8,
                slq.Settings.Distribution);
            var (mean, se) = HutchinsonTrace.MeanAndStandardError(slq.ProbeMoments(k));
            double z = nullSe > 0 ? (mean - exact) / nullSe : (Math.Abs(mean - exact) <= 1e-12 * Math.Abs(exact) ? 0 : double.PositiveInfinity);
            double quadrature = QuadratureError(k);
            // The rounding allowance of the average covers the forms' own rounding (1e-12 relative).
            double allowance = 1e-12 * Math.Abs(exact);
            bool consistent = quadrature <= QuadratureTolerance && mean - exact <= upper + allowance && exact - mean <= lower + allowance;
            result.Add(new MomentComparison(k, mean, se, nullSe, exact, z, consistent) { QuadratureError = quadrature, UpperDeviation = upper, LowerDeviation = lower });
        }
        return result;
    }
}

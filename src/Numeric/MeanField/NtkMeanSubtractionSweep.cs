using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// One width of the NTK mean-subtraction sweep: the trial means of λ̄(Θ̄) (mean of the top C eigenvalues of the mean-subtracted
/// NTK) at the smaller and the larger T, and of λ̄(Θ) (no mean subtraction) at both.
/// </summary>
public sealed record NtkMeanSubtractionRow(int Width, double SmallTBar, double LargeTBar, double SmallTNtk, double LargeTNtk)
{
    /// <summary>λ̄(Θ̄, large T)/λ̄(Θ̄, small T) − 1: what is left of the T-dependence.</summary>
    public double TDependence => LargeTBar / SmallTBar - 1;

    /// <summary>λ̄(Θ, large T)/λ̄(Θ, small T): without mean subtraction λ_max grows like κ′₁ + (T−1)κ′₂.</summary>
    public double NtkGrowth => LargeTNtk / SmallTNtk;
}

public sealed record NtkMeanSubtractionResult(int SmallT, int LargeT, double Predicted, double PredictedNtkGrowth,
    IReadOnlyList<NtkMeanSubtractionRow> Rows, IReadOnlyList<MeanSubtractionClaim> Claims)
{
    public bool AllHold => Claims.All(c => c.Holds);
}

/// <summary>
/// MATH.md §2: with mean subtraction in the last layer the NTK's spectrum no longer depends on M or T. The derived leading dual
/// is (κ′₁ − κ′₂) I_C ⊗ Π (<see cref="Predictions.NtkMeanSubtracted"/>), so λ_max(Θ̄) → κ′₁ − κ′₂ at every T, while Θ's own
/// λ_max = κ′₁ + (T−1)κ′₂ grows with T. At finite M the top C sit on the edge of the C(T−1)-fold bulk, about √(T/M) above it, so
/// the claim is a trend. Rules (deterministic with the fixed seeds): (1, 2) for each T the excess d(M) = λ̄(Θ̄)/(κ′₁ − κ′₂) − 1 has
/// a least-squares exponent on M ≤ −0.25 and d(largest M) &lt; d(smallest M); (3) the T-dependence g(M) = λ̄(Θ̄, large T)/λ̄(Θ̄,
/// small T) − 1 has a negative exponent and g(largest M) &lt; g(smallest M); (4) without mean subtraction λ̄(Θ, large T)/λ̄(Θ,
/// small T) exceeds half its predicted value at every M. Trial k at width M and T draws from seed/"ntk-mean-subtraction"/M/T/k.
/// </summary>
public static class NtkMeanSubtractionSweep
{
    /// <summary>The sweep and its decisions; <paramref name="progress"/> counts the networks.</summary>
    public static NtkMeanSubtractionResult Run(IActivation activation, NetworkShape shape, IReadOnlyList<int> widths, int smallT, int largeT,
        int outputs, int trials, SeedSequence seed, IProgress<ProgressStep>? progress = null)
    {
        if (widths.Count < 2) throw new ArgumentException("a trend needs at least two widths");
        if (trials < 1) throw new ArgumentException("at least one trial is needed");
        if (smallT < 2 || largeT <= smallT) throw new ArgumentException("two sample counts 2 ≤ small T < large T are needed");
        var op = OrderParameters.Compute(GaussianKernels.For(activation), shape);
        double predicted = new Predictions(op, widths[0], smallT, outputs).NtkMeanSubtracted().LambdaMax;
        double predictedGrowth = new Predictions(op, widths[0], largeT, outputs).Ntk().LambdaMax / new Predictions(op, widths[0], smallT, outputs).Ntk().LambdaMax;
        var counter = new ProgressCounter(progress, $"NTK mean-subtraction networks ({activation.Name}, L = {shape.Depth}) at M = {string.Join(", ", widths.Order())}",
            (long)widths.Count * 2 * trials);
        var rows = new List<NtkMeanSubtractionRow>();
        foreach (int m in widths.Order())
        {
            (double Bar, double Ntk) At(int t)
            {
                double bar = 0, ntk = 0;
                for (int k = 0; k < trials; k++)
                {
                    var dual = FimSpectrumExperiment.Dual(activation, shape, m, t, outputs, seed.Child("ntk-mean-subtraction").Child(m).Child(t).Child(k));
                    bar += FimSpectrumExperiment.Spectra(dual, FimVariant.NtkMeanSubtracted)[0].Statistics(outputs).LambdaMax;
                    ntk += FimSpectrumExperiment.Spectra(dual, FimVariant.Ntk)[0].Statistics(outputs).LambdaMax;
                    counter.Advance();
                }
                return (bar / trials, ntk / trials);
            }
            var (small, large) = (At(smallT), At(largeT));
            rows.Add(new NtkMeanSubtractionRow(m, small.Bar, large.Bar, small.Ntk, large.Ntk));
        }

        var xs = rows.Select(r => (double)r.Width).ToArray();
        string List(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)));
        string F(double x) => x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        var claims = new List<MeanSubtractionClaim>();
        foreach (var (t, pick) in new (int, Func<NtkMeanSubtractionRow, double>)[] { (smallT, r => r.SmallTBar), (largeT, r => r.LargeTBar) })
        {
            var excess = rows.Select(r => pick(r) / predicted - 1).ToArray();
            double slope = WidthSweep.LogLogSlope(xs, excess);
            claims.Add(new($"λ_max(Θ̄) → κ′₁ − κ′₂ at T = {t}", "excess over κ′₁ − κ′₂: exponent on M ≤ −0.25, smaller at the largest M",
                slope <= -0.25 && excess[^1] < excess[0], $"excess {List(excess)}; exponent {F(slope)}"));
        }
        var g = rows.Select(r => r.TDependence).ToArray();
        double gSlope = WidthSweep.LogLogSlope(xs, g);
        claims.Add(new($"λ_max(Θ̄) loses its T-dependence (T = {smallT} vs {largeT})", "λ̄(Θ̄, large T)/λ̄(Θ̄, small T) − 1: negative exponent on M, smaller at the largest M",
            gSlope < 0 && g[^1] < g[0], $"{List(g)}; exponent {F(gSlope)}"));
        var growth = rows.Select(r => r.NtkGrowth).ToArray();
        claims.Add(new("without mean subtraction λ_max(Θ) grows with T", $"λ̄(Θ, large T)/λ̄(Θ, small T) > half its prediction {F(predictedGrowth)} at every M",
            growth.All(x => x > predictedGrowth / 2), List(growth)));
        return new NtkMeanSubtractionResult(smallT, largeT, predicted, predictedGrowth, rows, claims);
    }
}

using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Operators;

/// <summary>
/// The per-input C×C matrices H_n in logit space that turn a Jacobian J_n into a Fisher term J_nᵀ H_n J_n.
/// All three Fishers of a softmax classifier have this form: with r = p − e_y the gradient of −log p_y
/// with respect to the logits, the exact Fisher uses E_y~p[r rᵀ] = diag(p) − p pᵀ, the Monte Carlo one
/// averages r rᵀ over m sampled labels, the empirical one takes the data label. Each H_n is kept as the sum
/// Σ_k f_k f_kᵀ of <see cref="Rank"/> factors — √p_y (p − e_y) for every class y (exact), (p − e_y)/√m for the
/// sampled labels (MC), p − e_y (empirical) — which is what K-FAC's output factors are built from.
/// </summary>
public sealed class OutputCurvature
{
    private readonly double[] _factors; // count × rank × C
    private readonly double[] _h;       // count × C × C, row-major per input

    public int Count { get; }
    public int Classes { get; }

    /// <summary>Factors per input: C (exact), m (MC), 1 (empirical).</summary>
    public int Rank { get; }

    private OutputCurvature(int count, int classes, int rank)
    {
        Count = count; Classes = classes; Rank = rank;
        _factors = new double[checked(count * rank * classes)];
        _h = new double[checked(count * classes * classes)];
    }

    public ReadOnlySpan<double> Matrix(int n) => _h.AsSpan(n * Classes * Classes, Classes * Classes);

    /// <summary>All factors, row n·Rank + k holding factor k of input n (C entries): (count·Rank) × C.</summary>
    public ReadOnlySpan<double> Factors => _factors;

    /// <summary>The curvature of one of the three Fishers (MC labels of input n from seed.Child("fisher-mc-labels").Child(n)).</summary>
    public static OutputCurvature For(FisherKind kind, ReadOnlySpan<double> probabilities, int classes, ReadOnlySpan<int> labels, int monteCarloSamples, SeedSequence seed) => kind switch
    {
        FisherKind.Exact => Exact(probabilities, classes),
        FisherKind.MonteCarlo => MonteCarlo(probabilities, classes, monteCarloSamples, seed.Child("fisher-mc-labels")),
        FisherKind.Empirical => Empirical(probabilities, classes, labels),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"{kind} has no output curvature of its own"),
    };

    public static OutputCurvature Exact(ReadOnlySpan<double> probabilities, int classes)
    {
        var h = new OutputCurvature(CountOf(probabilities, classes), classes, classes);
        for (int n = 0; n < h.Count; n++)
        {
            var p = probabilities.Slice(n * classes, classes);
            for (int y = 0; y < classes; y++) h.SetResidual(n, y, p, y, Math.Sqrt(p[y]));
        }
        return h.Completed();
    }

    /// <summary>
    /// m labels per input drawn from the model's probabilities; input n draws from seed.Child(n), so the
    /// operator is one fixed matrix and the same whatever the batch split or thread count.
    /// </summary>
    public static OutputCurvature MonteCarlo(ReadOnlySpan<double> probabilities, int classes, int samplesPerInput, SeedSequence seed)
    {
        if (samplesPerInput < 1) throw new ArgumentException("the Monte Carlo Fisher needs at least one sampled label per input");
        var h = new OutputCurvature(CountOf(probabilities, classes), classes, samplesPerInput);
        double weight = 1 / Math.Sqrt(samplesPerInput);
        for (int n = 0; n < h.Count; n++)
        {
            var p = probabilities.Slice(n * classes, classes);
            var sampler = seed.Child(n).CreateSampler();
            for (int s = 0; s < samplesPerInput; s++) h.SetResidual(n, s, p, SampleCategorical(p, sampler.NextUniform()), weight);
        }
        return h.Completed();
    }

    public static OutputCurvature Empirical(ReadOnlySpan<double> probabilities, int classes, ReadOnlySpan<int> labels)
    {
        var h = new OutputCurvature(CountOf(probabilities, classes), classes, 1);
        if (labels.Length != h.Count) throw new ArgumentException($"expected {h.Count} labels, got {labels.Length}");
        for (int n = 0; n < h.Count; n++)
        {
            if ((uint)labels[n] >= (uint)classes) throw new ArgumentException($"label {labels[n]} of input {n} is not a class index");
            h.SetResidual(n, 0, probabilities.Slice(n * classes, classes), labels[n], 1.0);
        }
        return h.Completed();
    }

    /// <summary>
    /// destination_r ← H_n · source_r for every row r = n·directions + k of a (count·directions) × C table (input n,
    /// direction k), the layout of <see cref="Classifiers.SoftmaxClassifier"/>'s batched Jacobian products.
    /// </summary>
    public void Apply(ReadOnlySpan<double> source, Span<double> destination, int directions = 1)
    {
        int c = Classes;
        if (directions < 1 || source.Length != (long)Count * directions * c || destination.Length != source.Length)
            throw new ArgumentException($"expected {Count}·{directions} rows of {c} logits");
        for (int r = 0; r < Count * directions; r++)
        {
            var m = Matrix(r / directions);
            var u = source.Slice(r * c, c);
            var d = destination.Slice(r * c, c);
            for (int i = 0; i < c; i++)
            {
                double s = 0;
                for (int j = 0; j < c; j++) s += m[i * c + j] * u[j];
                d[i] = s;
            }
        }
    }

    /// <summary>Factor k of input n ← weight · (p − e_label).</summary>
    private void SetResidual(int n, int k, ReadOnlySpan<double> p, int label, double weight)
    {
        var f = _factors.AsSpan((n * Rank + k) * Classes, Classes);
        for (int i = 0; i < Classes; i++) f[i] = weight * (p[i] - (i == label ? 1 : 0));
    }

    /// <summary>H_n = Σ_k f_k f_kᵀ from the factors.</summary>
    private OutputCurvature Completed()
    {
        int c = Classes;
        for (int n = 0; n < Count; n++)
        {
            var m = _h.AsSpan(n * c * c, c * c);
            for (int k = 0; k < Rank; k++)
            {
                var f = _factors.AsSpan((n * Rank + k) * c, c);
                for (int i = 0; i < c; i++)
                    for (int j = 0; j < c; j++) m[i * c + j] += f[i] * f[j];
            }
        }
        return this;
    }

    /// <summary>Inverse-CDF draw of a class from probabilities p with a uniform u ∈ [0, 1).</summary>
    public static int SampleCategorical(ReadOnlySpan<double> p, double u)
    {
        double cumulative = 0;
        for (int j = 0; j < p.Length; j++)
        {
            cumulative += p[j];
            if (u < cumulative) return j;
        }
        return p.Length - 1; // rounding left the cumulative sum just under 1
    }

    private static int CountOf(ReadOnlySpan<double> probabilities, int classes)
    {
        if (classes < 2 || probabilities.Length == 0 || probabilities.Length % classes != 0)
            throw new ArgumentException("probabilities must be a non-empty count × classes table");
        return probabilities.Length / classes;
    }
}

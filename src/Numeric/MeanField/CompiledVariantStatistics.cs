using System.Collections.Concurrent;
using FimVerify.Symbolic;
using Microsoft.FSharp.Collections;

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// The variant predictions as derived by the symbolic layer (<see cref="MeanFieldVariantStatistics"/>,
/// <see cref="SoftmaxStatistics"/>): the regression bulk eigenvalue, mean subtraction, the diagonal blocks F_ll, the
/// input metric A⁰ and softmax's m, s and outlier scale. Each is derived and compiled once per process on first use
/// (the blocks once per depth and layer), so a command pays only for the variant it evaluates.
/// </summary>
public static class CompiledVariantStatistics
{
    /// <summary>m, s, λ_max compiled into one delegate (one dynamic method to JIT rather than three).</summary>
    private sealed record Compiled(Func<double[], double[]> Statistics)
    {
        public static Compiled Of(FSharpList<string> symbols, DualStatistics d) =>
            new(Compiler.compileMany(symbols, ListModule.OfArray([d.Mean, d.SecondMoment, d.LambdaMax])));

        public EigenvalueStatistics At(double[] x)
        {
            var v = Statistics(x);
            return new(v[0], v[1], v[2]);
        }
    }

    private sealed record SoftmaxForms(Func<double[], double[]> Moments, Func<double[], double> OutlierScale);

    private static readonly Lazy<Func<double[], double>> Bulk =
        new(() => Compiler.compile(MeanFieldStatistics.statisticsSymbols, MeanFieldVariantStatistics.bulk.Value));

    private static readonly Lazy<Compiled> MeanSubtractedForms =
        new(() => Compiled.Of(MeanFieldStatistics.statisticsSymbols, MeanFieldVariantStatistics.meanSubtracted.Value));

    private static readonly Lazy<Compiled> NtkMeanSubtractedForms =
        new(() => Compiled.Of(MeanFieldStatistics.ntkStatisticsSymbols, MeanFieldVariantStatistics.ntkMeanSubtracted.Value));

    private static readonly Lazy<Compiled> InputMetricForms =
        new(() => Compiled.Of(MeanFieldVariantStatistics.inputMetricSymbols, MeanFieldVariantStatistics.inputMetric.Value));

    private static readonly Lazy<SoftmaxForms> Softmax = new(() =>
    {
        var d = SoftmaxStatistics.derivation.Value;
        return new(Compiler.compileMany(SoftmaxStatistics.symbols, ListModule.OfArray([d.Mean, d.SecondMoment])),
                   Compiler.compile(MeanFieldStatistics.statisticsSymbols, d.OutlierScale));
    });

    // Keyed by depth, one lazy per layer (an int key, as the κ cache: a value-tuple key costs the first call its own JIT).
    private static readonly ConcurrentDictionary<int, Lazy<Compiled>[]> Blocks = new();

    private static double[] Regression(double kappa1, double kappa2, double alpha, int samples, int outputs, int width) =>
        [kappa1, kappa2, alpha, samples, outputs, width];

    /// <summary>The regression dual's C(T−1)-fold bulk eigenvalue (αM/T)(κ₁ − κ₂).</summary>
    public static double RegressionBulk(double kappa1, double kappa2, double alpha, int samples, int outputs, int width) =>
        Bulk.Value(Regression(kappa1, kappa2, alpha, samples, outputs, width));

    /// <summary>Mean subtraction: m, s, λ_max of the dual (αM/T)(κ₁ − κ₂) I_C ⊗ Π.</summary>
    public static EigenvalueStatistics MeanSubtracted(double kappa1, double kappa2, double alpha, int samples, int outputs, int width) =>
        MeanSubtractedForms.Value.At(Regression(kappa1, kappa2, alpha, samples, outputs, width));

    /// <summary>The NTK with mean subtraction: m, s, λ_max over the CT eigenvalues of (κ′₁ − κ′₂) I_C ⊗ Π.</summary>
    public static EigenvalueStatistics NtkMeanSubtracted(double ntkKappa1, double ntkKappa2, int samples, int outputs) =>
        NtkMeanSubtractedForms.Value.At([ntkKappa1, ntkKappa2, samples, outputs]);

    /// <summary>The diagonal block F_ll (l = 1…L), inputs in the order of <c>MeanFieldVariantStatistics.blockSymbols</c>.</summary>
    public static EigenvalueStatistics Block(OrderParameters op, int l, int samples, int outputs, int width)
    {
        int L = op.Depth;
        var forms = Blocks.GetOrAdd(L, depth => [.. Enumerable.Range(1, depth).Select(k => new Lazy<Compiled>(() =>
            Compiled.Of(MeanFieldVariantStatistics.blockSymbols(depth, k), MeanFieldVariantStatistics.block(depth, k))))])[l - 1].Value;
        double[] hat = [op.QHat1[l - 1], op.QHat2[l - 1], op.QTilde1[l], op.QTilde2[l], samples, outputs, width];
        double[] x = l < L ? [op.Shape.WidthRatios[l - 1], op.Shape.WidthRatios[l], .. hat] : [op.Shape.WidthRatios[l - 1], .. hat];
        return forms.At(x);
    }

    /// <summary>The input metric A⁰, inputs in the order of <c>MeanFieldVariantStatistics.inputMetricSymbols</c>.</summary>
    public static EigenvalueStatistics InputMetric(OrderParameters op, int samples, int outputs, int width) =>
        InputMetricForms.Value.At([op.Shape.SigmaW2, op.QTilde1[1], op.QTilde2[1], op.Shape.WidthRatios[0], samples, outputs, width]);

    /// <summary>Softmax m and s from the measured Q statistics (mean_t tr Q_t, mean_t tr Q_t², tr Q̄²).</summary>
    public static (double Mean, double SecondMoment) SoftmaxMoments(double kappa1, double kappa2, double alpha, int samples, int outputs, int width,
        double meanTrace, double meanTraceOfSquare, double traceOfMeanSquared)
    {
        double[] x = [kappa1, kappa2, alpha, samples, outputs, width, meanTrace, meanTraceOfSquare, traceOfMeanSquared];
        var v = Softmax.Value.Moments(x);
        return (v[0], v[1]);
    }

    /// <summary>The scale of softmax's outliers: the j-th is this times the j-th eigenvalue of Q̄.</summary>
    public static double SoftmaxOutlierScale(double kappa1, double kappa2, double alpha, int samples, int outputs, int width) =>
        Softmax.Value.OutlierScale(Regression(kappa1, kappa2, alpha, samples, outputs, width));
}

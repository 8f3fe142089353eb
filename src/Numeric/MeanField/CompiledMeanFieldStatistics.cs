using System.Collections.Concurrent;
using FimVerify.Symbolic;
using Microsoft.FSharp.Collections;

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// κ₁, κ₂, κ′₁, κ′₂ and Theorem 3.1's m_λ, s_λ, λ_max as derived by the symbolic layer
/// (<see cref="MeanFieldStatistics"/>), made evaluable once (the κ's once per depth) and evaluated here. A process evaluates
/// them a handful of times, so they are walked as trees (<c>Compiler.evaluator</c>, bit-identical to the compiled delegates)
/// rather than compiled: ten LINQ compilations cost about 20 ms of start-up.
/// </summary>
public static class CompiledMeanFieldStatistics
{
    private sealed record Kappas(Func<double[], double> Kappa1, Func<double[], double> Kappa2, Func<double[], double> Ntk1, Func<double[], double> Ntk2);

    private sealed record Statistics(Func<double[], double> Mean, Func<double[], double> Second, Func<double[], double> LambdaMax,
        Func<double[], double> NtkMean, Func<double[], double> NtkSecond, Func<double[], double> NtkLambdaMax);

    private static readonly ConcurrentDictionary<int, Lazy<Kappas>> ByDepth = new();

    private static readonly Lazy<Statistics> Stats = new(() =>
    {
        var d = MeanFieldStatistics.cachedSpectrumForms.Value; // sums over the dual's spectrum, in κ (independent of the depth)
        Func<double[], double> R(Expression x) => Compiler.evaluator(MeanFieldStatistics.statisticsSymbols, x);
        Func<double[], double> N(Expression x) => Compiler.evaluator(MeanFieldStatistics.ntkStatisticsSymbols, x);
        return new(R(d.Mean), R(d.SecondMoment), R(d.LambdaMax), N(d.NtkMean), N(d.NtkSecondMoment), N(d.NtkLambdaMax));
    });

    private static Kappas For(int depth) => ByDepth.GetOrAdd(depth, l => new Lazy<Kappas>(() =>
    {
        var d = MeanFieldStatistics.forDepth(l); // from the derivation cache when it has this depth (checked)
        return new(Compiler.evaluator(MeanFieldStatistics.kappaSymbols(l, 1), d.Kappa1), Compiler.evaluator(MeanFieldStatistics.kappaSymbols(l, 2), d.Kappa2),
                   Compiler.evaluator(MeanFieldStatistics.ntkKappaSymbols(l, 1), d.NtkKappa1), Compiler.evaluator(MeanFieldStatistics.ntkKappaSymbols(l, 2), d.NtkKappa2));
    })).Value;

    /// <summary>κ_i (i = 1, 2) = Σ_l (α_{l−1}/α) q̂^{l−1}_i q̃^l_i, inputs in the order of <c>MeanFieldStatistics.kappaSymbols</c>.</summary>
    public static double Kappa(OrderParameters op, int i)
    {
        int L = op.Depth;
        double[] hat = i == 1 ? op.QHat1 : op.QHat2, tilde = i == 1 ? op.QTilde1 : op.QTilde2;
        var x = new double[1 + 3 * L];
        x[0] = op.Alpha;
        for (int l = 0; l < L; l++) { x[1 + l] = op.Shape.WidthRatios[l]; x[1 + L + l] = hat[l]; x[1 + 2 * L + l] = tilde[l + 1]; }
        var k = For(L);
        return (i == 1 ? k.Kappa1 : k.Kappa2)(x);
    }

    /// <summary>κ′_i = Σ_l q^l_i q̃^l_i, inputs in the order of <c>MeanFieldStatistics.ntkKappaSymbols</c>.</summary>
    public static double NtkKappa(OrderParameters op, int i)
    {
        int L = op.Depth;
        double[] q = i == 1 ? op.Q1 : op.Q2, tilde = i == 1 ? op.QTilde1 : op.QTilde2;
        var x = new double[2 * L];
        for (int l = 0; l < L; l++) { x[l] = q[l + 1]; x[L + l] = tilde[l + 1]; }
        var k = For(L);
        return (i == 1 ? k.Ntk1 : k.Ntk2)(x);
    }

    /// <summary>Theorem 3.1: m_λ, s_λ, λ_max from κ₁, κ₂, α, T samples, C outputs and base width M.</summary>
    public static EigenvalueStatistics Regression(double kappa1, double kappa2, double alpha, int samples, int outputs, int width)
    {
        double[] x = [kappa1, kappa2, alpha, samples, outputs, width];
        var s = Stats.Value;
        return new(s.Mean(x), s.Second(x), s.LambdaMax(x));
    }

    /// <summary>NTK parameterisation: m, s, λ_max over the CT eigenvalues of Θ = J Jᵀ.</summary>
    public static EigenvalueStatistics Ntk(double ntkKappa1, double ntkKappa2, int samples, int outputs)
    {
        double[] x = [ntkKappa1, ntkKappa2, samples, outputs];
        var s = Stats.Value;
        return new(s.NtkMean(x), s.NtkSecond(x), s.NtkLambdaMax(x));
    }
}

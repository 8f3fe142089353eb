using BenchmarkDotNet.Attributes;
using FimVerify.Symbolic;
using Microsoft.FSharp.Collections;

namespace FimVerify.Bench;

/// <summary>The expression engine: parsing to canonical form, rational normal form, Taylor series of an
/// expression, 50-digit evaluation, and compiled versus interpreted double evaluation.</summary>
[MemoryDiagnoser]
public class SymbolicBenchmarks
{
    private const string Kappa = "((pi - arccos(t))*t + sqrt(1 - t^2))/(2*pi)";
    private Expression _kappa = null!, _rational = null!;
    private Func<double[], double> _compiled = null!;
    private FSharpMap<string, Real> _point = null!;
    private FSharpMap<string, double> _doublePoint = null!;

    [GlobalSetup]
    public void Setup()
    {
        _kappa = InfixParser.parse(Kappa);
        _rational = InfixParser.parse("(x^3 - y^3)/(x^2 - y^2) + (x*y + y^2)/(x + y)^2");
        _compiled = Compiler.compile(ListModule.OfArray(new[] { "t" }), _kappa);
        _point = MapModule.OfArray(new[] { Tuple.Create("t", Real.OfRational(new Rational(new System.Numerics.BigInteger(3), new System.Numerics.BigInteger(10)))) });
        _doublePoint = MapModule.OfArray(new[] { Tuple.Create("t", 0.3) });
    }

    [Benchmark]
    public Expression ParseKappa() => InfixParser.parse(Kappa);

    [Benchmark]
    public Expression RationalNormalForm() => RationalFunction.normalForm(_rational);

    [Benchmark]
    public int TaylorOfKappa12Terms() => ExpressionSeries.maclaurin("t", 12, _kappa).Order;

    [Benchmark]
    public Real Evaluate50Digits() => Precise.evaluate(_point, _kappa);

    [Benchmark]
    public double EvaluateInterpreted() => Floating.evaluate(_doublePoint, _kappa);

    [Benchmark]
    public double EvaluateCompiled() => _compiled.Invoke(new[] { 0.3 });
}

/// <summary>
/// The mean-field closed forms: a compiled symbolic kernel call against the same formula typed in C# (the per-call
/// cost the recurrences see), and the warm cost of deriving the forms (the first use in a process adds JIT time).
/// </summary>
[MemoryDiagnoser]
public class MeanFieldClosedFormBenchmarks
{
    private readonly FimVerify.Numeric.MeanField.ReluGaussianKernel _relu = new();
    private readonly FimVerify.Numeric.MeanField.ErfGaussianKernel _erf = new();
    private double _b = 0.3;

    [Benchmark]
    public double CompiledReluCorrelation() => _relu.Correlation(1.7, _b);

    [Benchmark(Baseline = true)]
    public double HandTypedReluCorrelation()
    {
        double a = 1.7, c = Math.Clamp(_b / a, -1, 1);
        return a / (2 * Math.PI) * (Math.Sqrt(1 - c * c) + (Math.PI - Math.Acos(c)) * c);
    }

    [Benchmark]
    public double CompiledErfCorrelation() => _erf.Correlation(1.7, _b);

    [Benchmark]
    public int DeriveErfForms() => MeanFieldKernels.deriveErf().Parameters.Length;

    [Benchmark]
    public int DeriveReluForms() => MeanFieldKernels.deriveRelu().Parameters.Length;

    [Benchmark]
    public bool DeriveStatisticsDepth3WithChecks() => MeanFieldStatistics.derive(3).Holds;
}


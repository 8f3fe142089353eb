using BenchmarkDotNet.Attributes;
using FimVerify.Symbolic;

namespace FimVerify.Bench;

/// <summary>
/// The derivation checker (issue 13) on the routes it takes: closed forms of Gaussian expectations (PROVED), numerical
/// integration (PLAUSIBLE at 8 points), certified interval arithmetic at sample points, and the interval functions.
/// </summary>
[MemoryDiagnoser]
public class CheckerBenchmarks
{
    private const string ClosedForms = """
        symbol q: 0 < q < 4
        symbol a: 0 < a < 4
        symbol c: -1 < c < 1
        symbol z
        symbol u
        symbol w
        gauss(relu(z)^2, z, 0, q) = q/2
        gauss2(relu(u)*relu(w), u, w, a, a*c, a) = (a/(2*pi))*(sqrt(1 - c^2) + (pi - arccos(c))*c)
        gauss2(erf(u)*erf(w), u, w, a, a*c, a) = (2/pi)*arcsin(2*a*c/(1 + 2*a))
        """;

    private const string Numerical = """
        symbol v: 0 < v < 4
        symbol z
        gauss(z*tanh(z), z, 0, v) = v*gauss(diff(tanh(z), z), z, 0, v)
        """;

    private const string Pointwise = """
        symbol x: 0 < x < 2
        symbol y: 1/2 < y < 3
        exp(x)*sin(y)^2 + log(y)*arctan(x) = exp(x)*(1 - cos(y)^2) + arctan(x)*log(y) + erf(x)/10^80
        """;

    [Benchmark]
    public int ClosedFormsProved() => StepChecker.checkText(24, 1, ClosedForms).Item2.Length;

    [Benchmark]
    public int SteinByQuadrature() => StepChecker.checkText(24, 1, Numerical).Item2.Length;

    [Benchmark]
    public int IntervalArithmeticAtPoints() => StepChecker.checkText(24, 1, Pointwise).Item2.Length;

    [Benchmark]
    public Interval GammaAt1024Bits() => IntervalFunctions.gamma(1024, IntervalModule.ofRational(1024, RationalModule.make(7, 3))).Value;

    [Benchmark]
    public Interval ErfAt256Bits() => IntervalFunctions.erf(256, IntervalModule.ofRational(256, RationalModule.make(37, 7)));
}

using BenchmarkDotNet.Attributes;
using FimVerify.Symbolic;

namespace FimVerify.Bench;

/// <summary>The seed-000 derivations: κ's tail proof, Theorem 2's regrouping, Tian's arc integral, C(d), and checking a file.</summary>
[MemoryDiagnoser]
public class DerivationBenchmarks
{
    private const string Theorem2File = """
        symbol d: d >= 1
        let a0 = 1/(2*pi)
        let a2 = 1/(4*pi)
        a0*d + (a2/d)*d = (2*d + 1)/(4*pi)
        symbol t: -1 < t < 1
        (1/(2*pi))*((pi - arccos(t))*t + sqrt(1 - t^2)) = (1/(2*pi))*((pi/2 + arcsin(t))*t + sqrt(1 - t^2))
        """;

    [Benchmark]
    public bool KappaTailProofTo400() => KappaTailCoefficient.derive(400).Proved;

    [Benchmark]
    public int Theorem2Regrouping() => Theorem2Coefficients.derive().Final.Count;

    [Benchmark]
    public bool TianArcIntegral() => TianTheorem1.derive().Holds;

    [Benchmark]
    public double ChebyshevConstantD10() => LemmaConstants.chebyshevConstant(10).ToDouble();

    [Benchmark]
    public int CheckTwoStepFile() => StepChecker.checkText(24, 1, Theorem2File).Item2.Length;
}

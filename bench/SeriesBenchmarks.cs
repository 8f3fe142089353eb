using BenchmarkDotNet.Attributes;
using FimVerify.Symbolic;

namespace FimVerify.Bench;

/// <summary>The exact κ series behind `derive jij` (target: 400 terms under 50 ms).</summary>
[MemoryDiagnoser]
public class SeriesBenchmarks
{
    [Params(100, 400)]
    public int Terms { get; set; }

    [Benchmark]
    public int DeriveKappaSeries() => ReluKernelSeries.terms(Terms).Length;

    /// <summary>arccos in Q[π, 1/π] (π/2 − arcsin).</summary>
    [Benchmark]
    public int ArccosSeries() => StandardSeries.arccos(Terms).Order;

    /// <summary>(√π/2)·erf with rational coefficients.</summary>
    [Benchmark]
    public int ErfSeries() => StandardSeries.erfScaled(Terms).Order;
}

/// <summary>
/// Series algebra with exact rational coefficients, the fast routes of RationalSeries (prefix common denominators,
/// O(N²) ODE recurrences, Paterson–Stockmeyer composition, Newton reversion) at 100 and 400 terms.
/// </summary>
[MemoryDiagnoser]
public class SeriesAlgebraBenchmarks
{
    private PowerSeries<Rational> _sin = null!, _cos = null!, _exp = null!, _onePlusSin = null!, _expMinusOne = null!;

    [Params(100, 400)]
    public int Terms { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sin = StandardSeries.sin(Terms);
        _cos = StandardSeries.cos(Terms);
        _exp = StandardSeries.exp(Terms);
        _onePlusSin = RationalSeries.add(RationalSeries.constant(Terms, Rational.One), _sin);
        _expMinusOne = RationalSeries.sub(_exp, RationalSeries.constant(Terms, Rational.One));
    }

    [Benchmark]
    public int ExpTimesSin() => RationalSeries.mul(_exp, _sin).Order;

    [Benchmark]
    public int TanBySinOverCos() => RationalSeries.divide(_sin, _cos).Order;

    /// <summary>exp∘sin by the general composition (Paterson–Stockmeyer).</summary>
    [Benchmark]
    public int ExpOfSinByComposition() => RationalSeries.compose(_exp, _sin).Order;

    /// <summary>exp(sin) by the ODE f′ = g′f.</summary>
    [Benchmark]
    public int ExpOfSin() => RationalSeries.exp(_sin).Order;

    [Benchmark]
    public int LogOfOnePlusSin() => RationalSeries.log(_onePlusSin).Order;

    [Benchmark]
    public int CubeRootOfOnePlusSin() => RationalSeries.rationalPower(RationalModule.make(1, 3), _onePlusSin).Order;

    [Benchmark]
    public int RevertSin() => RationalSeries.revert(_sin).Order;

    [Benchmark]
    public int RevertExpMinusOne() => RationalSeries.revert(_expMinusOne).Order;
}

/// <summary>The definitional routes (Horner composition with rational arithmetic, O(N³); Lagrange inversion), for comparison.</summary>
[MemoryDiagnoser]
public class DefinitionalSeriesBenchmarks
{
    private PowerSeries<Rational> _sin = null!, _exp = null!;

    [Params(50, 100)]
    public int Terms { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sin = StandardSeries.sin(Terms);
        _exp = StandardSeries.exp(Terms);
    }

    [Benchmark]
    public int ExpOfSinByHorner() => RationalSeries.composeByHorner(_exp, _sin).Order;

    [Benchmark]
    public int RevertSinByLagrange() => RationalSeries.revertByLagrange(_sin).Order;
}

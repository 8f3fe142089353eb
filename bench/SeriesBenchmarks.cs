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

/// <summary>Series algebra with exact rational coefficients: division O(N²), composition and reversion O(N³).</summary>
[MemoryDiagnoser]
public class SeriesAlgebraBenchmarks
{
    private PowerSeries<Rational> _sin = null!, _cos = null!, _exp = null!;

    [Params(50, 100)]
    public int Terms { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sin = StandardSeries.sin(Terms);
        _cos = StandardSeries.cos(Terms);
        _exp = StandardSeries.exp(Terms);
    }

    [Benchmark]
    public int TanBySinOverCos() => RationalSeries.divide(_sin, _cos).Order;

    [Benchmark]
    public int ExpOfSin() => RationalSeries.compose(_exp, _sin).Order;

    [Benchmark]
    public int RevertSin() => RationalSeries.revert(_sin).Order;
}

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
}

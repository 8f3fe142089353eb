using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace FimVerify.Bench;

/// <summary>The floating-point operations one call of a benchmark performs (times the processor count when <see cref="PerThread"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FlopsAttribute(double flops) : Attribute
{
    public double Flops { get; } = flops;
    public bool PerThread { get; init; }
}

/// <summary>
/// A "GFLOP/s" column: the [Flops] of a benchmark divided by its mean time, so the peak and the J⁽ⁿ⁾ products can be read
/// side by side (their ratio is the fraction of peak).
/// </summary>
public sealed class FlopRateColumn : IColumn
{
    public string Id => nameof(FlopRateColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "floating-point operations per second, from the benchmark's [Flops] count and its mean time";

    public static double? FlopsOf(BenchmarkCase benchmarkCase)
    {
        var attribute = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<FlopsAttribute>();
        if (attribute is null) return null;
        return attribute.Flops * (attribute.PerThread ? Environment.ProcessorCount : 1);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var flops = FlopsOf(benchmarkCase);
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;   // nanoseconds
        if (flops is null || mean is not > 0) return "-";
        return (flops.Value / mean.Value).ToString("F1", CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}

/// <summary>Adds <see cref="FlopRateColumn"/> to a benchmark class: [Config(typeof(FlopRateConfig))].</summary>
public sealed class FlopRateConfig : ManualConfig
{
    public FlopRateConfig() => AddColumn(new FlopRateColumn());
}

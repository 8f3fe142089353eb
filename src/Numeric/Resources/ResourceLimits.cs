using System.Globalization;

namespace FimVerify.Numeric.Resources;

/// <summary>
/// The one policy that compares a request's <see cref="ResourceEstimate"/> with what it may use, before any work starts:
/// memory at most <see cref="MemoryBytes"/> (by default 80% of the memory available now: the smaller of the runtime's limit
/// (physical memory, a container's or DOTNET_GCHeapHardLimit) less the heap in use, and Linux's MemAvailable), work at most
/// <see cref="Seconds"/> at <see cref="OperationsPerSecondPerCore"/> on every core (by default 24 hours), and no array longer
/// than .NET allows. FIMVERIFY_MEMORY_LIMIT (e.g. 512M, 8G) and FIMVERIFY_TIME_LIMIT (e.g. 90s, 30m, 72h, none) set other
/// limits. A refusal is one sentence with the estimate (<see cref="ResourceLimitException"/>, exit code 2).
/// </summary>
public sealed record ResourceLimits(long MemoryBytes, string MemorySource, double Seconds, string TimeSource)
{
    /// <summary>The rate work estimates are converted to time at: conservative for our SIMD/BLAS kernels, fair for scalar loops.</summary>
    public const double OperationsPerSecondPerCore = 1e9;

    public const string MemoryVariable = "FIMVERIFY_MEMORY_LIMIT", TimeVariable = "FIMVERIFY_TIME_LIMIT";

    /// <summary>The default share of the available memory a request may plan for (the rest: the runtime, temporaries, fragmentation).</summary>
    public const double AvailableShare = 0.8;

    public const double DefaultSeconds = 24 * 3600;

    private static readonly AsyncLocal<ResourceLimits?> Override = new();

    /// <summary>The limits in force: an override installed by <see cref="Use"/>, else the environment and the machine now.</summary>
    public static ResourceLimits Current => Override.Value ?? FromEnvironment();

    /// <summary>Installs <paramref name="limits"/> for the calling flow (tests, embedding) until disposed.</summary>
    public static IDisposable Use(ResourceLimits limits)
    {
        var previous = Override.Value;
        Override.Value = limits;
        return new Restore(() => Override.Value = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>The limits from FIMVERIFY_MEMORY_LIMIT / FIMVERIFY_TIME_LIMIT, or the machine's available memory and 24 hours.</summary>
    public static ResourceLimits FromEnvironment()
    {
        string? memory = Environment.GetEnvironmentVariable(MemoryVariable), time = Environment.GetEnvironmentVariable(TimeVariable);
        long bytes;
        string memorySource;
        if (!string.IsNullOrWhiteSpace(memory))
        {
            bytes = ParseBytes(memory) ?? throw new ResourceLimitException($"{MemoryVariable} must be a size such as 512M or 8G, but is '{memory}'");
            memorySource = $"set by {MemoryVariable}";
        }
        else
        {
            bytes = (long)(AvailableMemory() * AvailableShare);
            memorySource = $"{AvailableShare * 100:0}% of the memory available now; {MemoryVariable} sets another limit";
        }
        double seconds = DefaultSeconds;
        string timeSource = $"the default; {TimeVariable} sets another, e.g. 72h or none";
        if (!string.IsNullOrWhiteSpace(time))
        {
            seconds = ParseSeconds(time) ?? throw new ResourceLimitException($"{TimeVariable} must be a duration such as 90s, 30m, 72h or none, but is '{time}'");
            timeSource = $"set by {TimeVariable}";
        }
        return new ResourceLimits(bytes, memorySource, seconds, timeSource);
    }

    /// <summary>
    /// Refuses <paramref name="estimate"/> if it exceeds a limit, naming <paramref name="what"/> (e.g. "verify theorem2 at
    /// d = 1000, p = 1000") and ending with <paramref name="hint"/> (e.g. "reduce --d or --p").
    /// </summary>
    public void Require(ResourceEstimate estimate, string what, string hint)
    {
        if (estimate.LargestArray > Array.MaxLength)
            throw new ResourceLimitException($"{what} needs an array of {CheckedSize.Format.Count(estimate.LargestArray)} numbers, more than the "
                + $"{CheckedSize.Format.Count(Array.MaxLength)} one array can hold: {hint}");
        if (estimate.Bytes > MemoryBytes)
            throw new ResourceLimitException($"{what} needs about {estimate.BytesText} of memory, more than the {CheckedSize.Format.Bytes(MemoryBytes)} "
                + $"it may use ({MemorySource}): {hint}");
        double seconds = EstimatedSeconds(estimate);
        if (seconds > Seconds)
            throw new ResourceLimitException($"{what} needs about {estimate.Operations.ToString("0.0e+0", CultureInfo.InvariantCulture)} operations, "
                + $"about {Duration(seconds)} at 10⁹ per second on each of {Environment.ProcessorCount} cores, more than the {Duration(Seconds)} limit "
                + $"({TimeSource}): {hint}");
    }

    /// <summary>Shorthand for <see cref="Current"/>.<see cref="Require"/>.</summary>
    public static void Check(ResourceEstimate estimate, string what, string hint) => Current.Require(estimate, what, hint);

    /// <summary>The estimate's work in seconds at the nominal rate on every core.</summary>
    public static double EstimatedSeconds(ResourceEstimate e) => e.Operations / (OperationsPerSecondPerCore * Environment.ProcessorCount);

    /// <summary>Bytes the process could still allocate: the runtime's limit less the heap in use, and the kernel's MemAvailable.</summary>
    public static long AvailableMemory()
    {
        var info = GC.GetGCMemoryInfo();
        long runtime = Math.Max(0, info.TotalAvailableMemoryBytes - GC.GetTotalMemory(false));
        return MemAvailable() is long kernel ? Math.Min(runtime, kernel) : runtime;
    }

    private static long? MemAvailable()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb)) return kb * 1024;
                }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>"512M", "8G", "8GB", "1.5g", "1048576" (bytes); null when not a size.</summary>
    public static long? ParseBytes(string text)
    {
        string s = text.Trim().ToUpperInvariant();
        if (s.EndsWith('B') && s.Length > 1 && char.IsLetter(s[^2])) s = s[..^1];
        double unit = 1;
        if (s.Length > 0 && "KMGT".Contains(s[^1]))
        {
            unit = Math.Pow(1024, "KMGT".IndexOf(s[^1]) + 1);
            s = s[..^1];
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v <= 0) return null;
        double bytes = v * unit;
        return bytes >= long.MaxValue ? long.MaxValue : (long)bytes;
    }

    /// <summary>"90s", "30m", "72h", "2d", "600" (seconds), "none" (no limit); null when not a duration.</summary>
    public static double? ParseSeconds(string text)
    {
        string s = text.Trim().ToLowerInvariant();
        if (s is "none" or "unlimited") return double.PositiveInfinity;
        double unit = 1;
        if (s.Length > 0 && "smhd".Contains(s[^1]))
        {
            unit = s[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 86400 };
            s = s[..^1];
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v > 0 ? v * unit : null;
    }

    /// <summary>A duration as it reads in a message: "40 s", "12 min", "3.5 h", "9 days".</summary>
    public static string Duration(double seconds)
    {
        var c = CultureInfo.InvariantCulture;
        return double.IsPositiveInfinity(seconds) ? "unlimited"
            : seconds < 90 ? string.Format(c, "{0:0.#} s", seconds)
            : seconds < 5400 ? string.Format(c, "{0:0} min", seconds / 60)
            : seconds < 72 * 3600 ? string.Format(c, "{0:0.#} hours", seconds / 3600)
            : seconds < 1e3 * 365 * 86400 ? string.Format(c, "{0:0} days", seconds / 86400)
            : "more than a thousand years";
    }
}

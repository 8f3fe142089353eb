namespace FimVerify.Numeric.Resources;

/// <summary>
/// How much memory a computation may still take: the kernel's estimate of what can be allocated without swapping
/// (MemAvailable in /proc/meminfo, which counts what other processes use), capped by the runtime's own limit (a container's or
/// GCHeapHardLimit). Commands compare their estimate with it before they allocate, and refuse with one sentence instead.
/// </summary>
public static class AvailableMemory
{
    /// <summary>Bytes available now (the runtime's limit alone where /proc/meminfo cannot be read).</summary>
    public static long Bytes()
    {
        long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long? available = FromMemInfo();
        return available is long a ? Math.Min(a, limit) : limit;
    }

    private static long? FromMemInfo()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], out long kib) ? kib * 1024 : null;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>"3.2 GiB", "640 MiB": a byte count for messages.</summary>
    public static string Format(double bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (1 << 30):0.0} GiB" : $"{Math.Max(1, Math.Ceiling(bytes / (1 << 20))):0} MiB";
}

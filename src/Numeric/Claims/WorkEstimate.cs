using System.Globalization;

namespace FimVerify.Numeric.Claims;

/// <summary>What one trial of a claim is expected to cost: the memory it holds at its peak and its floating-point operations.</summary>
public readonly record struct WorkEstimate(double Bytes, double Flops)
{
    public static WorkEstimate operator +(WorkEstimate a, WorkEstimate b) => new(Math.Max(a.Bytes, b.Bytes), a.Flops + b.Flops);
}

/// <summary>
/// The limits a run is held to before any trial starts: the memory of the trials that run at once (one per core) and the
/// work of the whole run, each checked against the estimate (<see cref="WorkEstimate"/>) so that a claim too big for the
/// machine is refused with one sentence rather than started. <see cref="Default"/>: half the memory the runtime can use
/// (at most 16 GiB) and 10¹⁵ operations (hours of work); sharding divides the work across processes.
/// </summary>
public sealed record ClaimBudget(double MaxBytes, double MaxFlops, int ConcurrentTrials)
{
    public static ClaimBudget Default => new(
        Math.Min(16.0 * (1L << 30), 0.5 * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes), 1e15, Environment.ProcessorCount);

    /// <summary>
    /// Refuses a claim whose trials would not fit: <paramref name="perTrial"/> at each size with the number of trials this
    /// process runs there. The message says what was estimated and what to change.
    /// </summary>
    public void Check(string claim, IReadOnlyList<(long Size, WorkEstimate PerTrial, long Trials)> sizes, string sizeSymbol)
    {
        foreach (var (size, per, trials) in sizes)
        {
            double bytes = per.Bytes * Math.Max(1, Math.Min(ConcurrentTrials, trials));
            if (bytes > MaxBytes)
                throw new ArgumentException($"claim '{claim}' at {sizeSymbol} = {size} needs about {Show(bytes)} of memory for {Math.Min(ConcurrentTrials, trials)} trials at once "
                    + $"({Show(per.Bytes)} each), more than the {Show(MaxBytes)} this run may use: choose a smaller {sizeSymbol} or matrix");
        }
        double flops = sizes.Sum(s => s.PerTrial.Flops * s.Trials);
        if (flops > MaxFlops)
            throw new ArgumentException($"claim '{claim}' needs about {flops.ToString("G2", CultureInfo.InvariantCulture)} floating-point operations, more than the "
                + $"{MaxFlops.ToString("G2", CultureInfo.InvariantCulture)} one process may run: use fewer trials or smaller sizes, or split it with --shard i/N");
    }

    private static string Show(double bytes) =>
        bytes >= 1 << 30 ? $"{(bytes / (1 << 30)).ToString("F1", CultureInfo.InvariantCulture)} GiB"
        : $"{(bytes / (1 << 20)).ToString("F0", CultureInfo.InvariantCulture)} MiB";
}

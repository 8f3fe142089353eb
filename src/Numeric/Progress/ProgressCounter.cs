namespace FimVerify.Numeric.Progress;

/// <summary>
/// Counts the finished steps of one stage, from any number of threads, and reports every count to the sink in
/// increasing order: 0 when the stage starts, then 1, 2, … up to the total (the lock keeps a Parallel.For's reports in
/// order). Without a sink it does nothing. It only counts: no result depends on it, whatever the thread count.
/// </summary>
public sealed class ProgressCounter
{
    private readonly IProgress<ProgressStep>? _sink;
    private readonly object _lock = new();
    private long _done;

    public ProgressCounter(IProgress<ProgressStep>? sink, string stage, long total)
    {
        if (total < 0) throw new ArgumentOutOfRangeException(nameof(total), "a stage has a non-negative number of steps");
        _sink = sink; Stage = stage; Total = total;
        _sink?.Report(new ProgressStep(stage, 0, total));
    }

    public string Stage { get; }
    public long Total { get; }

    /// <summary>Marks <paramref name="steps"/> more steps finished (never beyond the total).</summary>
    public void Advance(long steps = 1)
    {
        if (_sink is null || steps <= 0) return;
        lock (_lock)
        {
            if (_done >= Total) return;
            _done = Math.Min(Total, _done + steps);
            _sink.Report(new ProgressStep(Stage, _done, Total));
        }
    }

    /// <summary>Marks the stage finished (for loops that can end early, e.g. a Lanczos breakdown).</summary>
    public void Complete() => Advance(Total);
}

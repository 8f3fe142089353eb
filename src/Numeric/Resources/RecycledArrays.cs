namespace FimVerify.Numeric.Resources;

/// <summary>
/// Large double arrays handed back when a trial is done with them and lent to the next trial that asks for the same length: the
/// weights of a wide random network are tens of MB a layer, and fresh memory costs a page fault and the kernel's zeroing per
/// 4 KiB (in the `mean-field` sections a tenth of the CPU time went there; the runtime's GC returns freed large objects to the
/// system whatever its settings). A rented array's contents are arbitrary: the borrower overwrites every entry. At most
/// <see cref="RetainedBytes"/> are kept; beyond that the lengths returned longest ago are let go first, and a request for a length
/// not kept lets go of every other length (a sweep has moved to another width), so little is held beyond what the running trials
/// use. Only the owner of an array may return it, once, when nothing reads it any more.
/// </summary>
public static class RecycledArrays
{
    /// <summary>The most memory kept for reuse (two concurrent trials of the widest default networks fit).</summary>
    public const long RetainedBytes = 256L << 20;

    /// <summary>Arrays shorter than this are neither kept nor worth keeping (the GC serves them from its own reused space).</summary>
    public const int MinimumLength = 1 << 16;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, (Stack<double[]> Arrays, long LastReturn)> Free = [];
    private static long _retained, _clock;

    /// <summary>An array of exactly <paramref name="length"/> doubles with arbitrary contents: a returned one when there is one.</summary>
    public static double[] Rent(int length)
    {
        if (length >= MinimumLength)
            lock (Gate)
            {
                if (Free.TryGetValue(length, out var entry) && entry.Arrays.Count > 0)
                {
                    _retained -= 8L * length;
                    return entry.Arrays.Pop();
                }
                // A length not kept: the sweep has moved to another size, so the arrays kept for other lengths are let go now
                // (the collector may need their memory for this one). The memory beyond a request's own arrays then stays small.
                foreach (var other in Free.Keys.Where(k => k != length).ToArray())
                {
                    _retained -= 8L * other * Free[other].Arrays.Count;
                    Free.Remove(other);
                }
            }
        return GC.AllocateUninitializedArray<double>(length);
    }

    /// <summary>Hands <paramref name="array"/> back; the caller must not read or write it afterwards.</summary>
    public static void Return(double[] array)
    {
        long bytes = 8L * array.Length;
        if (array.Length < MinimumLength || bytes > RetainedBytes) return;
        lock (Gate)
        {
            while (_retained + bytes > RetainedBytes)
            {
                // Let go of the length returned longest ago (all of its arrays), never the one being returned.
                int oldest = -1; long when = long.MaxValue;
                foreach (var (length, entry) in Free)
                    if (length != array.Length && entry.Arrays.Count > 0 && entry.LastReturn < when) { oldest = length; when = entry.LastReturn; }
                if (oldest < 0) return; // only this length is kept and it is full: drop the array
                _retained -= 8L * oldest * Free[oldest].Arrays.Count;
                Free.Remove(oldest);
            }
            if (!Free.TryGetValue(array.Length, out var kept)) kept = (new Stack<double[]>(), 0);
            if (kept.Arrays.Any(a => ReferenceEquals(a, array))) throw new InvalidOperationException("an array was returned twice");
            kept.Arrays.Push(array);
            Free[array.Length] = (kept.Arrays, ++_clock);
            _retained += bytes;
        }
    }

    /// <summary>Lets go of every array kept (at the end of a stage whose sizes the next one does not share).</summary>
    public static void Clear()
    {
        lock (Gate) { Free.Clear(); _retained = 0; }
    }

    /// <summary>The bytes kept for reuse now.</summary>
    public static long Retained
    {
        get { lock (Gate) return _retained; }
    }
}

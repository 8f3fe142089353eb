namespace FimVerify.Numeric.Resources;

/// <summary>
/// What a request needs before it runs: the peak bytes of its data (arrays, not the runtime's own ~50 MB), the
/// arithmetic operations it performs, and its largest single array (in elements, which .NET caps at
/// <see cref="Array.MaxLength"/>). Estimates are upper-bound-minded sums of the dominant terms (see
/// <see cref="ExperimentCosts"/>), compared with the machine by <see cref="ResourceLimits"/>.
/// </summary>
public readonly record struct ResourceEstimate(long Bytes, double Operations, long LargestArray)
{
    public static ResourceEstimate None => default;

    /// <summary>One array of <paramref name="count"/> doubles held at once.</summary>
    public static ResourceEstimate Array(long count) => new(CheckedSize.Doubles(count), 0, count);

    /// <summary>Several arrays of doubles held at once.</summary>
    public static ResourceEstimate Arrays(params ReadOnlySpan<long> counts)
    {
        var e = None;
        foreach (long c in counts) e = e.With(Array(c));
        return e;
    }

    /// <summary>Work without memory of its own.</summary>
    public static ResourceEstimate Work(double operations) => new(0, operations, 0);

    /// <summary>This and <paramref name="other"/> held at the same time: bytes and work add.</summary>
    public ResourceEstimate With(ResourceEstimate other) =>
        new(CheckedSize.Add(Bytes, other.Bytes), Operations + other.Operations, Math.Max(LargestArray, other.LargestArray));

    /// <summary>This, then <paramref name="next"/> after this one's memory is released: the larger peak, the summed work.</summary>
    public ResourceEstimate Then(ResourceEstimate next) =>
        new(Math.Max(Bytes, next.Bytes), Operations + next.Operations, Math.Max(LargestArray, next.LargestArray));

    /// <summary>Plus <paramref name="operations"/> of work.</summary>
    public ResourceEstimate Plus(double operations) => this with { Operations = Operations + operations };

    /// <summary><paramref name="count"/> repetitions of which at most <paramref name="concurrent"/> run (and hold memory) at once.</summary>
    public ResourceEstimate Repeated(long count, long concurrent) =>
        new(CheckedSize.Multiply(Bytes, Math.Max(0, Math.Min(count, concurrent))), Operations * count, count == 0 ? 0 : LargestArray);

    /// <summary>The memory as it reads in a message, e.g. "4.1 GB".</summary>
    public string BytesText => CheckedSize.Format.Bytes(Bytes);
}

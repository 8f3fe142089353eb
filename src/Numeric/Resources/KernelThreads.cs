namespace FimVerify.Numeric.Resources;

/// <summary>
/// How many threads a kernel (GEMM, SYRK, a row loop) may use on the calling thread: every core, or one inside a trial that runs
/// beside other trials (<see cref="Sequential"/>). Trials run one per core already; a kernel that also fans out only adds
/// synchronisation — each of its barriers (two per 256-deep GEMM slab) waits on threads busy with the other trial, and the
/// waiting spins. Results never depend on it: every kernel gives the same bits on any thread count.
/// </summary>
public static class KernelThreads
{
    [ThreadStatic] private static int _sequentialDepth;

    /// <summary>The threads a kernel started on this thread may use.</summary>
    public static int Count => _sequentialDepth > 0 ? 1 : Environment.ProcessorCount;

    /// <summary><paramref name="requested"/> when positive (capped at <see cref="Count"/>), otherwise <see cref="Count"/>.</summary>
    public static int Limit(int requested) => requested > 0 ? Math.Min(requested, Count) : Count;

    /// <summary>Options for a kernel's parallel loop.</summary>
    public static ParallelOptions Options(int requested = -1) => new() { MaxDegreeOfParallelism = Limit(requested) };

    /// <summary>Until disposed, kernels started on this thread run on it alone (use around one trial of a parallel loop over trials).</summary>
    public static SequentialScope Sequential()
    {
        _sequentialDepth++;
        return new SequentialScope();
    }

    public readonly struct SequentialScope : IDisposable
    {
        public void Dispose() => _sequentialDepth--;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// The packing buffers of <see cref="BlockedProduct"/>, kept per thread between products instead of allocated per call: the
/// packed B panel (up to KC × NC doubles, 8 MiB) was a fresh mapping per product and the packed A block (384 KiB) one per KC slab and
/// thread, each paid for in page faults on first touch (a trial of fim-stats runs a handful of wide products, the report thousands
/// of small ones). The arrays are pinned, so a pointer into them stays valid while the thread holds them. A thread keeps one space
/// of each kind; a product started while the thread's space is in use (a product inside a product) gets a fresh one, so no two
/// products ever share a buffer. What is kept lives as long as its thread (the collector frees it with the thread).
/// </summary>
internal sealed unsafe class PackingSpace
{
    [ThreadStatic] private static PackingSpace? _panel, _block;

    private double[] _array = [];
    private bool _busy;

    /// <summary>The start of the space, 64-byte aligned (a cache line), valid until <see cref="Return"/>.</summary>
    public double* Start { get; private set; }

    /// <summary>Room for <paramref name="doubles"/> doubles: this thread's kept panel (B) or block (A) space, or a fresh one.</summary>
    public static PackingSpace Rent(bool panel, long doubles)
    {
        var kept = panel ? _panel : _block;
        if (kept is null)
        {
            kept = new PackingSpace();
            if (panel) _panel = kept; else _block = kept;
        }
        var space = kept._busy ? new PackingSpace() : kept;
        space._busy = true;
        const int align = 64 / sizeof(double);
        if (space._array.Length < doubles + align)
        {
            space._array = GC.AllocateUninitializedArray<double>(Resources.CheckedSize.ArrayLength(doubles + align, "a packing buffer"), pinned: true);
            var first = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(space._array));
            space.Start = (double*)((first + 63) & ~(nint)63);
        }
        return space;
    }

    /// <summary>Hands the space back to its thread.</summary>
    public void Return() => _busy = false;
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FimVerify.Numeric.Kernels;

/// <summary>
/// The few SIMD operations our kernels need, over one register of doubles. Each kernel is written once
/// against this interface and instantiated for <see cref="Lanes512"/> and <see cref="Lanes256"/>; the JIT
/// specialises the generic struct code, so the abstraction costs nothing.
/// (The BCL's ISimdVector is not public in this SDK.)
/// </summary>
internal interface ILanes<TSelf> where TSelf : struct, ILanes<TSelf>
{
    static abstract int Count { get; }
    static abstract bool IsSupported { get; }
    static abstract TSelf Load(ReadOnlySpan<double> source, int offset);
    static abstract void Store(TSelf value, Span<double> destination, int offset);
    /// <summary>Unchecked load for inner loops over pinned, packed buffers (GEMM micro-kernel).</summary>
    static abstract unsafe TSelf Load(double* source);
    static abstract unsafe void Store(TSelf value, double* destination);
    static abstract TSelf Broadcast(double value);
    static abstract TSelf Add(TSelf a, TSelf b);
    static abstract TSelf Subtract(TSelf a, TSelf b);
    static abstract TSelf Multiply(TSelf a, TSelf b);
    /// <summary>a·b + c.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);
    static abstract TSelf Sqrt(TSelf a);
    static abstract TSelf Abs(TSelf a);
    static abstract TSelf Min(TSelf a, TSelf b);
    static abstract TSelf Max(TSelf a, TSelf b);
    /// <summary>Lane-wise a &gt; b ? ifTrue : ifFalse.</summary>
    static abstract TSelf SelectGreater(TSelf a, TSelf b, TSelf ifTrue, TSelf ifFalse);
    /// <summary>|magnitude| with the sign of sign.</summary>
    static abstract TSelf CopySign(TSelf magnitude, TSelf sign);
    static abstract double Sum(TSelf a);
}

internal readonly struct Lanes512(Vector512<double> v) : ILanes<Lanes512>
{
    public readonly Vector512<double> V = v;
    public static int Count => Vector512<double>.Count;
    public static bool IsSupported => Vector512.IsHardwareAccelerated;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Load(ReadOnlySpan<double> s, int o) => new(Vector512.Create(s.Slice(o, Vector512<double>.Count)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes512 x, Span<double> d, int o) => x.V.StoreUnsafe(ref MemoryMarshal.GetReference(d.Slice(o, Vector512<double>.Count))); // Slice checks the bounds; CopyTo is not always inlined
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes512 Load(double* s) => new(Vector512.Load(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe void Store(Lanes512 x, double* d) => x.V.Store(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Broadcast(double x) => new(Vector512.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Add(Lanes512 a, Lanes512 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Subtract(Lanes512 a, Lanes512 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Multiply(Lanes512 a, Lanes512 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 MultiplyAdd(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Sqrt(Lanes512 a) => new(Vector512.Sqrt(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Abs(Lanes512 a) => new(Vector512.Abs(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Min(Lanes512 a, Lanes512 b) => new(Vector512.Min(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Max(Lanes512 a, Lanes512 b) => new(Vector512.Max(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 SelectGreater(Lanes512 a, Lanes512 b, Lanes512 t, Lanes512 f) => new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.V, b.V), t.V, f.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 CopySign(Lanes512 m, Lanes512 s) => new(Vector512.CopySign(m.V, s.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Lanes512 a) => Vector512.Sum(a.V);
}

internal readonly struct Lanes256(Vector256<double> v) : ILanes<Lanes256>
{
    public readonly Vector256<double> V = v;
    public static int Count => Vector256<double>.Count;
    public static bool IsSupported => Vector256.IsHardwareAccelerated;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Load(ReadOnlySpan<double> s, int o) => new(Vector256.Create(s.Slice(o, Vector256<double>.Count)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes256 x, Span<double> d, int o) => x.V.StoreUnsafe(ref MemoryMarshal.GetReference(d.Slice(o, Vector256<double>.Count))); // Slice checks the bounds; CopyTo is not always inlined
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes256 Load(double* s) => new(Vector256.Load(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe void Store(Lanes256 x, double* d) => x.V.Store(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Broadcast(double x) => new(Vector256.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Add(Lanes256 a, Lanes256 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Subtract(Lanes256 a, Lanes256 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Multiply(Lanes256 a, Lanes256 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 MultiplyAdd(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Sqrt(Lanes256 a) => new(Vector256.Sqrt(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Abs(Lanes256 a) => new(Vector256.Abs(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Min(Lanes256 a, Lanes256 b) => new(Vector256.Min(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Max(Lanes256 a, Lanes256 b) => new(Vector256.Max(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 SelectGreater(Lanes256 a, Lanes256 b, Lanes256 t, Lanes256 f) => new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.V, b.V), t.V, f.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 CopySign(Lanes256 m, Lanes256 s) => new(Vector256.CopySign(m.V, s.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Lanes256 a) => Vector256.Sum(a.V);
}

/// <summary>Which SIMD path the kernels take on this machine (for reports and tests).</summary>
public static class SimdPath
{
    public static string Active => Lanes512.IsSupported ? "Vector512" : Lanes256.IsSupported ? "Vector256" : "scalar";
}

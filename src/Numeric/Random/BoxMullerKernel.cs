using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using FimVerify.Symbolic;

namespace FimVerify.Numeric.Random;

/// <summary>
/// 64-bit lanes for the Box–Muller kernel: integer bit operations for xoshiro256** and the IEEE double operations
/// (each correctly rounded, FMA included) for the transform, on the same register reinterpreted. Implemented for one
/// lane (<see cref="ScalarLane"/>, the reference) and for <see cref="Vector{T}"/> (2, 4 or 8 lanes); the kernel is written
/// once against this interface, so every width runs the same operations lane by lane and gives the same bits.
/// </summary>
internal interface IBoxMullerLanes<TSelf> where TSelf : struct, IBoxMullerLanes<TSelf>
{
    static abstract int Count { get; }
    static abstract TSelf Load(ReadOnlySpan<ulong> source);
    static abstract void Store(TSelf value, Span<ulong> destination);
    static abstract void StoreDouble(TSelf value, Span<double> destination);
    static abstract TSelf Constant(ulong bits);
    static abstract TSelf Constant(double value);
    static abstract TSelf Xor(TSelf a, TSelf b);
    static abstract TSelf Or(TSelf a, TSelf b);
    static abstract TSelf And(TSelf a, TSelf b);
    static abstract TSelf AddInteger(TSelf a, TSelf b);
    static abstract TSelf SubtractInteger(TSelf a, TSelf b);
    static abstract TSelf ShiftLeft(TSelf a, int k);
    static abstract TSelf ShiftRight(TSelf a, int k);
    static abstract TSelf Add(TSelf a, TSelf b);
    static abstract TSelf Subtract(TSelf a, TSelf b);
    static abstract TSelf Multiply(TSelf a, TSelf b);
    /// <summary>a·b + c with one rounding.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);
    static abstract TSelf Divide(TSelf a, TSelf b);
    static abstract TSelf Sqrt(TSelf a);
    /// <summary>All ones where the double a &gt; b, zero elsewhere.</summary>
    static abstract TSelf GreaterThan(TSelf a, TSelf b);
    /// <summary>Bitwise mask ? a : b.</summary>
    static abstract TSelf Select(TSelf mask, TSelf a, TSelf b);
}

internal readonly struct ScalarLane(ulong bits) : IBoxMullerLanes<ScalarLane>
{
    public readonly ulong Bits = bits;
    private double D => BitConverter.UInt64BitsToDouble(Bits);
    private static ScalarLane Of(double x) => new(BitConverter.DoubleToUInt64Bits(x));
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Load(ReadOnlySpan<ulong> s) => new(s[0]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(ScalarLane v, Span<ulong> d) => d[0] = v.Bits;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreDouble(ScalarLane v, Span<double> d) => d[0] = v.D;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Constant(ulong bits) => new(bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Constant(double value) => Of(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Xor(ScalarLane a, ScalarLane b) => new(a.Bits ^ b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Or(ScalarLane a, ScalarLane b) => new(a.Bits | b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane And(ScalarLane a, ScalarLane b) => new(a.Bits & b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane AddInteger(ScalarLane a, ScalarLane b) => new(a.Bits + b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane SubtractInteger(ScalarLane a, ScalarLane b) => new(a.Bits - b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane ShiftLeft(ScalarLane a, int k) => new(a.Bits << k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane ShiftRight(ScalarLane a, int k) => new(a.Bits >> k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Add(ScalarLane a, ScalarLane b) => Of(a.D + b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Subtract(ScalarLane a, ScalarLane b) => Of(a.D - b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Multiply(ScalarLane a, ScalarLane b) => Of(a.D * b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane MultiplyAdd(ScalarLane a, ScalarLane b, ScalarLane c) => Of(Math.FusedMultiplyAdd(a.D, b.D, c.D));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Divide(ScalarLane a, ScalarLane b) => Of(a.D / b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Sqrt(ScalarLane a) => Of(Math.Sqrt(a.D));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane GreaterThan(ScalarLane a, ScalarLane b) => new(a.D > b.D ? ulong.MaxValue : 0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ScalarLane Select(ScalarLane m, ScalarLane a, ScalarLane b) => new((m.Bits & a.Bits) | (~m.Bits & b.Bits));
}

internal readonly struct VectorLanes(Vector<ulong> bits) : IBoxMullerLanes<VectorLanes>
{
    public readonly Vector<ulong> Bits = bits;
    private Vector<double> D => Vector.AsVectorDouble(Bits);
    private static VectorLanes Of(Vector<double> x) => new(Vector.AsVectorUInt64(x));
    public static int Count => Vector<ulong>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Load(ReadOnlySpan<ulong> s) => new(new Vector<ulong>(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(VectorLanes v, Span<ulong> d) => v.Bits.CopyTo(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreDouble(VectorLanes v, Span<double> d) => v.D.CopyTo(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Constant(ulong bits) => new(new Vector<ulong>(bits));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Constant(double value) => Of(new Vector<double>(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Xor(VectorLanes a, VectorLanes b) => new(a.Bits ^ b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Or(VectorLanes a, VectorLanes b) => new(a.Bits | b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes And(VectorLanes a, VectorLanes b) => new(a.Bits & b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes AddInteger(VectorLanes a, VectorLanes b) => new(a.Bits + b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes SubtractInteger(VectorLanes a, VectorLanes b) => new(a.Bits - b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes ShiftLeft(VectorLanes a, int k) => new(Vector.ShiftLeft(a.Bits, k));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes ShiftRight(VectorLanes a, int k) => new(Vector.ShiftRightLogical(a.Bits, k));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Add(VectorLanes a, VectorLanes b) => Of(a.D + b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Subtract(VectorLanes a, VectorLanes b) => Of(a.D - b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Multiply(VectorLanes a, VectorLanes b) => Of(a.D * b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes MultiplyAdd(VectorLanes a, VectorLanes b, VectorLanes c) => Of(Vector.FusedMultiplyAdd(a.D, b.D, c.D));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Divide(VectorLanes a, VectorLanes b) => Of(a.D / b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Sqrt(VectorLanes a) => Of(Vector.SquareRoot(a.D));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes GreaterThan(VectorLanes a, VectorLanes b) => new(Vector.AsVectorUInt64(Vector.GreaterThan(a.D, b.D)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static VectorLanes Select(VectorLanes m, VectorLanes a, VectorLanes b) => new(Vector.ConditionalSelect(m.Bits, a.Bits, b.Bits));
}

internal readonly struct Vector512Lanes(Vector512<ulong> bits) : IBoxMullerLanes<Vector512Lanes>
{
    public readonly Vector512<ulong> Bits = bits;
    private Vector512<double> D => Bits.AsDouble();
    private static Vector512Lanes Of(Vector512<double> x) => new(x.AsUInt64());
    public static int Count => Vector512<ulong>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Load(ReadOnlySpan<ulong> s) => new(Vector512.Create(s));
    // StoreUnsafe after the length check, not CopyTo: the kernel is large enough that the JIT stopped inlining CopyTo, and the call
    // cost a third of the sampling time.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512Lanes v, Span<ulong> d)
    {
        if (d.Length < Vector512<ulong>.Count) throw new ArgumentException("destination too short", nameof(d));
        v.Bits.StoreUnsafe(ref MemoryMarshal.GetReference(d));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreDouble(Vector512Lanes v, Span<double> d)
    {
        if (d.Length < Vector512<double>.Count) throw new ArgumentException("destination too short", nameof(d));
        v.D.StoreUnsafe(ref MemoryMarshal.GetReference(d));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Constant(ulong bits) => new(Vector512.Create(bits));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Constant(double value) => Of(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Xor(Vector512Lanes a, Vector512Lanes b) => new(a.Bits ^ b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Or(Vector512Lanes a, Vector512Lanes b) => new(a.Bits | b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes And(Vector512Lanes a, Vector512Lanes b) => new(a.Bits & b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes AddInteger(Vector512Lanes a, Vector512Lanes b) => new(a.Bits + b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes SubtractInteger(Vector512Lanes a, Vector512Lanes b) => new(a.Bits - b.Bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes ShiftLeft(Vector512Lanes a, int k) => new(Vector512.ShiftLeft(a.Bits, k));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes ShiftRight(Vector512Lanes a, int k) => new(Vector512.ShiftRightLogical(a.Bits, k));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Add(Vector512Lanes a, Vector512Lanes b) => Of(a.D + b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Subtract(Vector512Lanes a, Vector512Lanes b) => Of(a.D - b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Multiply(Vector512Lanes a, Vector512Lanes b) => Of(a.D * b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes MultiplyAdd(Vector512Lanes a, Vector512Lanes b, Vector512Lanes c) => Of(Vector512.FusedMultiplyAdd(a.D, b.D, c.D));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Divide(Vector512Lanes a, Vector512Lanes b) => Of(a.D / b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Sqrt(Vector512Lanes a) => Of(Vector512.Sqrt(a.D));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes GreaterThan(Vector512Lanes a, Vector512Lanes b) => new(Vector512.GreaterThan(a.D, b.D).AsUInt64());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lanes Select(Vector512Lanes m, Vector512Lanes a, Vector512Lanes b) => new(Vector512.ConditionalSelect(m.Bits, a.Bits, b.Bits));
}

/// <summary>
/// Standard normal draws by the Box–Muller transform over <see cref="Lanes"/> = 8 xoshiro256** streams, the stream of a
/// <see cref="GaussianSampler"/>. One step of lane j draws a, b and gives z₀ = ρ cos 2πg, z₁ = ρ sin 2πg with
/// u = 1 − (a ≫ 12)·2⁻⁵² ∈ (0, 1], g = (b ≫ 12)·2⁻⁵² ∈ [0, 1) and ρ = √(−2 ln u); a block of 16 draws is
/// [z₀ of lanes 0…7, z₁ of lanes 0…7]. The layout does not depend on the register width, so SIMD (2, 4 or 8 lanes a
/// register) and the scalar reference give the same bits (tested).
/// <para>
/// ln u = e·ln 2 + 2 artanh(s), u = 2^e·m with m ∈ [√½, √2), s = (m − 1)/(m + 1), |s| ≤ 0.172: 11 odd terms of the
/// series (truncation below 2·10⁻¹⁸ relative). cos 2πg and sin 2πg from g = q/4 + r, q = round(4g), |r| ≤ 1/8 (exact):
/// the series of cos 2πr and sin 2πr to r¹⁶ and r¹⁷ (|2πr| ≤ π/4, truncation below 10⁻¹⁷), then the quadrant by swaps and
/// sign flips. Every series coefficient is the symbolic layer's exact one (log1p, sin, cos), scaled by (2π)ⁿ in 384-bit
/// arithmetic and rounded once. The tails reach |z| = √(−2 ln 2⁻⁵²) = 8.49.
/// </para>
/// </summary>
public static class BoxMullerKernel
{
    /// <summary>xoshiro256** streams per sampler, and draws per block (two per lane).</summary>
    public const int Lanes = 8, BlockSize = 2 * Lanes;

    private const int LogTerms = 11, TrigTerms = 9;
    /// <summary>Blocks per chunk: 64 × 16 draws = 8 KiB, written by every register of lanes while in L1.</summary>
    private const int ChunkBlocks = 64;
    internal const ulong ExponentOne = 0x3FF0_0000_0000_0000UL, MantissaMask = 0x000F_FFFF_FFFF_FFFFUL, TwoTo52Bits = 0x4330_0000_0000_0000UL;
    internal const double TwoTo52 = 4503599627370496.0;

    /// <summary>2/(2k+1), k = 0…10: ln m = s·Σ_k L_k s^(2k).</summary>
    private static readonly double[] LogCoefficients;
    /// <summary>(−1)^k (2π)^(2k+1)/(2k+1)! and (−1)^k (2π)^(2k)/(2k)!, k = 0…8.</summary>
    private static readonly double[] SinCoefficients, CosCoefficients;
    internal static readonly double Ln2, Sqrt2 = Math.Sqrt(2);

    static BoxMullerKernel()
    {
        // ln((1+s)/(1−s)) = log1p(s) − log1p(−s): the odd coefficients of log1p, doubled.
        var log1p = StandardSeries.log1p(2 * LogTerms);
        LogCoefficients = new double[LogTerms];
        for (int k = 0; k < LogTerms; k++) LogCoefficients[k] = 2 * log1p.Coeffs[2 * k + 1].ToDouble();
        var sin = StandardSeries.sin(2 * TrigTerms);
        var cos = StandardSeries.cos(2 * TrigTerms);
        var twoPi = RealModule.pi.ScaleB(1);
        SinCoefficients = new double[TrigTerms];
        CosCoefficients = new double[TrigTerms];
        var power = Real.One; // (2π)^n
        for (int n = 0; n < 2 * TrigTerms; n++)
        {
            if (n % 2 == 0) CosCoefficients[n / 2] = (Real.OfRational(cos.Coeffs[n]) * power).ToDouble();
            else SinCoefficients[n / 2] = (Real.OfRational(sin.Coeffs[n]) * power).ToDouble();
            power *= twoPi;
        }
        Ln2 = RealModule.ln2.ToDouble();
    }

    /// <summary>Seeds the lanes' xoshiro256** states (s0 of lanes 0…7, then s1, s2, s3) from a stream address.</summary>
    public static void Seed(SeedSequence seed, Span<ulong> state)
    {
        for (int lane = 0; lane < Lanes; lane++)
        {
            ulong x = seed.Child("box-muller-lane").Child(lane).State;
            for (int w = 0; w < 4; w++) state[w * Lanes + lane] = SeedSequence.Mix(x += 0x9E3779B97F4A7C15UL);
        }
    }

    /// <summary>Writes <paramref name="blocks"/> blocks of 16 draws times σ into destination, advancing the lane states.</summary>
    public static void Fill(Span<ulong> state, Span<double> destination, int blocks, double sigma)
    {
        if (Vector512.IsHardwareAccelerated) Fill<Vector512Lanes>(state, destination, blocks, sigma);
        else if (Vector.IsHardwareAccelerated && Lanes % Vector<ulong>.Count == 0 && Vector<ulong>.Count > 1) Fill<VectorLanes>(state, destination, blocks, sigma);
        else Fill<ScalarLane>(state, destination, blocks, sigma);
    }

    /// <summary>The scalar reference path (one lane at a time): the same bits as <see cref="Fill"/>.</summary>
    public static void FillScalar(Span<ulong> state, Span<double> destination, int blocks, double sigma) =>
        Fill<ScalarLane>(state, destination, blocks, sigma);

    private static void Fill<TV>(Span<ulong> state, Span<double> destination, int blocks, double sigma) where TV : struct, IBoxMullerLanes<TV>
    {
        if (destination.Length < blocks * BlockSize) throw new ArgumentException("destination too short for the blocks", nameof(destination));
        int w = TV.Count;
        ref readonly var k = ref Constants<TV>.Value;
        var scale = TV.Constant(sigma);
        // Chunks of blocks small enough to stay in L1; within a chunk one register of lanes at a time, its state in registers.
        for (int first = 0; first < blocks; first += ChunkBlocks)
        for (int lane0 = 0; lane0 < Lanes; lane0 += w)
        {
            TV s0 = TV.Load(state.Slice(lane0, w)), s1 = TV.Load(state.Slice(Lanes + lane0, w));
            TV s2 = TV.Load(state.Slice(2 * Lanes + lane0, w)), s3 = TV.Load(state.Slice(3 * Lanes + lane0, w));
            for (int b = first, end = Math.Min(blocks, first + ChunkBlocks); b < end; b++)
            {
                var a = Next(ref s0, ref s1, ref s2, ref s3);
                var c = Next(ref s0, ref s1, ref s2, ref s3);
                Transform(a, c, in k, out var z0, out var z1);
                TV.StoreDouble(TV.Multiply(z0, scale), destination.Slice(b * BlockSize + lane0, w));
                TV.StoreDouble(TV.Multiply(z1, scale), destination.Slice(b * BlockSize + Lanes + lane0, w));
            }
            TV.Store(s0, state.Slice(lane0, w)); TV.Store(s1, state.Slice(Lanes + lane0, w));
            TV.Store(s2, state.Slice(2 * Lanes + lane0, w)); TV.Store(s3, state.Slice(3 * Lanes + lane0, w));
        }
    }

    /// <summary>Every constant of the transform, broadcast once per lane type (not once per block or call).</summary>
    private readonly struct Constants<TV> where TV : struct, IBoxMullerLanes<TV>
    {
        public static readonly Constants<TV> Value = new(0);

        public readonly TV One, Two, MinusTwo, Half, Four, MinusQuarter, TwoTo52, TwoTo52Bits, ExponentOne, MantissaMask, Bias, Sqrt2, Ln2;
        public readonly TV IntOne, IntTwo, IntThree;
        public readonly TV L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, L10;
        public readonly TV S0, S1, S2, S3, S4, S5, S6, S7, S8;
        public readonly TV C0, C1, C2, C3, C4, C5, C6, C7, C8;

        private Constants(int _)
        {
            One = TV.Constant(1.0); Two = TV.Constant(2.0); MinusTwo = TV.Constant(-2.0); Half = TV.Constant(0.5);
            Four = TV.Constant(4.0); MinusQuarter = TV.Constant(-0.25); TwoTo52 = TV.Constant(BoxMullerKernel.TwoTo52);
            TwoTo52Bits = TV.Constant(BoxMullerKernel.TwoTo52Bits); ExponentOne = TV.Constant(BoxMullerKernel.ExponentOne);
            MantissaMask = TV.Constant(BoxMullerKernel.MantissaMask); Bias = TV.Constant(1023.0); Sqrt2 = TV.Constant(BoxMullerKernel.Sqrt2);
            Ln2 = TV.Constant(BoxMullerKernel.Ln2); IntOne = TV.Constant(1UL); IntTwo = TV.Constant(2UL); IntThree = TV.Constant(3UL);
            var l = LogCoefficients; var s = SinCoefficients; var c = CosCoefficients;
            L0 = TV.Constant(l[0]); L1 = TV.Constant(l[1]); L2 = TV.Constant(l[2]); L3 = TV.Constant(l[3]); L4 = TV.Constant(l[4]); L5 = TV.Constant(l[5]);
            L6 = TV.Constant(l[6]); L7 = TV.Constant(l[7]); L8 = TV.Constant(l[8]); L9 = TV.Constant(l[9]); L10 = TV.Constant(l[10]);
            S0 = TV.Constant(s[0]); S1 = TV.Constant(s[1]); S2 = TV.Constant(s[2]); S3 = TV.Constant(s[3]); S4 = TV.Constant(s[4]);
            S5 = TV.Constant(s[5]); S6 = TV.Constant(s[6]); S7 = TV.Constant(s[7]); S8 = TV.Constant(s[8]);
            C0 = TV.Constant(c[0]); C1 = TV.Constant(c[1]); C2 = TV.Constant(c[2]); C3 = TV.Constant(c[3]); C4 = TV.Constant(c[4]);
            C5 = TV.Constant(c[5]); C6 = TV.Constant(c[6]); C7 = TV.Constant(c[7]); C8 = TV.Constant(c[8]);
        }
    }

    /// <summary>xoshiro256**: result = rotl(s1·5, 7)·9, then the state update (multiplications by 5 and 9 as shifts and adds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Next<TV>(ref TV s0, ref TV s1, ref TV s2, ref TV s3) where TV : struct, IBoxMullerLanes<TV>
    {
        var five = TV.AddInteger(TV.ShiftLeft(s1, 2), s1);
        var rotated = TV.Or(TV.ShiftLeft(five, 7), TV.ShiftRight(five, 57));
        var result = TV.AddInteger(TV.ShiftLeft(rotated, 3), rotated);
        var t = TV.ShiftLeft(s1, 17);
        s2 = TV.Xor(s2, s0); s3 = TV.Xor(s3, s1); s1 = TV.Xor(s1, s2); s0 = TV.Xor(s0, s3); s2 = TV.Xor(s2, t);
        s3 = TV.Or(TV.ShiftLeft(s3, 45), TV.ShiftRight(s3, 19));
        return result;
    }

    /// <summary>(z₀, z₁) from two 64-bit words a, b: see the class summary.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transform<TV>(TV a, TV b, in Constants<TV> k, out TV z0, out TV z1) where TV : struct, IBoxMullerLanes<TV>
    {
        // u = 2 − (1 + f) = 1 − f ∈ (0, 1], g ∈ [0, 1): both exact.
        var u = TV.Subtract(k.Two, TV.Or(TV.ShiftRight(a, 12), k.ExponentOne));
        var g = TV.Subtract(TV.Or(TV.ShiftRight(b, 12), k.ExponentOne), k.One);

        // ln u: exponent and mantissa, m moved to [√½, √2).
        var biased = TV.Subtract(TV.Or(TV.ShiftRight(u, 52), k.TwoTo52Bits), k.TwoTo52); // the biased exponent as a double
        var m = TV.Or(TV.And(u, k.MantissaMask), k.ExponentOne);
        var high = TV.GreaterThan(m, k.Sqrt2);
        m = TV.Select(high, TV.Multiply(m, k.Half), m);
        var e = TV.Add(TV.Subtract(biased, k.Bias), TV.And(high, k.One));
        var s = TV.Divide(TV.Subtract(m, k.One), TV.Add(m, k.One));
        var s2 = TV.Multiply(s, s);
        // s·Σ L_j s^(2j), Estrin: pairs, then pairs of pairs.
        var y2 = TV.Multiply(s2, s2);   // powers of x = s²: x², x⁴, x⁸
        var y4 = TV.Multiply(y2, y2);
        var y8 = TV.Multiply(y4, y4);
        var log0to3 = TV.MultiplyAdd(TV.MultiplyAdd(k.L3, s2, k.L2), y2, TV.MultiplyAdd(k.L1, s2, k.L0));
        var log4to7 = TV.MultiplyAdd(TV.MultiplyAdd(k.L7, s2, k.L6), y2, TV.MultiplyAdd(k.L5, s2, k.L4));
        var log8to10 = TV.MultiplyAdd(k.L10, y2, TV.MultiplyAdd(k.L9, s2, k.L8));
        var logM = TV.Multiply(s, TV.MultiplyAdd(log8to10, y8, TV.MultiplyAdd(log4to7, y4, log0to3)));
        var logU = TV.MultiplyAdd(e, k.Ln2, logM);
        var rho = TV.Sqrt(TV.Multiply(k.MinusTwo, logU));

        // cos 2πg, sin 2πg: q = round(4g) (the addition of 2⁵² rounds), r = g − q/4 exactly.
        var shifted = TV.Add(TV.Multiply(g, k.Four), k.TwoTo52);
        var q = TV.And(shifted, k.IntThree);
        var r = TV.MultiplyAdd(TV.Subtract(shifted, k.TwoTo52), k.MinusQuarter, g);
        var r2 = TV.Multiply(r, r);   // the series are in x = r²: x², x⁴ below are r4, r8
        var r4 = TV.Multiply(r2, r2);
        var r8 = TV.Multiply(r4, r4);
        var sin0to3 = TV.MultiplyAdd(TV.MultiplyAdd(k.S3, r2, k.S2), r4, TV.MultiplyAdd(k.S1, r2, k.S0));
        var sin4to7 = TV.MultiplyAdd(TV.MultiplyAdd(k.S7, r2, k.S6), r4, TV.MultiplyAdd(k.S5, r2, k.S4));
        var sinR = TV.Multiply(r, TV.MultiplyAdd(TV.MultiplyAdd(k.S8, r8, sin4to7), r8, sin0to3));
        var cos0to3 = TV.MultiplyAdd(TV.MultiplyAdd(k.C3, r2, k.C2), r4, TV.MultiplyAdd(k.C1, r2, k.C0));
        var cos4to7 = TV.MultiplyAdd(TV.MultiplyAdd(k.C7, r2, k.C6), r4, TV.MultiplyAdd(k.C5, r2, k.C4));
        var cosR = TV.MultiplyAdd(TV.MultiplyAdd(k.C8, r8, cos4to7), r8, cos0to3);
        // Quadrant q: odd q swaps cos and sin; cos is negated for q = 1, 2 and sin for q = 2, 3.
        var swap = TV.SubtractInteger(default, TV.And(q, k.IntOne));
        var cosSign = TV.ShiftLeft(TV.And(TV.AddInteger(q, k.IntOne), k.IntTwo), 62);
        var sinSign = TV.ShiftLeft(TV.And(q, k.IntTwo), 62);
        var cos = TV.Xor(TV.Select(swap, sinR, cosR), cosSign);
        var sin = TV.Xor(TV.Select(swap, cosR, sinR), sinSign);
        z0 = TV.Multiply(rho, cos);
        z1 = TV.Multiply(rho, sin);
    }

    /// <summary>The transform with the library's ln, cos and sin (tests hold the kernel's polynomials against it).</summary>
    public static (double Z0, double Z1) TransformReference(ulong a, ulong b)
    {
        double u = 1.0 - (a >> 12) * (1.0 / (1UL << 52)), g = (b >> 12) * (1.0 / (1UL << 52));
        double rho = Math.Sqrt(-2 * Math.Log(u));
        return (rho * Math.Cos(2 * Math.PI * g), rho * Math.Sin(2 * Math.PI * g));
    }

    /// <summary>The kernel's transform of one pair of words (scalar path), for tests.</summary>
    public static (double Z0, double Z1) TransformScalar(ulong a, ulong b)
    {
        Transform(new ScalarLane(a), new ScalarLane(b), in Constants<ScalarLane>.Value, out var z0, out var z1);
        return (BitConverter.UInt64BitsToDouble(z0.Bits), BitConverter.UInt64BitsToDouble(z1.Bits));
    }
}

namespace FimVerify.Numeric.Kernels;

/// <summary>Dot product and axpy on spans, SIMD with a scalar reference path.</summary>
public static class Dot
{
    public static double Product(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("spans differ in length");
        return Lanes512.IsSupported ? ProductSimd<Lanes512>(x, y)
             : Lanes256.IsSupported ? ProductSimd<Lanes256>(x, y) : ProductScalar(x, y);
    }

    public static double ProductScalar(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int k = 0; k < x.Length; k++) s += x[k] * y[k];
        return s;
    }

    private static double ProductSimd<TV>(ReadOnlySpan<double> x, ReadOnlySpan<double> y) where TV : struct, ILanes<TV>
    {
        int w = TV.Count, k = 0;
        var acc0 = TV.Broadcast(0); var acc1 = TV.Broadcast(0);
        for (; k + 2 * w <= x.Length; k += 2 * w)
        {
            acc0 = TV.MultiplyAdd(TV.Load(x, k), TV.Load(y, k), acc0);
            acc1 = TV.MultiplyAdd(TV.Load(x, k + w), TV.Load(y, k + w), acc1);
        }
        double s = TV.Sum(TV.Add(acc0, acc1));
        for (; k < x.Length; k++) s += x[k] * y[k];
        return s;
    }

    /// <summary>y ← a·x + y.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("spans differ in length");
        int k = Lanes512.IsSupported ? AxpySimd<Lanes512>(a, x, y) : Lanes256.IsSupported ? AxpySimd<Lanes256>(a, x, y) : 0;
        for (; k < x.Length; k++) y[k] += a * x[k];
    }

    public static void AxpyScalar(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        for (int k = 0; k < x.Length; k++) y[k] += a * x[k];
    }

    private static int AxpySimd<TV>(double a, ReadOnlySpan<double> x, Span<double> y) where TV : struct, ILanes<TV>
    {
        int w = TV.Count, k = 0;
        var va = TV.Broadcast(a);
        for (; k + w <= x.Length; k += w) TV.Store(TV.MultiplyAdd(va, TV.Load(x, k), TV.Load(y, k)), y, k);
        return k;
    }

    /// <summary>z ← z + x∘y (elementwise).</summary>
    public static void AccumulateProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z)
    {
        if (x.Length != y.Length || x.Length != z.Length) throw new ArgumentException("spans differ in length");
        int k = Lanes512.IsSupported ? AccumulateProductSimd<Lanes512>(x, y, z) : Lanes256.IsSupported ? AccumulateProductSimd<Lanes256>(x, y, z) : 0;
        for (; k < x.Length; k++) z[k] = Math.FusedMultiplyAdd(x[k], y[k], z[k]);
    }

    /// <summary>The scalar twin of <see cref="AccumulateProduct"/>: the same bits (one fused multiply-add per entry).</summary>
    public static void AccumulateProductScalar(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z)
    {
        for (int k = 0; k < x.Length; k++) z[k] = Math.FusedMultiplyAdd(x[k], y[k], z[k]);
    }

    private static int AccumulateProductSimd<TV>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z) where TV : struct, ILanes<TV>
    {
        int w = TV.Count, k = 0;
        for (; k + w <= x.Length; k += w) TV.Store(TV.MultiplyAdd(TV.Load(x, k), TV.Load(y, k), TV.Load(z, k)), z, k);
        return k;
    }
}

namespace FimVerify.Numeric.Kernels;

/// <summary>The ReLU activation φ(x) = max(x, 0) in place on a span, SIMD with a scalar twin.</summary>
public static class Relu
{
    public static void Apply(Span<double> x)
    {
        int k = Lanes512.IsSupported ? ApplySimd<Lanes512>(x) : Lanes256.IsSupported ? ApplySimd<Lanes256>(x) : 0;
        ApplyScalar(x[k..]);
    }

    public static void ApplyScalar(Span<double> x)
    {
        // NaN stays NaN (Math.Max propagates it), so a bad input is still detected downstream.
        for (int k = 0; k < x.Length; k++) x[k] = Math.Max(x[k], 0.0);
    }

    private static int ApplySimd<TV>(Span<double> x) where TV : struct, ILanes<TV>
    {
        int w = TV.Count, k = 0;
        var zero = TV.Broadcast(0);
        for (; k + w <= x.Length; k += w) TV.Store(TV.Max(TV.Load(x, k), zero), x, k);
        return k;
    }
}

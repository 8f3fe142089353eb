using FimVerify.Numeric.Kernels;

namespace FimVerify.Numeric.Activations;

/// <summary>φ(x) = max(x, 0); φ′ = 1{x > 0}. The span path is SIMD (it runs on every hidden unit).</summary>
public sealed class Relu : IActivation
{
    public string Name => "relu";
    public bool SingularAtOrigin => true;
    public double Value(double x) => x > 0 ? x : 0;
    public double Derivative(double x) => x > 0 ? 1 : 0;

    public void Apply(ReadOnlySpan<double> u, Span<double> h)
    {
        if (u.Length != h.Length) throw new ArgumentException("spans differ in length");
        int k = Lanes512.IsSupported ? ApplySimd<Lanes512>(u, h) : Lanes256.IsSupported ? ApplySimd<Lanes256>(u, h) : 0;
        for (; k < u.Length; k++) h[k] = Value(u[k]);
    }

    private static int ApplySimd<TV>(ReadOnlySpan<double> u, Span<double> h) where TV : struct, ILanes<TV>
    {
        int w = TV.Count, k = 0;
        var zero = TV.Broadcast(0);
        for (; k + w <= u.Length; k += w) TV.Store(TV.Max(TV.Load(u, k), zero), h, k);
        return k;
    }
}

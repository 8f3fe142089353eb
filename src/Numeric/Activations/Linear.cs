namespace FimVerify.Numeric.Activations;

/// <summary>φ(x) = x (deep linear network).</summary>
public sealed class Linear : IActivation
{
    public string Name => "linear";
    public bool SingularAtOrigin => false;
    public double Value(double x) => x;
    public double Derivative(double x) => 1;
    public void Apply(ReadOnlySpan<double> u, Span<double> h) => u.CopyTo(h);
}

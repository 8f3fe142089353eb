using MathNet.Numerics;

namespace FimVerify.Numeric.Activations;

/// <summary>φ(x) = x·Φ(x) (exact GELU, not the tanh approximation); φ′(x) = Φ(x) + x·ϕ(x).</summary>
public sealed class Gelu : IActivation
{
    public string Name => "gelu";
    public bool SingularAtOrigin => false;
    public double Value(double x) => x * NormalCdf(x);
    public double Derivative(double x) => NormalCdf(x) + x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
    private static double NormalCdf(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));
}

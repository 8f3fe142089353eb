namespace FimVerify.Numeric.Activations;

/// <summary>φ(x) = tanh x, φ′(x) = 1 − tanh² x.</summary>
public sealed class Tanh : IActivation
{
    public string Name => "tanh";
    public bool SingularAtOrigin => false;
    public double Value(double x) => Math.Tanh(x);
    public double Derivative(double x) { double t = Math.Tanh(x); return 1 - t * t; }
}

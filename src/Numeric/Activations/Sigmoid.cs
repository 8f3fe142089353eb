namespace FimVerify.Numeric.Activations;

/// <summary>φ(x) = 1/(1 + e^{−x}), φ′ = φ(1 − φ). Non-centred: ∫Dz φ = 1/2.</summary>
public sealed class Sigmoid : IActivation
{
    public string Name => "sigmoid";
    public bool SingularAtOrigin => false;
    public double Value(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
    public double Derivative(double x) { double s = Value(x); return s * (1 - s); }
}

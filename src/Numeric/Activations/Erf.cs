using MathNet.Numerics;

namespace FimVerify.Numeric.Activations;

/// <summary>φ(x) = erf(x), φ′(x) = (2/√π) e^{−x²}.</summary>
public sealed class Erf : IActivation
{
    public string Name => "erf";
    public bool SingularAtOrigin => false;
    public double Value(double x) => SpecialFunctions.Erf(x);
    public double Derivative(double x) => 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x);
}

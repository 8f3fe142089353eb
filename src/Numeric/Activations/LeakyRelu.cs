namespace FimVerify.Numeric.Activations;

/// <summary>φ(x) = x for x > 0 and s·x otherwise, with slope s ∈ [0, 1).</summary>
public sealed class LeakyRelu : IActivation
{
    public LeakyRelu(double slope)
    {
        if (!(slope >= 0 && slope < 1)) throw new ArgumentOutOfRangeException(nameof(slope), "the leaky-ReLU slope must lie in [0, 1)");
        Slope = slope;
    }

    public double Slope { get; }
    public string Name => $"leaky-relu:{Slope.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    public bool SingularAtOrigin => true;
    public double Value(double x) => x > 0 ? x : Slope * x;
    public double Derivative(double x) => x > 0 ? 1 : Slope;
}

namespace FimVerify.Numeric.Activations;

/// <summary>
/// A pointwise activation φ with its (weak) derivative. The span methods are what networks call; the
/// scalar ones are the reference and what quadrature calls. A parsed symbolic expression plugs in through
/// <see cref="ExpressionActivation"/>.
/// </summary>
public interface IActivation
{
    /// <summary>The name used on the command line ("tanh", "relu", …) or the expression text.</summary>
    string Name { get; }

    /// <summary>
    /// True when φ or φ′ has a kink or jump at 0 (ReLU family). Quadrature then splits the line at 0,
    /// because Gauss–Hermite converges only algebraically across a kink.
    /// </summary>
    bool SingularAtOrigin { get; }

    double Value(double x);
    double Derivative(double x);

    /// <summary>h[i] = φ(u[i]).</summary>
    void Apply(ReadOnlySpan<double> u, Span<double> h)
    {
        if (u.Length != h.Length) throw new ArgumentException("spans differ in length");
        for (int i = 0; i < u.Length; i++) h[i] = Value(u[i]);
    }

    /// <summary>d[i] = φ′(u[i]).</summary>
    void ApplyDerivative(ReadOnlySpan<double> u, Span<double> d)
    {
        if (u.Length != d.Length) throw new ArgumentException("spans differ in length");
        for (int i = 0; i < u.Length; i++) d[i] = Derivative(u[i]);
    }
}

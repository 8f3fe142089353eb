namespace FimVerify.Numeric.Activations;

/// <summary>
/// A user activation given as an expression. The symbolic layer parses the text and differentiates it;
/// this class only carries the compiled value and derivative, so any parser's output plugs in here.
/// </summary>
public sealed class ExpressionActivation(string expression, Func<double, double> value, Func<double, double> derivative,
    bool singularAtOrigin = false) : IActivation
{
    public string Name => expression;
    public bool SingularAtOrigin => singularAtOrigin;
    public double Value(double x) => value(x);
    public double Derivative(double x) => derivative(x);
}

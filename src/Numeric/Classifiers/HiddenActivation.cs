namespace FimVerify.Numeric.Classifiers;

/// <summary>The nonlinearity of a classifier's hidden layers.</summary>
public enum HiddenActivation { Relu, Tanh }

public static class HiddenActivations
{
    public static double Value(this HiddenActivation a, double z) => a == HiddenActivation.Relu ? Math.Max(z, 0) : Math.Tanh(z);

    /// <summary>σ'(z) from z and the already computed σ(z) (tanh' = 1 − tanh²; ReLU' taken as 0 at 0).</summary>
    public static double Derivative(this HiddenActivation a, double z, double value) =>
        a == HiddenActivation.Relu ? (z > 0 ? 1 : 0) : 1 - value * value;

    public static HiddenActivation Parse(string name) => name switch
    {
        "relu" => HiddenActivation.Relu,
        "tanh" => HiddenActivation.Tanh,
        _ => throw new ArgumentException($"unknown activation '{name}' (relu or tanh)"),
    };
}

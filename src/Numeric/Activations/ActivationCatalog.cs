using System.Globalization;

namespace FimVerify.Numeric.Activations;

/// <summary>The named activations: relu, leaky-relu[:slope], linear, erf, tanh, sigmoid, gelu.</summary>
public static class ActivationCatalog
{
    public static readonly string[] Names = ["relu", "leaky-relu", "linear", "erf", "tanh", "sigmoid", "gelu"];

    /// <summary>
    /// Parses a name; leaky-relu takes an optional slope "leaky-relu:0.1" (default 0.01); "expr:…" is any function
    /// of x, parsed and differentiated by the symbolic layer (e.g. "expr:x/(1 + exp(-x))").
    /// </summary>
    public static IActivation Parse(string name)
    {
        if (name.TrimStart().StartsWith(ExpressionActivation.Prefix, StringComparison.OrdinalIgnoreCase))
            return ExpressionActivation.FromText(name.TrimStart()[ExpressionActivation.Prefix.Length..]);
        string key = name.Trim().ToLowerInvariant();
        if (key.StartsWith("leaky-relu", StringComparison.Ordinal))
        {
            string rest = key["leaky-relu".Length..];
            if (rest.Length == 0) return new LeakyRelu(0.01);
            if (rest[0] == ':' && double.TryParse(rest[1..], NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s >= 0 && s < 1)
                return new LeakyRelu(s);
            throw new ArgumentException($"the leaky-ReLU slope in '{name}' must be a number in [0, 1), as in leaky-relu:0.1");
        }
        return key switch
        {
            "relu" => new Relu(),
            "linear" => new Linear(),
            "erf" => new Erf(),
            "tanh" => new Tanh(),
            "sigmoid" => new Sigmoid(),
            "gelu" => new Gelu(),
            _ => throw new ArgumentException($"unknown activation '{name}'; choose one of {string.Join(", ", Names)}, or expr:<function of x>"),
        };
    }
}

using System.Globalization;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;

namespace FimVerify.Cli.CommandLine;

/// <summary>The options shared by the mean-field commands: --activation, --depth, --sigma-w2, --sigma-b2, --widths.</summary>
public static class MeanFieldOptions
{
    public const string Synopsis = """
          --activation A   relu, leaky-relu[:slope], linear, erf, tanh, sigmoid, gelu, or expr:<function of x>
                           such as expr:x/(1+exp(-x)) (parsed and differentiated symbolically) (required)
          --depth L        number of weight layers, L ≥ 1 (L − 1 hidden layers) (required)
          --sigma-w2 X     weight variance σ_w² > 0, W ~ N(0, σ_w²/M_{l−1}) (required)
          --sigma-b2 Y     bias variance σ_b² ≥ 0 (required)
          --widths a0,…    width ratios α_0 … α_{L−1} > 0 (input and hidden layers; default all 1)
        """;

    public static (IActivation activation, NetworkShape shape) Read(ArgumentReader args)
    {
        string name = args.OptionalString("--activation") ?? throw new UsageException("The option --activation is required.");
        IActivation activation;
        try { activation = ActivationCatalog.Parse(name); }
        catch (ArgumentException e) { throw new UsageException(Sentence(e.Message)); }
        if (!args.Has("--depth")) throw new UsageException("The option --depth is required.");
        int depth = args.Int("--depth", 0, 1, 1000);
        if (!args.Has("--sigma-w2")) throw new UsageException("The option --sigma-w2 is required.");
        double sw = args.Double("--sigma-w2", 1, 0, 1e6);
        if (!args.Has("--sigma-b2")) throw new UsageException("The option --sigma-b2 is required.");
        double sb = args.Double("--sigma-b2", 0, double.NegativeInfinity, 1e6);
        if (sb < 0) throw new UsageException($"The option --sigma-b2 must be non-negative, but got {sb.ToString(CultureInfo.InvariantCulture)}.");
        double[]? widths = null;
        string? w = args.OptionalString("--widths");
        if (w is not null)
        {
            var parts = w.Split(',', StringSplitOptions.TrimEntries);
            widths = new double[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out widths[i]) || !double.IsFinite(widths[i]) || widths[i] <= 0)
                    throw new UsageException($"Every width ratio in --widths must be a positive number, but got '{parts[i]}'.");
            if (widths.Length != depth)
                throw new UsageException($"The option --widths needs {depth} ratios α_0 … α_{depth - 1} for depth {depth}, but got {widths.Length}.");
        }
        try { return (activation, new NetworkShape(depth, sw, sb, widths)); }
        catch (ArgumentException e) { throw new UsageException(Sentence(e.Message)); }
    }

    private static string Sentence(string s) => char.ToUpperInvariant(s[0]) + s[1..] + (s.EndsWith('.') ? "" : ".");

    /// <summary>True for positively homogeneous φ, whose χ does not depend on q.</summary>
    public static bool IsHomogeneous(IActivation a) => a is Relu or LeakyRelu or Linear;
}

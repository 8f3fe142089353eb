namespace FimVerify.Numeric.MeanField;

/// <summary>
/// The architecture the recurrences see: depth L (weight layers), width ratios α_0 … α_{L−1} (M_l = α_l M;
/// α_0 is the input), and the initialisation variances W ~ N(0, σ_w²/M_{l−1}), b ~ N(0, σ_b²).
/// </summary>
public sealed record NetworkShape
{
    public NetworkShape(int depth, double sigmaW2, double sigmaB2, double[]? widthRatios = null)
    {
        if (depth < 1) throw new ArgumentException($"the depth must be at least 1, but got {depth}");
        if (!(sigmaW2 > 0) || !double.IsFinite(sigmaW2)) throw new ArgumentException($"σ_w² must be positive and finite, but got {sigmaW2}");
        if (!(sigmaB2 >= 0) || !double.IsFinite(sigmaB2)) throw new ArgumentException($"σ_b² must be non-negative and finite, but got {sigmaB2}");
        widthRatios ??= Enumerable.Repeat(1.0, depth).ToArray();
        if (widthRatios.Length != depth)
            throw new ArgumentException($"give {depth} width ratios α_0 … α_{depth - 1} (input and hidden layers), but got {widthRatios.Length}");
        foreach (var a in widthRatios)
            if (!(a > 0) || !double.IsFinite(a)) throw new ArgumentException($"every width ratio must be positive, but got {a}");
        Depth = depth; SigmaW2 = sigmaW2; SigmaB2 = sigmaB2; WidthRatios = widthRatios;
        // Ratios each finite can still give α = Σ α_l α_{l−1} = ∞ (1e300·1e300): every prediction would be ∞ or NaN.
        if (!double.IsFinite(Alpha))
            throw new ArgumentException($"the width ratios give α = Σ α_l α_(l−1) = {Alpha}, not a finite number; use ratios whose products are finite");
    }

    public int Depth { get; }
    public double SigmaW2 { get; }
    public double SigmaB2 { get; }
    /// <summary>α_0 … α_{L−1}.</summary>
    public double[] WidthRatios { get; }

    /// <summary>α = Σ_{l=1}^{L−1} α_l α_{l−1}, so that P ≈ α M² (zero for L = 1).</summary>
    public double Alpha
    {
        get
        {
            double s = 0;
            for (int l = 1; l < Depth; l++) s += WidthRatios[l] * WidthRatios[l - 1];
            return s;
        }
    }

    /// <summary>Layer widths M_0 … M_L for base width M and C outputs (M_l = round(α_l M) ≥ 1).</summary>
    public int[] Widths(int m, int outputs)
    {
        var w = new int[Depth + 1];
        for (int l = 0; l < Depth; l++)
        {
            double width = Math.Round(WidthRatios[l] * m);
            if (!(width <= Array.MaxLength))
                throw new Resources.ResourceLimitException($"layer {l} would have α_{l}·M = {width:G4} units, more than an array can hold; use a smaller width or ratio");
            w[l] = Math.Max(1, (int)width);
        }
        w[Depth] = outputs;
        return w;
    }
}

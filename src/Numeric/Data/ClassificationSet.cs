namespace FimVerify.Numeric.Data;

/// <summary>Labelled inputs: features row-major (count × dimension), labels in 0..classes−1.</summary>
/// <param name="Image">The image shape when the inputs are images (its size is the dimension), which convolutions need.</param>
public sealed record ClassificationSet(double[] Features, int[] Labels, int Dimension, int Classes, string Name, ImageShape? Image = null)
{
    public int Count => Labels.Length;

    public ReadOnlySpan<double> Input(int n) => Features.AsSpan(n * Dimension, Dimension);

    /// <summary>The first count examples (data sets here are already in a seeded or canonical order).</summary>
    public ClassificationSet Take(int count)
    {
        if (count < 1 || count > Count) throw new ArgumentException($"cannot take {count} examples from a set of {Count}");
        return this with { Features = Features[..(count * Dimension)], Labels = Labels[..count] };
    }
}

using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Data;

/// <summary>
/// A synthetic classification set: class c has mean μ_c with entries N(0, separation²/d), inputs are
/// μ_y + N(0, I_d) with labels uniform over the classes. Means come from seed.Child("means"), example n from
/// seed.Child("examples").Child(n), so a larger set extends a smaller one with the same seed.
/// </summary>
public static class GaussianMixture
{
    public static ClassificationSet Generate(int count, int dimension, int classes, double separation, SeedSequence seed)
    {
        if (count < 1 || dimension < 1) throw new ArgumentException("the mixture needs at least one example of dimension at least 1");
        if (classes < 2) throw new ArgumentException("a classification set needs at least 2 classes");
        if (!(separation >= 0) || !double.IsFinite(separation)) throw new ArgumentException("the class separation must be a finite non-negative number");
        var means = new double[classes * dimension];
        seed.Child("means").CreateSampler().FillGaussian(means, separation / Math.Sqrt(dimension));
        var features = new double[count * dimension];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            var sampler = seed.Child("examples").Child(n).CreateSampler();
            int y = (int)(sampler.NextUInt64() % (ulong)classes);
            labels[n] = y;
            var x = features.AsSpan(n * dimension, dimension);
            sampler.FillGaussian(x);
            for (int i = 0; i < dimension; i++) x[i] += means[y * dimension + i];
        }
        return new ClassificationSet(features, labels, dimension, classes, $"gaussian-mixture(d={dimension}, C={classes}, sep={separation})");
    }
}

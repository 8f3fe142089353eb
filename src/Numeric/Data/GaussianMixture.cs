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
        Validate(count, dimension, classes, separation);
        var means = new double[classes * dimension];
        seed.Child("means").CreateSampler().FillGaussian(means, separation / Math.Sqrt(dimension));
        return Sample(count, dimension, classes, means, seed, $"gaussian-mixture(d={dimension}, C={classes}, sep={separation})", null);
    }

    /// <summary>
    /// Synthetic images for convolutional networks: the same mixture, but each class mean is an image with spatial structure,
    /// N(0, 1) pixels (seed.Child("means")) smoothed by a 3×3 box filter within the image, per channel, then scaled to norm
    /// <paramref name="separation"/> (the mixture's expected ‖μ_c‖), so neighbouring pixels are correlated as in real images.
    /// </summary>
    public static ClassificationSet GenerateImages(int count, ImageShape shape, int classes, double separation, SeedSequence seed)
    {
        if (shape.Height < 1 || shape.Width < 1 || shape.Channels < 1 || shape.Size > 1 << 24) throw new ArgumentException("synthetic images need a positive shape of at most 2^24 values");
        int d = (int)shape.Size;
        Validate(count, d, classes, separation);
        var noise = new double[classes * d];
        seed.Child("means").CreateSampler().FillGaussian(noise);
        var means = new double[classes * d];
        int h = shape.Height, w = shape.Width, ch = shape.Channels;
        for (int c = 0; c < classes; c++)
        {
            var source = noise.AsSpan(c * d, d);
            var mean = means.AsSpan(c * d, d);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int k = 0; k < ch; k++)
                    {
                        double s = 0;
                        for (int dy = Math.Max(0, y - 1); dy <= Math.Min(h - 1, y + 1); dy++)
                            for (int dx = Math.Max(0, x - 1); dx <= Math.Min(w - 1, x + 1); dx++) s += source[(dy * w + dx) * ch + k];
                        mean[(y * w + x) * ch + k] = s;
                    }
            double norm = Math.Sqrt(Kernels.Dot.ProductScalar(mean, mean));
            for (int i = 0; i < d; i++) mean[i] *= norm > 0 ? separation / norm : 0;
        }
        return Sample(count, d, classes, means, seed, $"synthetic-images({shape}, C={classes}, sep={separation})", shape);
    }

    private static void Validate(int count, int dimension, int classes, double separation)
    {
        if (count < 1 || dimension < 1) throw new ArgumentException("the mixture needs at least one example of dimension at least 1");
        if (classes < 2) throw new ArgumentException("a classification set needs at least 2 classes");
        if (!(separation >= 0) || !double.IsFinite(separation)) throw new ArgumentException("the class separation must be a finite non-negative number");
    }

    private static ClassificationSet Sample(int count, int dimension, int classes, double[] means, SeedSequence seed, string name, ImageShape? image)
    {
        var features = new double[(long)count * dimension];
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
        return new ClassificationSet(features, labels, dimension, classes, name, image);
    }
}

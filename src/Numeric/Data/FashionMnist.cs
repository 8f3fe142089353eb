using System.Buffers.Binary;
using System.IO.Compression;

namespace FimVerify.Numeric.Data;

/// <summary>
/// Fashion-MNIST (28×28 grey images, 10 classes) read from the IDX files that Debian's
/// `dataset-fashion-mnist` package installs (`sudo apt-get install dataset-fashion-mnist`), plain or gzipped.
/// Pixels are scaled to [0, 1] and not centred, which keeps the images' zeros (about half the pixels) and
/// lets the first layer's products skip them.
/// </summary>
public static class FashionMnist
{
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";
    public const string InstallHint = "Fashion-MNIST is not installed; install it with 'sudo apt-get install dataset-fashion-mnist' (it puts the IDX files in " + DefaultDirectory + ").";
    public const int Side = 28, Classes = 10;

    public static bool IsInstalled(string directory = DefaultDirectory) =>
        Find(directory, "train-images-idx3-ubyte") is not null && Find(directory, "train-labels-idx1-ubyte") is not null;

    /// <summary>The first count examples of the training (or t10k test) split, in the file's order.</summary>
    public static ClassificationSet Load(int count, bool testSplit = false, string directory = DefaultDirectory)
    {
        string prefix = testSplit ? "t10k" : "train";
        string images = Find(directory, $"{prefix}-images-idx3-ubyte") ?? throw new FileNotFoundException(InstallHint);
        string labelsPath = Find(directory, $"{prefix}-labels-idx1-ubyte") ?? throw new FileNotFoundException(InstallHint);
        var (pixels, imageCount) = ReadIdx(images, 0x0803, count);
        var (labelBytes, labelCount) = ReadIdx(labelsPath, 0x0801, count);
        if (imageCount != labelCount) throw new InvalidDataException($"{images} and {labelsPath} disagree on the number of examples");
        int d = Side * Side;
        var features = new double[count * d];
        for (int k = 0; k < features.Length; k++) features[k] = pixels[k] / 255.0;
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = labelBytes[n];
            if (labels[n] >= Classes) throw new InvalidDataException($"{labelsPath} holds the label {labels[n]}, outside 0..9");
        }
        return new ClassificationSet(features, labels, d, Classes, $"fashion-mnist-{prefix}", new ImageShape(Side, Side, 1));
    }

    private static string? Find(string directory, string stem)
    {
        foreach (var name in new[] { stem, stem + ".gz" })
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>Reads the first `take` records of an IDX file (big-endian header: magic, then one size per dimension).</summary>
    private static (byte[] Data, int Total) ReadIdx(string path, int magic, int take)
    {
        // Regular files only, of a plausible size (the training images are 47 MB): a FIFO or /dev/zero under --data-dir is refused.
        using var file = Files.InputFile.OpenRead(path, $"The Fashion-MNIST file '{path}'", Files.InputFile.DataLimit);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> word = stackalloc byte[4];
        stream.ReadExactly(word);
        int found = BinaryPrimitives.ReadInt32BigEndian(word);
        if (found != magic) throw new InvalidDataException($"{path} is not an IDX file of the expected kind (magic {found:X}, expected {magic:X})");
        int dims = magic & 0xFF, total = 0, recordSize = 1;
        for (int k = 0; k < dims; k++)
        {
            stream.ReadExactly(word);
            int size = BinaryPrimitives.ReadInt32BigEndian(word);
            if (k == 0) total = size; else recordSize *= size;
        }
        if (dims == 3 && recordSize != Side * Side) throw new InvalidDataException($"{path} holds images of {recordSize} pixels, not 28×28");
        if (take < 1 || take > total) throw new ArgumentException($"cannot take {take} examples from the {total} in {Path.GetFileName(path)}");
        var data = new byte[(long)take * recordSize];
        stream.ReadExactly(data);
        return (data, total);
    }
}

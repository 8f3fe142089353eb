using FimVerify.Numeric.Data;
using Xunit;

namespace FimVerify.Numeric.Tests.Data;

/// <summary>A fact that is skipped, with the install command as its reason, when Fashion-MNIST is absent.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!FashionMnist.IsInstalled()) Skip = FashionMnist.InstallHint;
    }
}

public class FashionMnistTests
{
    [FashionMnistFact]
    public void TheInstalledFilesReadAsTenClassesOfScaledImages()
    {
        var set = FashionMnist.Load(1000);
        Assert.Equal(784, set.Dimension);
        Assert.Equal(1000, set.Count);
        Assert.All(set.Features, x => Assert.InRange(x, 0.0, 1.0));
        Assert.Equal(9, set.Labels[0]); // the first training image is an ankle boot
        Assert.Equal(10, set.Labels.Distinct().Count());
        Assert.Contains(set.Features, x => x == 1.0);
        Assert.InRange(set.Features.Count(x => x == 0) / (double)set.Features.Length, 0.3, 0.7);
        var test = FashionMnist.Load(10, testSplit: true);
        Assert.Equal(10, test.Count);
    }

    [Fact]
    public void AMissingDirectorySaysHowToInstall()
    {
        string empty = Directory.CreateTempSubdirectory("fimverify-no-mnist").FullName;
        Assert.False(FashionMnist.IsInstalled(empty));
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(10, directory: empty));
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
    }
}

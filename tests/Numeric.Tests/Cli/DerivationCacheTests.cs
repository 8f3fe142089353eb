using FimVerify.Symbolic;
using Microsoft.FSharp.Collections;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// The per-user derivation cache is an optimisation only: what it returns equals what deriving afresh gives (structurally, steps
/// included), a damaged entry is re-derived, a failing derivation is never stored, and an unusable folder only costs time.
/// </summary>
[Collection("derivation cache")] // these tests point FIMVERIFY_CACHE at folders of their own, one at a time
public class DerivationCacheTests
{
    private static string TemporaryFolder() => Directory.CreateTempSubdirectory("fimverify-cache-test-").FullName;

    private static void WithCacheAt(string folder, Action body)
    {
        var previous = Environment.GetEnvironmentVariable("FIMVERIFY_CACHE");
        Environment.SetEnvironmentVariable("FIMVERIFY_CACHE", folder);
        try { body(); }
        finally { Environment.SetEnvironmentVariable("FIMVERIFY_CACHE", previous); }
    }

    private static void AssertSame(CachedDerivation expected, CachedDerivation actual)
    {
        Assert.Equal(expected.Expressions.Select(e => e.Item1), actual.Expressions.Select(e => e.Item1));
        foreach (var (a, b) in expected.Expressions.Zip(actual.Expressions))
            Assert.True(a.Item2.Equals(b.Item2), $"{a.Item1}: {Infix.format(a.Item2)} vs {Infix.format(b.Item2)}");
        Assert.Equal(expected.Steps, actual.Steps);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void StatisticsFromTheCacheEqualAFreshDerivation(int depth)
    {
        var fresh = MeanFieldStatistics.toCached(MeanFieldStatistics.derive(depth));
        Assert.True(fresh.Steps.All(s => s.Holds));
        string key = MeanFieldStatistics.cacheKey(depth);
        // The codec alone, then the whole round trip through a cache folder (stored on the first call, read on the second).
        AssertSame(fresh, DerivationCache.decode(key, DerivationCache.encode(key, fresh))!.Value);
        WithCacheAt(TemporaryFolder(), () =>
        {
            int derivations = 0;
            CachedDerivation Derive() { derivations++; return fresh; }
            var first = DerivationCache.getOrDerive(key, FSharpFunc(Derive));
            var second = DerivationCache.getOrDerive(key, FSharpFunc(Derive));
            Assert.Equal(1, derivations);
            AssertSame(fresh, first);
            AssertSame(fresh, second);
        });
        // The record rebuilt from the cache gives the same forms as the derivation itself.
        AssertSame(fresh, MeanFieldStatistics.toCached(MeanFieldStatistics.ofCached(depth, fresh)));
    }

    [Fact]
    public void SpectrumFormsFromTheCacheEqualFreshOnes()
    {
        var fresh = MeanFieldStatistics.spectrumFormsToCached(MeanFieldStatistics.spectrumForms.Value);
        string key = MeanFieldStatistics.spectrumFormsCacheKey;
        AssertSame(fresh, DerivationCache.decode(key, DerivationCache.encode(key, fresh))!.Value);
        WithCacheAt(TemporaryFolder(), () =>
        {
            int derivations = 0;
            CachedDerivation Derive() { derivations++; return fresh; }
            AssertSame(fresh, DerivationCache.getOrDerive(key, FSharpFunc(Derive)));
            AssertSame(fresh, DerivationCache.getOrDerive(key, FSharpFunc(Derive)));
            Assert.Equal(1, derivations);
        });
        // Rebuilt from the cache: every form, both spectra with their multiplicities, in order.
        var rebuilt = MeanFieldStatistics.spectrumFormsOfCached(fresh);
        Assert.True(rebuilt.Equals(MeanFieldStatistics.spectrumForms.Value));
        Assert.True(MeanFieldStatistics.cachedSpectrumForms.Value.Equals(MeanFieldStatistics.spectrumForms.Value));
    }

    private static GaussianKernelForms FreshKernelForms(string activation) => activation switch
    {
        "relu" => MeanFieldKernels.deriveRelu(),
        "leaky-relu" => MeanFieldKernels.deriveLeakyRelu(),
        "linear" => MeanFieldKernels.linear.Value,
        _ => MeanFieldKernels.erf.Value,
    };

    private static GaussianKernelForms CachedKernelForms(string activation) => activation switch
    {
        "relu" => MeanFieldKernels.cachedRelu.Value,
        "leaky-relu" => MeanFieldKernels.cachedLeakyRelu.Value,
        "linear" => MeanFieldKernels.cachedLinear.Value,
        _ => MeanFieldKernels.cachedErf.Value,
    };

    private static void AssertSameForms(GaussianKernelForms expected, GaussianKernelForms actual)
    {
        Assert.Equal(expected.Activation, actual.Activation);
        Assert.Equal(expected.Parameters, actual.Parameters);
        AssertSame(MeanFieldKernels.toCached(expected), MeanFieldKernels.toCached(actual)); // the five forms, in order, and the steps
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("leaky-relu")]
    [InlineData("linear")]
    [InlineData("erf")]
    public void KernelFormsFromTheCacheEqualAFreshDerivation(string activation)
    {
        var fresh = FreshKernelForms(activation);
        var stored = MeanFieldKernels.toCached(fresh);
        Assert.True(stored.Steps.All(s => s.Holds));
        string key = MeanFieldKernels.cacheKey(activation);
        AssertSameForms(fresh, MeanFieldKernels.ofCached(activation, DerivationCache.decode(key, DerivationCache.encode(key, stored))!.Value));
        // What fim-stats and the closed-form kernels use: read from (or stored into) this user's cache, equal to a fresh derivation.
        AssertSameForms(fresh, CachedKernelForms(activation));
    }

    [Fact]
    public void DamagedEntriesAreDerivedAgainAndFailingDerivationsAreNotStored()
    {
        var fresh = MeanFieldStatistics.toCached(MeanFieldStatistics.derive(2));
        string key = MeanFieldStatistics.cacheKey(2), folder = TemporaryFolder();
        WithCacheAt(folder, () =>
        {
            DerivationCache.getOrDerive(key, FSharpFunc(() => fresh));
            var file = Directory.GetFiles(folder, "*.txt", SearchOption.AllDirectories).Single();
            // Altered content (a symbol renamed): the digest no longer matches, so it is ignored and re-derived.
            var text = File.ReadAllText(file);
            Assert.Contains("5:alpha", text);
            File.WriteAllText(file, text.Replace("5:alpha", "5:alphb"));
            int derivations = 0;
            AssertSame(fresh, DerivationCache.getOrDerive(key, FSharpFunc(() => { derivations++; return fresh; })));
            Assert.Equal(1, derivations);
            File.WriteAllText(file, "fimverify-derivation-cache 1\n" + key + "\n"); // truncated
            AssertSame(fresh, DerivationCache.getOrDerive(key, FSharpFunc(() => fresh)));

            var failing = new CachedDerivation(fresh.Expressions, ListModule.OfSeq([new ProofStep("a false step", "test", false)]));
            DerivationCache.getOrDerive("failing", FSharpFunc(() => failing));
            Assert.Empty(Directory.GetFiles(folder, "failing*", SearchOption.AllDirectories));
        });
        // Corrupting the codec's text directly: never an exception, just no entry.
        Assert.Null(DerivationCache.decode(key, DerivationCache.encode(key, fresh).Replace("+", "?")));
    }

    [Fact]
    public void AnUnwritableFolderOnlyCostsTime()
    {
        var file = Path.Combine(TemporaryFolder(), "not-a-folder");
        File.WriteAllText(file, "");
        var fresh = MeanFieldStatistics.toCached(MeanFieldStatistics.derive(2));
        WithCacheAt(Path.Combine(file, "below-a-file"), () =>
            AssertSame(fresh, DerivationCache.getOrDerive(MeanFieldStatistics.cacheKey(2), FSharpFunc(() => fresh))));
    }

    [Fact]
    public void DeriveOrderParamsPrintsTheSameWithAndWithoutTheCache()
    {
        WithCacheAt(TemporaryFolder(), () =>
        {
            string[] args = ["derive", "order-params", "--activation", "erf", "--depth", "3", "--sigma-w2", "1.5", "--sigma-b2", "0.1", "--format", "json", "--steps"];
            var fresh = CliRunner.Run([.. args, "--no-cache"]);
            var storing = CliRunner.Run(args);
            var reading = CliRunner.Run(args);
            Assert.Equal(0, fresh.Code);
            Assert.Equal(fresh.Out, storing.Out);
            Assert.Equal(fresh.Out, reading.Out);
        });
    }

    private static Func<CachedDerivation> FSharpFunc(Func<CachedDerivation> f) => f;
}

using FimVerify.Numeric.Resources;
using Xunit;

namespace FimVerify.Numeric.Tests.Resources;

/// <summary>The size arithmetic saturates instead of wrapping, and the policy refuses exactly what exceeds a limit.</summary>
public sealed class ResourceLimitsTests
{
    [Fact]
    public void SizesSaturateInsteadOfWrapping()
    {
        Assert.Equal(long.MaxValue, CheckedSize.Multiply(4_000_000_000, 4_000_000_000, 8));
        Assert.Equal(long.MaxValue, CheckedSize.Add(long.MaxValue - 1, 2));
        Assert.Equal(0, CheckedSize.Multiply(0, long.MaxValue));
        Assert.Equal(4000L * 4000 * 1000 * 1000, CheckedSize.Multiply(4000, 4000, 1000, 1000));
        // int arithmetic wrapped 4e6² to a negative length; the checked conversion says what would not fit.
        var e = Assert.Throws<ResourceLimitException>(() => CheckedSize.ArrayLength(CheckedSize.Multiply(4_000_000, 4_000_000), "the weights"));
        Assert.Contains("the weights would need an array of 1.6e+13 numbers", e.Message);
        Assert.Equal(long.MaxValue, CheckedSize.Ceiling(1e300));
    }

    [Fact]
    public void EstimatesCombineAsTheWorkRuns()
    {
        var a = new ResourceEstimate(100, 10, 5);
        var b = new ResourceEstimate(50, 20, 7);
        Assert.Equal(new ResourceEstimate(150, 30, 7), a.With(b));
        Assert.Equal(new ResourceEstimate(100, 30, 7), a.Then(b));
        Assert.Equal(new ResourceEstimate(200, 100, 5), a.Repeated(10, 2));
        Assert.Equal(long.MaxValue, new ResourceEstimate(long.MaxValue / 2 + 1, 0, 0).Repeated(4, 4).Bytes);
    }

    [Fact]
    public void ThePolicyRefusesWhatExceedsALimitAndNothingElse()
    {
        var limits = new ResourceLimits(1000, "test", 10, "test");
        limits.Require(new ResourceEstimate(1000, 10 * ResourceLimits.OperationsPerSecondPerCore * Environment.ProcessorCount, 10), "a request", "reduce it");
        Assert.Contains("a request needs about 5 KB of memory, more than the 1 KB it may use (test): reduce it",
            Assert.Throws<ResourceLimitException>(() => limits.Require(new ResourceEstimate(5000, 0, 0), "a request", "reduce it")).Message);
        Assert.Throws<ResourceLimitException>(() => limits.Require(new ResourceEstimate(1001, 0, 0), "a request", "reduce it"));
        Assert.Contains("more than the 10 s limit (test)",
            Assert.Throws<ResourceLimitException>(() => limits.Require(ResourceEstimate.Work(11 * ResourceLimits.OperationsPerSecondPerCore * Environment.ProcessorCount), "a request", "reduce it")).Message);
        Assert.Contains("needs an array of",
            Assert.Throws<ResourceLimitException>(() => limits.Require(new ResourceEstimate(0, 0, (long)Array.MaxLength + 1), "a request", "reduce it")).Message);
    }

    [Theory]
    [InlineData("512M", 512L << 20)]
    [InlineData("8G", 8L << 30)]
    [InlineData("8gb", 8L << 30)]
    [InlineData("1.5K", 1536L)]
    [InlineData("1048576", 1L << 20)]
    public void MemoryLimitsRead(string text, long bytes) => Assert.Equal(bytes, ResourceLimits.ParseBytes(text));

    [Theory]
    [InlineData("90s", 90.0)]
    [InlineData("30m", 1800.0)]
    [InlineData("72h", 259200.0)]
    [InlineData("2d", 172800.0)]
    [InlineData("600", 600.0)]
    [InlineData("none", double.PositiveInfinity)]
    public void TimeLimitsRead(string text, double seconds) => Assert.Equal(seconds, ResourceLimits.ParseSeconds(text));

    [Theory]
    [InlineData("lots")]
    [InlineData("-1G")]
    [InlineData("0")]
    [InlineData("NaN")]
    [InlineData("")]
    public void NonsenseLimitsAreNotRead(string text)
    {
        Assert.Null(ResourceLimits.ParseBytes(text));
        Assert.Null(ResourceLimits.ParseSeconds(text));
    }
}

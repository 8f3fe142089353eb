using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.ShallowRelu;

public class EmpiricalFisherTests
{
    [Fact]
    public void MatchesTheDefiningSumOverAddressedInputs()
    {
        int d = 3, p = 37, n = 2500; // more than one batch
        var net = ShallowReluNetwork.Sample(d, p, SeedSequence.FromSeed(21));
        var seed = SeedSequence.FromSeed(22);
        var fast = EmpiricalFisher.Compute(net, n, seed);
        // Reference: the sum over t of X_(t)ᵀX_(t)/n with input t drawn from its address.
        var slow = new double[p * p];
        var x = new double[d]; var h = new double[p];
        for (int t = 0; t < n; t++)
        {
            seed.Child("empirical-fisher").Child(t).CreateSampler().FillGaussian(x);
            net.Hidden(x, h);
            for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) slow[i * p + j] += h[i] * h[j] / n;
        }
        double scale = slow.Max(Math.Abs);
        for (int e = 0; e < slow.Length; e++) Assert.True(Math.Abs(fast.Data[e] - slow[e]) <= 1e-13 * scale, $"entry {e}");
        Assert.Equal(0.0, fast.MaxAsymmetry());
    }

    [Fact]
    public void ResultIsBitwiseIndependentOfThreadCount()
    {
        var net = ShallowReluNetwork.Sample(4, 300, SeedSequence.FromSeed(23));
        var one = EmpiricalFisher.Compute(net, 3000, SeedSequence.FromSeed(24), maxDegreeOfParallelism: 1);
        var two = EmpiricalFisher.Compute(net, 3000, SeedSequence.FromSeed(24), maxDegreeOfParallelism: 2);
        Assert.Equal(one.Data, two.Data);
    }

    [Fact]
    public void BadSampleCountIsRejected()
    {
        var net = ShallowReluNetwork.Sample(2, 5, SeedSequence.FromSeed(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmpiricalFisher.Compute(net, 0, SeedSequence.FromSeed(1)));
    }
}

using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Resources;
using Xunit;

namespace FimVerify.Numeric.Tests.Resources;

/// <summary>
/// <see cref="RecycledArrays"/> lends a returned array again (once), lets the kept lengths go when another length is asked for,
/// keeps at most its byte budget (letting go of the lengths returned longest ago), refuses a second return, and a recycled network refuses to run; a network sampled into recycled arrays holds
/// exactly the weights of one sampled into fresh ones.
/// </summary>
[Collection("RecycledArrays")] // the pool is process-wide: these tests must not interleave with each other
public class RecycledArraysTests
{
    // Lengths no other test or experiment uses, so that arrays lent here are the ones returned here.
    private const int Length = RecycledArrays.MinimumLength + 17;

    [Fact]
    public void AReturnedArrayIsLentAgainOnceAndOnlyForItsLength()
    {
        var a = RecycledArrays.Rent(Length);
        Assert.Equal(Length, a.Length);
        RecycledArrays.Return(a);
        Assert.Throws<InvalidOperationException>(() => RecycledArrays.Return(a));
        Assert.Same(a, RecycledArrays.Rent(Length));
        Assert.NotSame(a, RecycledArrays.Rent(Length)); // lent once
        RecycledArrays.Return(a);
        Assert.NotSame(a, RecycledArrays.Rent(Length + 1)); // another length: a new array, and the kept lengths are let go
        Assert.NotSame(a, RecycledArrays.Rent(Length));
    }

    [Fact]
    public void TheBudgetIsKeptByLettingGoOfTheOldestLength()
    {
        int big = (int)(RecycledArrays.RetainedBytes / 8 / 3) + 3; // three of these exceed the budget
        var first = new double[big];
        var second = new double[big];
        var other = new double[big + 1];
        RecycledArrays.Return(first);
        RecycledArrays.Return(second);
        Assert.True(RecycledArrays.Retained <= RecycledArrays.RetainedBytes);
        RecycledArrays.Return(other); // over budget: the length `big` (returned before) goes
        Assert.True(RecycledArrays.Retained <= RecycledArrays.RetainedBytes);
        Assert.Same(other, RecycledArrays.Rent(big + 1));
        var fresh = RecycledArrays.Rent(big);
        Assert.NotSame(first, fresh);
        Assert.NotSame(second, fresh);
        RecycledArrays.Return(new double[RecycledArrays.MinimumLength - 1]); // too small to keep: ignored
        Assert.True(RecycledArrays.Retained <= RecycledArrays.RetainedBytes);
    }

    [Fact]
    public void ARecycledNetworkIsRefusedAndItsArraysCarryNoOldWeights()
    {
        var shape = new NetworkShape(2, 2, 0.1);
        var seed = SeedSequence.FromSeed(5);
        var fresh = Mlp.Sample(new Tanh(), shape, 300, 2, seed);
        var reference = fresh.Weights.Select(w => (double[])w.Clone()).ToArray();
        var x = fresh.SampleInputs(3, seed);
        fresh.Recycle();
        Assert.Throws<InvalidOperationException>(() => fresh.Forward(x, 3));
        Assert.Throws<InvalidOperationException>(() => fresh.Recycle());
        // Another network into the recycled arrays, then the first one again: the same bits as before.
        var other = Mlp.Sample(new Tanh(), shape, 300, 2, SeedSequence.FromSeed(6));
        other.Recycle();
        var again = Mlp.Sample(new Tanh(), shape, 300, 2, seed);
        for (int l = 0; l < reference.Length; l++) Assert.Equal(reference[l], again.Weights[l]);
    }
}

namespace FimVerify.Numeric.Random;

/// <summary>
/// Addresses randomness: the stream for (run seed, purpose, index…) is a pure function of those numbers,
/// so trial k draws the same values whatever the thread count, the shard, or which other trials run.
/// Mixing is SplitMix64's finaliser, applied along the path of keys.
/// </summary>
public readonly record struct SeedSequence(ulong State)
{
    public static SeedSequence FromSeed(long seed) => new(Mix((ulong)seed ^ 0x6A09E667F3BCC909UL));

    /// <summary>The child sequence for a key (a trial index, a chunk index, a claim's hash…).</summary>
    public SeedSequence Child(long key) => new(Mix(State + 0x9E3779B97F4A7C15UL * ((ulong)key + 1)));

    /// <summary>The child for a string key (a claim name), hashed stably across runs and platforms.</summary>
    public SeedSequence Child(string key)
    {
        ulong h = 0xCBF29CE484222325UL; // FNV-1a: stable, unlike string.GetHashCode
        foreach (char c in key) { h ^= c; h *= 0x100000001B3UL; }
        return Child((long)h);
    }

    public GaussianSampler CreateSampler() => new(this);

    /// <summary>The same streams with the normals computed one lane at a time (the scalar reference path: the same bits).</summary>
    public GaussianSampler CreateReferenceSampler() => new(this, scalar: true);

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

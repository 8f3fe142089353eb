namespace FimVerify.Numeric.Random;

/// <summary>
/// xoshiro256** uniform generator with Gaussian draws by the polar (Marsaglia) method.
/// Created only from a <see cref="SeedSequence"/>, so every stream has an address.
/// </summary>
public sealed class GaussianSampler
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spare;
    private bool _hasSpare;

    internal GaussianSampler(SeedSequence seed)
    {
        ulong x = seed.State;
        _s0 = SeedSequence.Mix(x += 0x9E3779B97F4A7C15UL);
        _s1 = SeedSequence.Mix(x += 0x9E3779B97F4A7C15UL);
        _s2 = SeedSequence.Mix(x += 0x9E3779B97F4A7C15UL);
        _s3 = SeedSequence.Mix(x + 0x9E3779B97F4A7C15UL);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextUniform() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal draw.</summary>
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spare; }
        double u, v, s;
        do
        {
            u = 2.0 * NextUniform() - 1.0;
            v = 2.0 * NextUniform() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double m = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spare = v * m; _hasSpare = true;
        return u * m;
    }

    /// <summary>Fills the span with N(0, σ²) draws.</summary>
    public void FillGaussian(Span<double> destination, double sigma = 1.0)
    {
        for (int k = 0; k < destination.Length; k++) destination[k] = sigma * NextGaussian();
    }
}

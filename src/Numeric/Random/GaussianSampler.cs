namespace FimVerify.Numeric.Random;

/// <summary>
/// The random streams of one address: uniforms from one xoshiro256** generator, and standard normals from the
/// Box–Muller transform over 8 more xoshiro256** streams (<see cref="BoxMullerKernel"/>, SIMD where the hardware has it).
/// Created only from a <see cref="SeedSequence"/>, so every stream has an address. The normals form one sequence: the k-th
/// draw is the same however the draws are split between <see cref="NextGaussian"/> and <see cref="FillGaussian"/> calls
/// and whatever the register width (the scalar reference path gives the same bits), and uniform draws do not disturb it.
/// </summary>
public sealed class GaussianSampler
{
    private ulong _s0, _s1, _s2, _s3;
    private readonly ulong[] _lanes = new ulong[4 * BoxMullerKernel.Lanes];
    private readonly double[] _block = new double[BoxMullerKernel.BlockSize];
    private int _nextInBlock = BoxMullerKernel.BlockSize; // draws of _block not yet handed out start here
    private readonly bool _scalar;

    internal GaussianSampler(SeedSequence seed, bool scalar = false)
    {
        ulong x = seed.State;
        _s0 = SeedSequence.Mix(x += 0x9E3779B97F4A7C15UL);
        _s1 = SeedSequence.Mix(x += 0x9E3779B97F4A7C15UL);
        _s2 = SeedSequence.Mix(x += 0x9E3779B97F4A7C15UL);
        _s3 = SeedSequence.Mix(x + 0x9E3779B97F4A7C15UL);
        BoxMullerKernel.Seed(seed, _lanes);
        _scalar = scalar;
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

    /// <summary>The next standard normal draw of the sequence.</summary>
    public double NextGaussian()
    {
        if (_nextInBlock == BoxMullerKernel.BlockSize) Refill();
        return _block[_nextInBlock++];
    }

    /// <summary>Fills the span with the next draws of the sequence times σ (N(0, σ²) draws).</summary>
    public void FillGaussian(Span<double> destination, double sigma = 1.0)
    {
        int k = 0;
        while (k < destination.Length && _nextInBlock < BoxMullerKernel.BlockSize) destination[k++] = sigma * _block[_nextInBlock++];
        int blocks = (destination.Length - k) / BoxMullerKernel.BlockSize;
        if (blocks > 0)
        {
            Fill(destination.Slice(k, blocks * BoxMullerKernel.BlockSize), blocks, sigma);
            k += blocks * BoxMullerKernel.BlockSize;
        }
        while (k < destination.Length) destination[k++] = sigma * NextGaussian();
    }

    private void Refill()
    {
        Fill(_block, 1, 1.0);
        _nextInBlock = 0;
    }

    private void Fill(Span<double> destination, int blocks, double sigma)
    {
        if (_scalar) BoxMullerKernel.FillScalar(_lanes, destination, blocks, sigma);
        else BoxMullerKernel.Fill(_lanes, destination, blocks, sigma);
    }
}

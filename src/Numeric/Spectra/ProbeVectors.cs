using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Spectra;

/// <summary>The distribution of random start vectors for SLQ and Hutchinson.</summary>
public enum ProbeDistribution { Rademacher, Gaussian }

public static class ProbeVectors
{
    /// <summary>
    /// Probe k, drawn from seed.Child(k): entries ±1 (Rademacher) or N(0, 1). Not normalised: E[z zᵀ] = I,
    /// so E[zᵀ A z] = tr A (Hutchinson); SLQ divides by ‖z‖ itself.
    /// </summary>
    public static double[] Draw(ProbeDistribution distribution, int dimension, SeedSequence seed, int k)
    {
        var z = new double[dimension];
        var sampler = seed.Child(k).CreateSampler();
        if (distribution == ProbeDistribution.Gaussian) sampler.FillGaussian(z);
        else
        {
            for (int i = 0; i < dimension; i += 64)
            {
                ulong bits = sampler.NextUInt64();
                for (int j = i; j < Math.Min(dimension, i + 64); j++, bits >>= 1) z[j] = (bits & 1) == 0 ? 1 : -1;
            }
        }
        return z;
    }
}

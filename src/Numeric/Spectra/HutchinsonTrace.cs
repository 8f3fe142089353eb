using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Spectra;

/// <summary>Hutchinson's estimate of tr A: the mean of z_kᵀ A z_k over K probes, with its standard error s/√K.</summary>
public sealed record TraceEstimate(double Trace, double StandardError, int Probes, double[] Samples);

public static class HutchinsonTrace
{
    public static TraceEstimate Estimate(ISymmetricOperator op, int probes, ProbeDistribution distribution, SeedSequence seed)
    {
        if (probes < 2) throw new ArgumentException("Hutchinson needs at least 2 probes to state a standard error");
        var samples = new double[probes];
        var az = new double[op.Dimension];
        for (int k = 0; k < probes; k++)
        {
            var z = ProbeVectors.Draw(distribution, op.Dimension, seed.Child("hutchinson-probe"), k);
            op.Apply(z, az);
            samples[k] = Kernels.Dot.Product(z, az);
            if (!double.IsFinite(samples[k])) throw new NumericalException($"Hutchinson probe {k} gave a non-finite quadratic form");
        }
        var (mean, se) = MeanAndStandardError(samples);
        return new TraceEstimate(mean, se, probes, samples);
    }

    /// <summary>Sample mean and s/√K with the unbiased sample variance.</summary>
    public static (double Mean, double StandardError) MeanAndStandardError(IReadOnlyList<double> x)
    {
        double mean = x.Average();
        double ss = 0;
        foreach (double v in x) ss += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(ss / (x.Count - 1) / x.Count));
    }
}

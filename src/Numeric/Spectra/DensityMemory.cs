using FimVerify.Numeric.Models.Convolutional;

namespace FimVerify.Numeric.Spectra;

/// <summary>
/// The peak memory of a density run with a convolutional classifier, estimated from shapes before anything is allocated, so
/// that a run that cannot fit is refused rather than started: the data, one forward pass kept by the panel's operator,
/// the scratch of a block product of the widest block (a lockstep group of SLQ probes, or the 64 unit vectors a dense
/// reference is materialised with), the Lanczos bases of one group, and with a dense reference four P×P matrices (the
/// operator's, the eigen-solver's copy, and the two powers the moment check multiplies).
/// </summary>
public static class DensityMemory
{
    public static long ConvolutionalBytes(ConvolutionalNetworkShape shape, int samples, DensityOptions options)
    {
        int p = shape.ParameterCount;
        bool dense = p <= options.ExactLimit;
        int group = StochasticLanczosQuadrature.GroupSize(p, options.Slq);
        int directions = Math.Max(options.Method == DensityMethod.Slq ? group : 1, dense ? Math.Min(p, 64) : 1);
        long bases = options.Method == DensityMethod.Slq ? 8L * group * (Math.Min(options.Slq.Steps, p) + 1) * p : 0;
        long vectors = 8L * 2 * directions * p; // a block's source and destination
        long data = 8L * samples * shape.Input.Size;
        long curvature = 8L * samples * shape.Classes * (2L * shape.Classes + Math.Max(options.MonteCarloSamples, shape.Classes));
        long matrices = dense ? 4 * 8L * p * p : 0;
        return data + shape.ForwardPassBytes(samples) + shape.ProductScratchBytes(directions, samples) + curvature + vectors + bases + matrices;
    }
}

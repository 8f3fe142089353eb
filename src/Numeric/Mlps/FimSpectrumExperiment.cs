using FimVerify.Numeric.Activations;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Mlps;

/// <summary>
/// One trial of the wide-network experiment: sample a network and T inputs from the addressed stream
/// seed/trial, run forward and backward, build the requested dual and measure its spectrum.
/// </summary>
public static class FimSpectrumExperiment
{
    /// <summary>Spectra of one trial; for <see cref="FimVariant.Blocks"/> one per layer (index l−1), otherwise a single one.</summary>
    public static MeasuredSpectrum[] Run(IActivation activation, NetworkShape shape, int width, int samples, int outputs,
        FimVariant variant, SeedSequence trialSeed)
    {
        var dual = Dual(activation, shape, width, samples, outputs, trialSeed);
        var spectra = Spectra(dual, variant);
        dual.Backward.Forward.Network.Recycle(); // the spectra hold their own matrices, already formed
        return spectra;
    }

    /// <summary>The trial's network and inputs, forward and backward: the dual every variant is built from.</summary>
    public static MlpDualGram Dual(IActivation activation, NetworkShape shape, int width, int samples, int outputs, SeedSequence trialSeed)
    {
        return Dual(Mlp.Sample(activation, shape, width, outputs, trialSeed), samples, trialSeed);
    }

    /// <summary>The dual of <paramref name="net"/> on the first <paramref name="samples"/> inputs of the trial's input stream (a prefix of any
    /// longer draw from it), so one network serves duals on several T.</summary>
    public static MlpDualGram Dual(Mlp net, int samples, SeedSequence trialSeed) =>
        new(new MlpBackward(net.Forward(net.SampleInputs(samples, trialSeed), samples)));

    /// <param name="fisher">The regression dual <see cref="MlpDualGram.Fisher"/> when the caller has it already (read, not changed).</param>
    public static MeasuredSpectrum[] Spectra(MlpDualGram dual, FimVariant variant, SymmetricMatrix? fisher = null)
    {
        if (variant != FimVariant.Blocks)
        {
            var (matrix, dimension) = Metric(dual, variant, fisher: fisher);
            return [MeasuredSpectrum.Of(matrix, dimension)];
        }
        return Enumerable.Range(1, dual.Backward.Forward.Network.Depth).Select(l =>
        {
            var (matrix, dimension) = Metric(dual, variant, l, fisher);
            return MeasuredSpectrum.Of(matrix, dimension);
        }).ToArray();
    }

    /// <summary>
    /// The dual of one metric and the order N of the metric itself (its N − CT further eigenvalues are zero): P for the Fisher
    /// matrices, CT for the NTK, M₀ for the input metric, P_l = M_l M_(l−1) + M_l for the block <paramref name="block"/> = l
    /// (1 … L, only for <see cref="FimVariant.Blocks"/>).
    /// </summary>
    /// <param name="fisher">The regression dual <see cref="MlpDualGram.Fisher"/> when the caller has it already (read, not changed).</param>
    public static (SymmetricMatrix Dual, long Dimension) Metric(MlpDualGram dual, FimVariant variant, int block = 0, SymmetricMatrix? fisher = null)
    {
        var fwd = dual.Backward.Forward;
        var net = fwd.Network;
        int T = fwd.Samples, C = net.Outputs;
        long P = net.ParameterCount;
        if (variant == FimVariant.Blocks && (block < 1 || block > net.Depth)) throw new ArgumentOutOfRangeException(nameof(block), $"the blocks are F_11 … F_{net.Depth}{net.Depth}");
        SymmetricMatrix Fisher() => fisher ?? dual.Fisher();
        return variant switch
        {
            FimVariant.Regression => (Fisher(), P),
            FimVariant.MeanSubtracted => (MlpDualGram.MeanSubtract(Fisher(), C, T), P),
            FimVariant.Softmax => (MlpDualGram.Softmax(Fisher(), fwd.Outputs, C, T).dual, P),
            FimVariant.Ntk => (dual.Ntk(), (long)C * T),
            FimVariant.NtkMeanSubtracted => (MlpDualGram.MeanSubtract(dual.Ntk(), C, T), (long)C * T),
            FimVariant.Input => (dual.InputMetric(), net.Widths[0]),
            FimVariant.Blocks => (dual.Block(block), (long)net.Widths[block] * net.Widths[block - 1] + net.Widths[block]),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
    }
}

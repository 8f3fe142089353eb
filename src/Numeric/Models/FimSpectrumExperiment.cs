using FimVerify.Numeric.Activations;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Models;

/// <summary>
/// One trial of the wide-network experiment: sample a network and T inputs from the addressed stream
/// seed/trial, run forward and backward, build the requested dual and measure its spectrum.
/// </summary>
public static class FimSpectrumExperiment
{
    /// <summary>Spectra of one trial; for <see cref="FimVariant.Blocks"/> one per layer (index l−1), otherwise a single one.</summary>
    public static MeasuredSpectrum[] Run(IActivation activation, NetworkShape shape, int width, int samples, int outputs,
        FimVariant variant, SeedSequence trialSeed) =>
        Spectra(Dual(activation, shape, width, samples, outputs, trialSeed), variant);

    /// <summary>The trial's network and inputs, forward and backward: the dual every variant is built from.</summary>
    public static MlpDualGram Dual(IActivation activation, NetworkShape shape, int width, int samples, int outputs, SeedSequence trialSeed)
    {
        var net = Mlp.Sample(activation, shape, width, outputs, trialSeed);
        var fwd = net.Forward(net.SampleInputs(samples, trialSeed), samples);
        return new MlpDualGram(new MlpBackward(fwd));
    }

    /// <param name="fisher">The regression dual <see cref="MlpDualGram.Fisher"/> when the caller has it already (read, not changed).</param>
    public static MeasuredSpectrum[] Spectra(MlpDualGram dual, FimVariant variant, SymmetricMatrix? fisher = null)
    {
        var fwd = dual.Backward.Forward;
        var net = fwd.Network;
        int T = fwd.Samples, C = net.Outputs;
        long P = net.ParameterCount;
        SymmetricMatrix Fisher() => fisher ?? dual.Fisher();
        return variant switch
        {
            FimVariant.Regression => [MeasuredSpectrum.Of(Fisher(), P)],
            FimVariant.MeanSubtracted => [MeasuredSpectrum.Of(MlpDualGram.MeanSubtract(Fisher(), C, T), P)],
            FimVariant.Softmax => [MeasuredSpectrum.Of(MlpDualGram.Softmax(Fisher(), fwd.Outputs, C, T).dual, P)],
            FimVariant.Ntk => [MeasuredSpectrum.Of(dual.Ntk(), (long)C * T)],
            FimVariant.NtkMeanSubtracted => [MeasuredSpectrum.Of(MlpDualGram.MeanSubtract(dual.Ntk(), C, T), (long)C * T)],
            FimVariant.Input => [MeasuredSpectrum.Of(dual.InputMetric(), net.Widths[0])],
            FimVariant.Blocks => Enumerable.Range(1, net.Depth)
                .Select(l => MeasuredSpectrum.Of(dual.Block(l), (long)net.Widths[l] * net.Widths[l - 1] + net.Widths[l])).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
    }
}

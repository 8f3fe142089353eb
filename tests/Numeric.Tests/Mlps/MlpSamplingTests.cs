using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Resources;
using Xunit;

namespace FimVerify.Numeric.Tests.Mlps;

/// <summary>
/// A sampled network's parameters are its addressed streams, whatever the thread count: layer l's weights are the stream
/// seed/"weights"/l scaled by σ_w/√M_(l−1), its biases seed/"biases"/l scaled by σ_b (the layers are drawn in parallel).
/// </summary>
public class MlpSamplingTests
{
    [Fact]
    public void LayersAreTheirAddressedStreamsOnAnyThreadCount()
    {
        int[] widths = [30, 700, 500, 3];
        var seed = SeedSequence.FromSeed(15).Child("sampling");
        var parallel = Mlp.Sample(ActivationCatalog.Parse("tanh"), widths, 2.0, 0.5, seed);
        Mlp sequential;
        using (KernelThreads.Sequential()) sequential = Mlp.Sample(ActivationCatalog.Parse("tanh"), widths, 2.0, 0.5, seed);
        for (int l = 1; l < widths.Length; l++)
        {
            var w = new double[widths[l] * widths[l - 1]];
            seed.Child("weights").Child(l).CreateSampler().FillGaussian(w, Math.Sqrt(2.0 / widths[l - 1]));
            var b = new double[widths[l]];
            seed.Child("biases").Child(l).CreateSampler().FillGaussian(b, Math.Sqrt(0.5));
            Assert.Equal(w, parallel.Weights[l - 1]);
            Assert.Equal(w, sequential.Weights[l - 1]);
            Assert.Equal(b, parallel.Biases[l - 1]);
            Assert.Equal(b, sequential.Biases[l - 1]);
        }
    }
}

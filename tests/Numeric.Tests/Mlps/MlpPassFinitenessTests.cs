using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.Mlps;

/// <summary>
/// The forward and backward passes check every value they produce (row by row, on every core) and name the layer where a NaN or
/// infinity first appears, rather than carrying it into the dual's statistics.
/// </summary>
public class MlpPassFinitenessTests
{
    /// <summary>tanh with a derivative that is infinite at one sample's pre-activations only (those above 0.5), so that only the
    /// backward pass can fail.</summary>
    private sealed class SteepAboveHalf : IActivation
    {
        public string Name => "steep";
        public bool SingularAtOrigin => false;
        public double Value(double x) => Math.Tanh(x);
        public double Derivative(double x) => x > 0.5 ? double.PositiveInfinity : 1 - Math.Tanh(x) * Math.Tanh(x);
    }

    [Fact]
    public void ANonFiniteValueIsReportedWithItsLayer()
    {
        var seed = SeedSequence.FromSeed(15).Child("finiteness");
        var net = Mlp.Sample(ActivationCatalog.Parse("tanh"), [20, 300, 200, 3], 2.0, 0.1, seed);
        var x = net.SampleInputs(40, seed);
        var fine = net.Forward(x, 40);
        Assert.All(fine.H.Skip(1), h => Assert.All(h, v => Assert.True(double.IsFinite(v))));
        net.Weights[1][7 * 300 + 11] = double.NaN; // W² row 7 → u² of every sample in unit 7
        Assert.Contains("forward pass produced a non-finite value in layer 2", Assert.Throws<NumericalException>(() => net.Forward(x, 40)).Message);

        var steep = Mlp.Sample(new SteepAboveHalf(), [20, 300, 200, 3], 2.0, 0.1, seed);
        var forward = steep.Forward(x, 40); // φ itself is finite everywhere
        Assert.Contains("backward pass produced a non-finite value in layer 2", Assert.Throws<NumericalException>(() => new MlpBackward(forward)).Message);
    }
}

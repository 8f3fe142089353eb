using FimVerify.Numeric.Models;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Spectra;
using FimVerify.Numeric.Tests.Models;
using Xunit;

namespace FimVerify.Numeric.Tests.Spectra;

/// <summary>The claims on real images (skipped with the install command when Debian's dataset-fashion-mnist is absent).</summary>
public class FashionMnistDensityTests
{
    [FashionMnistFact]
    public void SlqMomentsHutchinsonAndInterlacingHoldOnFashionMnist()
    {
        // 784-1-10 (P = 805) on 300 images after one epoch: small enough for dense eigenvalues. Decisions: the moment
        // rule of SlqMomentCheck (family-wise α = 1e-3 per panel, 5 panels), Hutchinson within 4 SE (≈ 6e-5 each), interlacing exact.
        var result = DensityExperiment.Run(new DensityExperimentSettings(DensityDataSet.FashionMnist, 300, [1], HiddenActivation.Relu,
            new SgdSettings(1, 32, 0.05), new DensityOptions([FisherKind.Exact, FisherKind.Empirical, FisherKind.KroneckerFactored],
                [FisherBlocks.Full, FisherBlocks.LayerWise], DensityMethod.Slq, new SlqSettings(20, 40), null, 800, 1, 2000)), SeedSequence.FromSeed(3));
        Assert.Equal(5, result.Panels.Count);
        Assert.True(result.AllPanelsChecked);
        foreach (var p in result.Panels)
        {
            Assert.All(p.Moments!, m => Assert.True(m.Consistent, $"{p.Kind}/{p.Blocks} moment {m.Power}: {m.Estimate} vs {m.Exact}, Z = {m.Z}"));
            Assert.True(Math.Abs(p.TraceEstimate - p.ExactTrace!.Value) <= 4 * p.TraceStandardError,
                $"{p.Kind}/{p.Blocks}: Hutchinson {p.TraceEstimate} ± {p.TraceStandardError}, exact {p.ExactTrace}");
        }
        Assert.All(result.Interlacing, x => Assert.True(x.Holds, $"{x.Kind}: layer-wise range outside the full one"));
        Assert.Equal(2, result.Interlacing.Count);
        Assert.Equal("PASS", result.Verdict);
    }
}

using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Classifiers.Convolutional;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Spectra;
using FimVerify.Numeric.Tests.Data;
using Xunit;

namespace FimVerify.Numeric.Tests.Spectra;

/// <summary>The claims on real images (skipped with the install command when Debian's dataset-fashion-mnist is absent).</summary>
public class FashionMnistDensityTests
{
    [FashionMnistFact]
    public void SlqMomentsHutchinsonAndInterlacingHoldOnFashionMnist()
    {
        // 784-1-10 (P = 805) on 200 images after one epoch: small enough for dense eigenvalues. Decisions: the moment
        // rule of SlqMomentCheck (per-probe quadrature identity; probe averages within finite-sample bounds, family-wise
        // α = 1e-3 per panel, 5 panels) — Hutchinson's trace is the average of the k = 1 forms, so it is decided there (the
        // sample SE of 16 probes is no yardstick on these skewed spectra: it put K-FAC's estimate 4.6 "SEs" off where the exact
        // SE puts it at 1.6); interlacing exact.
        var result = DensityExperiment.Run(new DensityExperimentSettings(DensityDataSet.FashionMnist, 200, [1], HiddenActivation.Relu,
            new SgdSettings(1, 32, 0.05), new DensityOptions([FisherKind.Exact, FisherKind.Empirical, FisherKind.KroneckerFactored],
                [FisherBlocks.Full, FisherBlocks.LayerWise], DensityMethod.Slq, new SlqSettings(16, 30), null, 600, 1, 2000)), SeedSequence.FromSeed(3));
        AssertClaimsHold(result);
    }

    [FashionMnistFact]
    public void TheClaimsHoldForACnnOnFashionMnist()
    {
        // conv2k5s3 → 8×8×2 (52 parameters), max-pool → 4×4×2, dense 8 (264), output (90): P = 406 on 200 images after one
        // epoch, small enough for dense eigenvalues. The same decision rules as above, per panel (5 panels).
        var result = DensityExperiment.Run(new DensityExperimentSettings(DensityDataSet.FashionMnist, 200, [], HiddenActivation.Relu,
            new SgdSettings(1, 32, 0.05), new DensityOptions([FisherKind.Exact, FisherKind.Empirical, FisherKind.KroneckerFactored],
                [FisherBlocks.Full, FisherBlocks.LayerWise], DensityMethod.Slq, new SlqSettings(16, 30), null, 600, 1, 2000),
            Convolutional: ConvolutionalArchitecture.Parse("conv2k5s3,relu,maxpool2,dense8,relu")), SeedSequence.FromSeed(3));
        Assert.Equal(406, result.Model.ParameterCount);
        AssertClaimsHold(result);
    }

    /// <summary>Five panels (exact and empirical, full and layer-wise, and K-FAC), every one checked against dense eigenvalues.</summary>
    private static void AssertClaimsHold(DensityExperimentResult result)
    {
        Assert.Equal(5, result.Panels.Count);
        Assert.True(result.AllPanelsChecked);
        foreach (var p in result.Panels)
        {
            Assert.All(p.Moments!, m => Assert.True(m.Consistent, $"{p.Kind}/{p.Blocks} moment {m.Power}: {m.Estimate} vs {m.Exact}, Z = {m.Z}"));
            var first = p.Moments!.Single(m => m.Power == 1);
            Assert.Equal(first.Estimate * p.Dimension, p.TraceEstimate, 9);
        }
        Assert.All(result.Interlacing, x => Assert.True(x.Holds, $"{x.Kind}: layer-wise range outside the full one"));
        Assert.Equal(2, result.Interlacing.Count);
        Assert.Equal("PASS", result.Verdict);
    }
}

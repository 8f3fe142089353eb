using FimVerify.Numeric.Spectra;
using MathNet.Numerics.Distributions;
using Xunit;

namespace FimVerify.Numeric.Tests.Spectra;

public class DensityDistanceTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(6.0)]
    public void TwoShiftedGaussiansHaveTheirClosedFormDistanceAndOverlap(double shift)
    {
        // N(0, σ²) against N(shift, σ²): W1 = |shift| and overlap 2Φ(−|shift|/(2σ)), independent evidence in closed form.
        double sigma = 0.7;
        var a = new QuadratureRule([0.0], [1.0]);
        var b = new QuadratureRule([shift], [1.0]);
        var grid = DensityGrid.Covering([a, b], sigma, 20001, padding: 12);
        var d = DensityDistance.Between(new SpectralDensity([a], sigma, grid), new SpectralDensity([b], sigma, grid));
        // Trapezoidal sums on a step of 1e-3·σ: errors O(h²) (the overlap's integrand has a kink where the densities cross).
        Assert.True(Math.Abs(d.Wasserstein1 - shift) <= 1e-6, $"W1 {d.Wasserstein1:R}");
        double overlap = 2 * Normal.CDF(0, 1, -shift / (2 * sigma));
        Assert.True(Math.Abs(d.Overlap - overlap) <= 1e-6, $"overlap {d.Overlap:R} vs {overlap:R}");
    }
}

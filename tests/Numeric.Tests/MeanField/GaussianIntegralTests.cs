using FimVerify.Numeric;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.MeanField;

/// <summary>
/// Every closed form of MATH.md §2 against quadrature (an independent route: no closed form is used by the
/// quadrature) to 1e−10, and against Monte Carlo with a stated false-alarm rate.
/// </summary>
public class GaussianIntegralTests
{
    public static TheoryData<string> ClosedFormActivations => new() { "relu", "leaky-relu:0.2", "linear", "erf" };

    private static readonly double[] Variances = [0.05, 0.7, 1, 3.64, 10];
    private static readonly double[] Correlations = [-0.999, -0.6, 0, 0.3, 0.9, 0.9999, 1];

    [Fact]
    public void HermiteRuleIntegratesGaussianMomentsExactly()
    {
        foreach (int n in new[] { 32, 64, 128, 256 })
        {
            var rule = GaussRule.Hermite(n);
            Assert.Equal(1.0, rule.Weights.Sum(), 14);
            double doubleFactorial = 1; // E z^{2k} = (2k − 1)!!
            for (int k = 1; k <= 12; k++)
            {
                doubleFactorial *= 2 * k - 1;
                double m = rule.Nodes.Zip(rule.Weights, (x, w) => w * Math.Pow(x, 2 * k)).Sum();
                Assert.True(Math.Abs(m / doubleFactorial - 1) < 1e-12, $"n = {n}: E z^{2 * k} = {m}, expected {doubleFactorial}");
            }
        }
    }

    [Fact]
    public void HermiteOrdersMustBeEven() => Assert.Throws<ArgumentOutOfRangeException>(() => GaussRule.Hermite(33));

    [Theory]
    [MemberData(nameof(ClosedFormActivations))]
    public void ClosedFormsMatchQuadratureTo1e10(string name)
    {
        var phi = ActivationCatalog.Parse(name);
        var closed = GaussianKernels.For(phi);
        var quad = new QuadratureGaussianKernel(phi);
        Assert.Equal("closed form", closed.Method);
        foreach (double a in Variances)
        {
            Close(closed.Mean(a), quad.Mean(a), $"mean q={a}");
            Close(closed.SecondMoment(a), quad.SecondMoment(a), $"∫φ² q={a}");
            Close(closed.DerivativeSecondMoment(a), quad.DerivativeSecondMoment(a), $"∫φ′² q={a}");
            foreach (double c in Correlations)
            {
                Close(closed.Correlation(a, c * a), quad.Correlation(a, c * a), $"I_φ a={a} c={c}");
                if (name == "erf" && c == 1) continue; // I_φ′ at c = 1 is ∫φ′², checked above; the 2-D form is singular-free there too
                Close(closed.DerivativeCorrelation(a, c * a), quad.DerivativeCorrelation(a, c * a), $"I_φ′ a={a} c={c}");
            }
        }
    }

    /// <summary>
    /// The compiled symbolic forms against the formulas typed by hand from MATH.md (a separate route: a transcription
    /// error in either would show), to 1e−13 relative on a grid of variances and correlations including c = ±1.
    /// </summary>
    [Theory]
    [InlineData("relu")]
    [InlineData("leaky-relu:0.2")]
    [InlineData("leaky-relu:0.7")]
    [InlineData("linear")]
    [InlineData("erf")]
    public void SymbolicClosedFormsMatchTheHandTypedFormulas(string name)
    {
        var kernel = GaussianKernels.For(ActivationCatalog.Parse(name));
        Assert.IsAssignableFrom<ClosedFormGaussianKernel>(kernel);
        foreach (double a in Variances)
            foreach (double c in Correlations.Append(-1))
            {
                var hand = HandTypedClosedForms.At(name, a, a, c * a);
                string at = $"{name} at a = q = {a}, c = {c}";
                Near(hand.Mean, kernel.Mean(a), $"mean {at}");
                Near(hand.Second, kernel.SecondMoment(a), $"∫φ² {at}");
                Near(hand.Correlation, kernel.Correlation(a, c * a), $"I_φ {at}");
                Near(hand.DerivativeSecond, kernel.DerivativeSecondMoment(a), $"∫φ′² {at}");
                Near(hand.DerivativeCorrelation, kernel.DerivativeCorrelation(a, c * a), $"I_φ′ {at}");
            }
    }

    private static void Near(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-13 * Math.Max(1, Math.Abs(expected)), $"{what}: hand-typed {expected:R}, symbolic {actual:R}");

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"{what}: closed form {expected:R}, quadrature {actual:R}");

    /// <summary>
    /// Monte Carlo: N = 400 000 correlated pairs per case; each estimate is compared with the closed form at
    /// 5.5 standard errors (two-sided false-alarm 3.8e−8 per comparison; 4 activations × 3 cases × 4 integrals
    /// = 48 comparisons, so the family-wise rate is below 2e−6). The seed is fixed.
    /// </summary>
    [Theory]
    [MemberData(nameof(ClosedFormActivations))]
    public void ClosedFormsMatchMonteCarlo(string name)
    {
        var phi = ActivationCatalog.Parse(name);
        var closed = GaussianKernels.For(phi);
        const int n = 400_000;
        foreach (var (a, c) in new[] { (0.7, 0.3), (3.64, -0.6), (1.0, 0.9) })
        {
            var rng = SeedSequence.FromSeed(5).Child(name).Child((long)(a * 100 + c * 10)).CreateSampler();
            var s = new double[4, 2]; // sums and sums of squares of φ², φφ, φ′², φ′φ′
            double r = Math.Sqrt(a), sc = Math.Sqrt(1 - c * c);
            for (int i = 0; i < n; i++)
            {
                double x = rng.NextGaussian(), y = rng.NextGaussian();
                double u = r * x, v = r * (c * x + sc * y);
                double[] vals = [phi.Value(u) * phi.Value(u), phi.Value(u) * phi.Value(v), phi.Derivative(u) * phi.Derivative(u), phi.Derivative(u) * phi.Derivative(v)];
                for (int k = 0; k < 4; k++) { s[k, 0] += vals[k]; s[k, 1] += vals[k] * vals[k]; }
            }
            double[] exact = [closed.SecondMoment(a), closed.Correlation(a, c * a), closed.DerivativeSecondMoment(a), closed.DerivativeCorrelation(a, c * a)];
            for (int k = 0; k < 4; k++)
            {
                double mean = s[k, 0] / n, var = s[k, 1] / n - mean * mean, se = Math.Sqrt(Math.Max(var, 0) / n);
                Assert.True(Math.Abs(mean - exact[k]) <= 5.5 * se + 1e-14, $"{name} a={a} c={c} integral {k}: MC {mean} ± {se}, closed form {exact[k]}");
            }
        }
    }

    [Fact]
    public void QuadratureHandlesSmoothActivationsAtLargeVariance()
    {
        // tanh at q = 3.64: Gauss–Hermite alone stalls near 1e−7 (64 vs 128 nodes differ by 1e−6), so the kernel
        // falls back to composite Gauss–Legendre; the split composite rule (a different panel layout) must agree.
        var phi = new Tanh();
        var k = new QuadratureGaussianKernel(phi);
        double v = k.SecondMoment(3.64);
        var viaOther = GaussianExpectation.Integrate(z => Math.Pow(Math.Tanh(Math.Sqrt(3.64) * z), 2), splitAtOrigin: true, q: 3.64);
        Assert.True(Math.Abs(v - viaOther) < 1e-10, $"{v} vs {viaOther}");
        Assert.InRange(v, 0.62, 0.622);
    }

    [Fact]
    public void NonConvergentIntegralThrows()
    {
        // (sin(1/x))′² oscillates without bound near 0: no order converges, and that must be an error, not a number.
        var wild = new ExpressionActivation("sin(1/x)", x => Math.Sin(1 / x), x => -Math.Cos(1 / x) / (x * x));
        Assert.Throws<NumericalException>(() => new QuadratureGaussianKernel(wild).DerivativeSecondMoment(1));
    }
}

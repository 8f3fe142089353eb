using FimVerify.Numeric.Activations;
using FimVerify.Numeric.MeanField;
using Xunit;

namespace FimVerify.Numeric.Tests.MeanField;

public class ExpressionActivationTests
{
    [Fact]
    public void ParsedTanhMatchesTheBuiltInOneAndItsOrderParameters()
    {
        // tanh written through exp (the engine has no tanh): parsed, differentiated and compiled by the symbolic layer.
        var parsed = ActivationCatalog.Parse("expr:(exp(2*x) - 1)/(exp(2*x) + 1)");
        var builtIn = ActivationCatalog.Parse("tanh");
        foreach (double x in new[] { -3.0, -0.7, 0.0, 0.4, 2.5 })
        {
            Assert.True(Math.Abs(parsed.Value(x) - builtIn.Value(x)) <= 1e-15, $"value at {x}");
            Assert.True(Math.Abs(parsed.Derivative(x) - builtIn.Derivative(x)) <= 1e-14, $"derivative at {x}");
        }
        var shape = new NetworkShape(3, 3.0, 0.64);
        var a = OrderParameters.Compute(GaussianKernels.For(parsed), shape);
        var b = OrderParameters.Compute(GaussianKernels.For(builtIn), shape);
        Assert.True(Math.Abs(a.Kappa1 - b.Kappa1) <= 1e-9 * b.Kappa1, $"κ₁ {a.Kappa1} vs {b.Kappa1}");
        Assert.True(Math.Abs(a.Kappa2 - b.Kappa2) <= 1e-9 * b.Kappa2, $"κ₂ {a.Kappa2} vs {b.Kappa2}");
    }

    [Fact]
    public void SwishDerivativeIsExactAgainstCentralDifferences()
    {
        var swish = ActivationCatalog.Parse("expr:x/(1 + exp(-x))");
        foreach (double x in new[] { -2.0, -0.3, 0.0, 1.1 })
        {
            double h = 1e-5, fd = (swish.Value(x + h) - swish.Value(x - h)) / (2 * h);
            Assert.True(Math.Abs(swish.Derivative(x) - fd) <= 1e-9, $"at {x}: {swish.Derivative(x)} vs {fd}");
        }
    }

    [Theory]
    [InlineData("expr:x +* 2", "does not parse")]
    [InlineData("expr:x*y", "function of x alone")]
    public void BadExpressionsAreRejectedWithAReason(string name, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => ActivationCatalog.Parse(name));
        Assert.Contains(reason, e.Message);
    }
}

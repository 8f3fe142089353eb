using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>Numerical trouble in the mean-field commands is one sentence and exit code 2, never a number or a stack trace.</summary>
public class MeanFieldNumericalTroubleTests
{
    [Theory]
    // sin(1/x)′² oscillates without bound near 0: the quadrature does not converge.
    [InlineData("derive", "order-params", "--activation", "expr:sin(1/x)", "--depth", "3", "--sigma-w2", "1", "--sigma-b2", "0.1")]
    // √x is NaN for x < 0: its Gaussian integrals are not finite.
    [InlineData("fim-stats", "--activation", "expr:sqrt(x)", "--depth", "3", "--width", "20", "--samples", "4", "--outputs", "2", "--sigma-w2", "1", "--sigma-b2", "0.1")]
    // exp grows the order parameters past double range within a few layers.
    [InlineData("fim-stats", "--activation", "expr:exp(x)", "--depth", "8", "--width", "20", "--samples", "4", "--outputs", "2", "--sigma-w2", "4", "--sigma-b2", "0.1")]
    public void IsOneSentenceAndExitTwo(params string[] args)
    {
        var (code, output, err) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("fimverify: numerical trouble: ", err);
    }
}

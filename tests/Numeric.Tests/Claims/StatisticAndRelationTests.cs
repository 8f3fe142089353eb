using Xunit;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Tests.Claims;

public class StatisticAndRelationTests
{
    private static readonly string[] Symbols = ["d", "C"];
    private static readonly Dictionary<string, double> Values = new() { ["d"] = 3, ["C"] = 2 };

    /// <summary>A dual of order 3 with eigenvalues 5, 2, 1 (diagonal) standing for a matrix of dimension 10: seven zeros besides.</summary>
    private static DenseMatrixMeasurement Dual() => new(new SymmetricMatrix(3, [2, 0, 0, 0, 5, 0, 0, 0, 1]), 10);

    private static double Of(string text) =>
        StatisticDefinition.Parse(text, Symbols, []).Resolve(Values, 10).Of(Dual()).Lower;

    [Fact]
    public void StatisticsReadTheSpectrumIncludingTheZerosADualLeavesOut()
    {
        Assert.Equal(5, Of("lambda-max"));
        Assert.Equal(2, Of("eigenvalue:2"));
        Assert.Equal(0, Of("eigenvalue:d + 1"));              // beyond the dual's order: one of the zero eigenvalues
        Assert.Equal(3.5, Of("mean-top:C"));
        Assert.Equal(8.0 / 3, Of("mean-top:3"));
        Assert.Equal(8, Of("trace"));
        Assert.Equal(0.8, Of("mean"), 15);                     // Σλ / N with N = 10, not the dual's 3
        Assert.Equal(3.0, Of("second-moment"), 15);            // (25 + 4 + 1)/10
    }

    [Theory]
    [InlineData("lambda-max:2", "takes no index")]
    [InlineData("eigenvalue", "needs an index")]
    [InlineData("largest", "unknown statistic")]
    [InlineData("eigenvalue:k", "unknown symbol k")]
    [InlineData("rayleigh:v0", "no named directions")]
    public void MalformedStatisticsAreRefusedWithTheReason(string text, string reason)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => StatisticDefinition.Parse(text, Symbols, []));
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("eigenvalue:d/2", "not a positive whole number")]
    [InlineData("eigenvalue:C - 2", "not a positive whole number")]
    [InlineData("mean-top:11", "only 10 eigenvalues")]
    public void IndicesMustBeWholeAndWithinTheDimension(string text, string reason)
    {
        var s = StatisticDefinition.Parse(text, Symbols, []);
        Assert.Contains(reason, Assert.ThrowsAny<ArgumentException>(() => s.Resolve(Values, 10)).Message);
    }

    [Theory]
    // exact statistic (an interval of width zero): the inequality decides on the value; equality satisfies <= and >= only
    [InlineData(Relation.AtMost, 1.0, 1.0, 1.0, Certainty.Holds)]
    [InlineData(Relation.Below, 1.0, 1.0, 1.0, Certainty.Fails)]
    [InlineData(Relation.AtLeast, 1.0, 1.0, 1.0, Certainty.Holds)]
    [InlineData(Relation.Above, 1.0, 1.0, 1.0, Certainty.Fails)]
    [InlineData(Relation.AtMost, 2.0, 2.0, 1.0, Certainty.Fails)]
    [InlineData(Relation.AtLeast, 0.5, 0.5, 1.0, Certainty.Fails)]
    // certified bounds: settled only when the whole interval is on one side
    [InlineData(Relation.AtMost, 0.5, 0.9, 1.0, Certainty.Holds)]
    [InlineData(Relation.AtMost, 0.5, 1.5, 1.0, Certainty.Undecided)]
    [InlineData(Relation.AtMost, 1.1, 1.5, 1.0, Certainty.Fails)]
    [InlineData(Relation.AtLeast, 0.5, 1.5, 1.0, Certainty.Undecided)]
    [InlineData(Relation.AtLeast, 1.0, 1.5, 1.0, Certainty.Holds)]
    [InlineData(Relation.Above, 1.0, 1.5, 1.0, Certainty.Undecided)]
    [InlineData(Relation.Below, 0.5, 1.0, 1.0, Certainty.Undecided)]
    [InlineData(Relation.Below, 1.0, 1.5, 1.0, Certainty.Fails)]
    public void AnInequalityIsDecidedOnTheWholeIntervalOfItsStatistic(Relation relation, double lower, double upper, double predicted, Certainty expected) =>
        Assert.Equal(expected, Relations.Decide(relation, new CertifiedInterval(lower, upper), predicted));

    [Fact]
    public void ExpressionsNameTheirUnknownSymbolsAndTheOnesAvailable()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ClaimExpression.Parse("kappa3*M", ["M", "kappa1"]));
        Assert.Contains("unknown symbol kappa3", e.Message);
        Assert.Contains("the symbols here are M, kappa1", e.Message);
        Assert.Contains("column", Assert.ThrowsAny<ArgumentException>(() => ClaimExpression.Parse("M*(1 +", ["M"])).Message);
        var x = ClaimExpression.Parse("(d/2)*(1 + delta)", ["d", "delta", "p"]);
        Assert.Equal(["d", "delta"], x.Symbols);
        Assert.Equal(2.25, x.Evaluate(new Dictionary<string, double> { ["d"] = 3, ["delta"] = 0.5 }), 15);
    }
}

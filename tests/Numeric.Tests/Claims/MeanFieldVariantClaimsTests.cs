using Xunit;
using Xunit.Abstractions;
using FimVerify.Cli.Claims;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Tests.Claims;

/// <summary>
/// MATH.md §2's variants of Theorem 3.1 as property tests through the claim engine: the shipped claims/mean-field-variants.toml (the
/// report's section) at the quick report's sizes (10 networks a width, twice that for softmax and the outliers, M = 100 … 800, each
/// resolution ×3) at seeds of their own, and the softmax claims for a second activation (ReLU with bias). α = 10⁻³ per claim, so a
/// true claim fails with probability ≤ 10⁻³ (26 claims: ≤ 2.6% at a fresh seed; the seeds are fixed).
/// </summary>
public class MeanFieldVariantClaimsTests(ITestOutputHelper output)
{
    private ClaimFileResult Run(ClaimFile file, long seed)
    {
        var plan = ClaimPlan.Create(file, seed);
        var result = ClaimAnalysis.Decide(plan, plan.Run());
        foreach (var d in result.Claims.SelectMany(c => c.Decisions)) output.WriteLine($"{d.Verdict}: {d.Name}: {d.Detail}");
        return result;
    }

    [Theory]
    [InlineData(450)]
    [InlineData(700)]
    public void TheShippedVariantsHoldAtTheQuickSizes(long seed)
    {
        var document = TomlClaimReader.LoadDocument(Path.Combine(ShippedClaimFilesTests.Root(), "claims", "mean-field-variants.toml"));
        var file = ClaimFile.Read(document, quick: true);
        Assert.Equal([100L, 200L, 400L, 800L], file.Instances[0].Sizes);
        var result = Run(file, seed);
        Assert.All(result.Claims, c => Assert.True(c.Verdict == Verdict.Pass, $"{c.Claim.Name}: {c.Verdict}"));
        Assert.Equal(25, result.Claims.Count);
    }

    [Fact]
    public void TheNtkWithMeanSubtractionHasOneLimitForEveryT()
    {
        // MATH.md §2: the leading dual of Θ̄ is (κ′₁ − κ′₂) I_C ⊗ Π, whatever T (the shipped claims' prediction at T = 10 and 40).
        var op = OrderParameters.Compute(GaussianKernels.For(new Tanh()), new NetworkShape(3, 3, 0.64));
        double Predicted(int t) => new Predictions(op, 100, t, 3).NtkMeanSubtracted().LambdaMax;
        Assert.Equal(op.NtkKappa1 - op.NtkKappa2, Predicted(10), 12);
        Assert.Equal(Predicted(10), Predicted(40), 12);
    }

    [Fact]
    public void SoftmaxStatisticsAndOutliersHoldForReluToo()
    {
        // Small logit variance (q^L ≈ 0.9) keeps Q̄'s eigenvalues away from 0; 12 networks a width, each limit to 50%.
        const string text = """
            [[instance]]
            name = "softmax-relu"
            model = "softmax-mlp"
            activation = "relu"
            depth = 3
            samples = 50
            outputs = 3
            sigma_w2 = 1.0
            sigma_b2 = 0.2
            sweep = { M = [100, 200, 400, 800] }
            trials = 12

            [[claim]]
            name = "softmax.relu.mean"
            instance = "softmax-relu"
            matrix = "fim"
            statistic = "mean"
            relation = "ratio-tends-to-1"
            predicted = "kappa1*meanTrQ/M"
            resolution = 0.5
            alpha = 0.001

            [[claim]]
            name = "softmax.relu.second-moment"
            instance = "softmax-relu"
            matrix = "fim"
            statistic = "second-moment"
            relation = "ratio-tends-to-1"
            predicted = "alpha*((kappa1^2 - kappa2^2)*meanTrQ2/T + kappa2^2*trQbar2)"
            resolution = 0.5
            alpha = 0.001

            [[claim]]
            name = "softmax.relu.lambda-max"
            instance = "softmax-relu"
            matrix = "fim"
            statistic = "mean-top:C-1"
            relation = "ratio-tends-to-1"
            predicted = "alpha*((T - 1)/T*kappa2 + kappa1/T)*M*qbarTop"
            resolution = 0.5
            alpha = 0.001

            [[claim]]
            name = "softmax.relu.outliers-separated"
            instance = "softmax-relu"
            matrix = "fim"
            measure = { outlier = "eigenvalue:C - 1", bulk = "eigenvalue:C" }
            statistic = "expr:outlier/bulk"
            relation = ">"
            predicted = "2"
            probability = "1/2"
            pooled = true
            alpha = 0.001
            """;
        var result = Run(TomlClaimReader.FromText("softmax-relu.toml", text), 600);
        Assert.All(result.Claims, c => Assert.True(c.Verdict == Verdict.Pass, $"{c.Claim.Name}: {c.Verdict}"));
    }
}

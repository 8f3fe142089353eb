using FimVerify.Numeric.Resources;
using FimVerify.Cli.Claims;
using FimVerify.Numeric.Claims;
using FimVerify.Symbolic;
using Microsoft.FSharp.Collections;
using Xunit;

namespace FimVerify.Numeric.Tests.Claims;

/// <summary>
/// The claim files the project ships (claims/, examples/claims/): each reads, plans and fits the budget; and every prediction
/// a shipped file states for a network is the formula the symbolic layer derives (the files transcribe MATH.md §2 as the
/// sources state it; the derivation is the independent route that holds them to it).
/// </summary>
public class ShippedClaimFilesTests
{
    internal static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "claims"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("claims/");
    }

    public static TheoryData<string> Files => [.. new[] { "claims", Path.Combine("examples", "claims") }
        .SelectMany(d => Directory.GetFiles(Path.Combine(Root(), d), "*.toml")).Select(f => Path.GetRelativePath(Root(), f)).Order()];

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryShippedClaimFileReadsPlansAndFitsTheBudget(string file)
    {
        var plan = ClaimPlan.Create(TomlClaimReader.Load(Path.Combine(Root(), file)));
        Assert.NotEmpty(plan.File.Claims);
        plan.CheckBudget(ResourceLimits.Current, default);
    }

    /// <summary>The derived form of a shipped (matrix, statistic) of a network, in the claim files' symbols.</summary>
    private static Expression? Derived(ClaimDefinition claim)
    {
        var kind = claim.Points[0].Statistic!.Value.Kind;
        bool top = kind is StatisticKind.MeanTop or StatisticKind.LambdaMax;
        var regression = MeanFieldStatistics.spectrumForms.Value;
        if (claim.Model.Family == "softmax-mlp")
        {
            var s = SoftmaxStatistics.derivation.Value;
            return kind == StatisticKind.Mean ? s.Mean : kind == StatisticKind.SecondMoment ? s.SecondMoment
                : top ? ExpressionModule.mul(ListModule.OfArray([s.OutlierScale, ExpressionModule.symbol("qbarTop")])) : null;
        }
        // The trace of F̄: its C(T − 1)-fold bulk eigenvalue times the multiplicity (the leading dual's other eigenvalues are 0).
        if (claim.Matrix == "fim-mean-subtracted" && kind == StatisticKind.Trace)
            return ExpressionModule.mul(ListModule.OfArray([MeanFieldVariantStatistics.bulk.Value, ExpressionModule.symbol("C"),
                ExpressionModule.add(ListModule.OfArray([ExpressionModule.symbol("T"), ExpressionModule.ofInt(-1)]))]));
        DualStatistics? variant = claim.Matrix!.Split("@T=")[0] switch
        {
            "fim-mean-subtracted" => MeanFieldVariantStatistics.meanSubtracted.Value,
            "ntk-mean-subtracted" => MeanFieldVariantStatistics.ntkMeanSubtracted.Value,
            "input" => MeanFieldVariantStatistics.inputMetric.Value,
            string m when m.StartsWith("fim-block:") => MeanFieldVariantStatistics.block(claim.Points[0].Symbols["L"] is var l ? (int)l : 0, int.Parse(m["fim-block:".Length..])),
            _ => null,
        };
        if (variant is not null)
            return kind == StatisticKind.Mean ? variant.Mean : kind == StatisticKind.SecondMoment ? variant.SecondMoment : top ? variant.LambdaMax : null;
        return (claim.Matrix!.Split("@T=")[0], kind) switch
        {
            ("fim", StatisticKind.Mean) => regression.Mean,
            ("fim", StatisticKind.SecondMoment) => regression.SecondMoment,
            ("fim", _) when top => regression.LambdaMax,
            ("ntk", StatisticKind.Mean) => regression.NtkMean,
            ("ntk", StatisticKind.SecondMoment) => regression.NtkSecondMoment,
            ("ntk", _) when top => regression.NtkLambdaMax,
            _ => null,
        };
    }

    [Fact]
    public void TheShippedPredictionsForNetworksAreTheSymbolicLayersDerivations()
    {
        var names = new Dictionary<string, Expression> { ["kappa1p"] = ExpressionModule.symbol("ntkKappa1"), ["kappa2p"] = ExpressionModule.symbol("ntkKappa2") };
        var checkedClaims = new List<string>();
        // Every shipped file but the deliberately wrong ones (wrong-*.toml), whose predictions are off on purpose.
        foreach (string file in new[] { "claims", Path.Combine("examples", "claims") }.SelectMany(d => Directory.GetFiles(Path.Combine(Root(), d), "*.toml"))
                     .Where(f => !Path.GetFileName(f).StartsWith("wrong-", StringComparison.Ordinal)))
            // Held where the prediction is a formula of the model's own symbols for a statistic of one matrix (an expression statistic carries
            // its formula in the statistic, a claim constant is the file's own algebra, limit-at-least bounds a measured constant by a number).
            foreach (var claim in TomlClaimReader.Load(file).Claims.Where(c => c.Model.Family != "shallow-relu" && c.Predicted is not null
                         && c.Points[0].Statistic!.Value.Kind != StatisticKind.Expression && c.Relation != Numeric.Claims.Relation.LimitAtLeast
                         && c.Predicted.Symbols.All(x => c.Model.SizeSymbols.Contains(x) || c.Model.TrialSymbols.Contains(x))))
            {
                // The mean-subtraction lower bound ρα(κ₁ − κ₂) is the regression dual's bulk eigenvalue.
                var derived = claim.Relation == Numeric.Claims.Relation.AtLeast && claim.Matrix == "fim-mean-subtracted"
                    ? MeanFieldVariantStatistics.bulk.Value : Derived(claim);
                // A matrix on the first k inputs (matrix@T=k): the derivation at T = k.
                if (derived is not null && claim.Matrix!.Split("@T=") is [_, var k])
                    derived = Substitute.many(MapModule.OfSeq([Tuple.Create("T", ExpressionModule.ofInt(int.Parse(k)))]), derived);
                Assert.True(derived is not null, $"{Path.GetFileName(file)}: claim '{claim.Name}' has no derivation to be held to; add one here");
                var stated = Substitute.many(MapModule.OfSeq(names.Select(kv => Tuple.Create(kv.Key, kv.Value))), claim.Predicted!.Expression);
                Assert.True(RationalFunction.areEqual(stated, derived!),
                    $"{Path.GetFileName(file)}: claim '{claim.Name}' predicts {claim.Predicted.Text}, but the symbolic layer derives {Infix.format(derived!)}");
                checkedClaims.Add(claim.Name);
            }
        Assert.True(checkedClaims.Count >= 20, $"only {checkedClaims.Count} shipped network claims were checked");
    }
}

using Xunit;
using FimVerify.Cli.Claims;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Tests.Claims;

/// <summary>
/// The claim kinds of the report's mean-field-variants section as claim-file data: expression statistics of measured quantities (a
/// ratio of two eigenvalues of one matrix, of statistics of two matrices of one network), T moving with M, a matrix on the first k
/// inputs of the same network, limit-at-least, decays and pooled probability claims; each held against an independent route.
/// </summary>
public class ClaimFileFeaturesTests
{
    private const string Network = """
        [[instance]]
        name = "net"
        model = "mlp"
        activation = "tanh"
        depth = 3
        samples = SAMPLES
        outputs = 2
        sigma_w2 = 3.0
        sigma_b2 = 0.64
        sweep = { M = [40, 80] }
        trials = 3

        """;

    private static ClaimFile File(string claims, string samples = "8") =>
        TomlClaimReader.FromText("features.toml", Network.Replace("SAMPLES", samples) + claims);

    /// <summary>An always-true per-trial claim on the instance (so that the statistic is measured and recorded).</summary>
    private static string Recorded(string name, string matrix, string statistic, string measure = "") => $$"""
        [[claim]]
        name = "{{name}}"
        instance = "net"
        matrix = "{{matrix}}"
        {{measure}}
        statistic = "{{statistic}}"
        relation = "<="
        predicted = "1e300"
        probability = "0"

        """;

    /// <summary>The claim's statistic in trial k at the first size, as the engine records it.</summary>
    private static double Recorded(ClaimFile file, string claim, int trial = 0)
    {
        var plan = ClaimPlan.Create(file, 7);
        var family = plan.Families[0];
        var outcome = family.Experiment.Run(ClaimPlan.TrialSeed(plan.Seed, family.Instance.Name, family.Size, trial));
        var c = file.Claims.Single(x => x.Name == claim);
        return outcome.Measurements[family.Experiment.MeasurementNames.ToList().IndexOf(ClaimExperiment.MeasurementOf(c, ClaimExperiment.StatisticLower))];
    }

    /// <summary>The same trial's network measured directly: the dual of the variant (and, for a subsample, on its first k inputs).</summary>
    private static double[] Spectrum(FimVariant variant, int samples, int trial = 0, int width = 40)
    {
        var seed = ClaimPlan.TrialSeed(7, "net", width, trial);
        var dual = FimSpectrumExperiment.Dual(new Tanh(), new NetworkShape(3, 3, 0.64), width, samples, 2, seed);
        return FimSpectrumExperiment.Spectra(dual, variant)[0].EigenvaluesDescending;
    }

    [Fact]
    public void AnExpressionStatisticIsTheRatioOfTheEigenvaluesItNames()
    {
        var file = File(Recorded("gap", "fim", "expr:outlier/bulk", "measure = { outlier = \"eigenvalue:C\", bulk = \"eigenvalue:C + 1\" }"));
        var ev = Spectrum(FimVariant.Regression, 8);
        Assert.Equal(ev[1] / ev[2], Recorded(file, "gap"), 1e-12);
        Assert.True(Math.Abs(Math.Log(ev[1] / ev[2])) > 0.01, "λ_C/λ_(C+1) must differ from 1, or the check above could not tell numerator from denominator");
    }

    [Fact]
    public void AnExpressionStatisticReadsEachQuantityFromItsOwnMatrixOfTheSameNetwork()
    {
        var file = File(Recorded("removed", "fim", "expr:top/outlier",
            "measure = { outlier = \"eigenvalue:C\", top = { matrix = \"fim-mean-subtracted\", statistic = \"lambda-max\" } }"));
        double expected = Spectrum(FimVariant.MeanSubtracted, 8)[0] / Spectrum(FimVariant.Regression, 8)[1];
        Assert.Equal(expected, Recorded(file, "removed"), 1e-12);
        double plain = Spectrum(FimVariant.Regression, 8)[0] / Spectrum(FimVariant.Regression, 8)[1];
        Assert.True(Math.Abs(expected / plain - 1) > 0.01, "F̄ and F must differ here, or the wrong matrix could pass");
    }

    [Fact]
    public void SamplesMayMoveWithTheWidth()
    {
        var file = File(Recorded("ntk-size", "ntk", "expr:n", "measure = { n = \"trace\" }"), samples: "\"M/4\"");
        var points = file.Claims[0].Points;
        Assert.Equal(10, points[0].Symbols["T"]);                 // T = M/ρ at M = 40, 80
        Assert.Equal(20, points[1].Symbols["T"]);
        Assert.Equal(2 * 10, points[0].Dimension);                 // the NTK's order C·T follows
        Assert.Equal(2 * 20, points[1].Dimension);
        // The trial's network has T = 10 inputs: its NTK trace is that of a dual formed on 10 inputs.
        Assert.Equal(Spectrum(FimVariant.Ntk, 10).Sum(), Recorded(file, "ntk-size"), 1e-9);
        var rounded = File(Recorded("x", "ntk", "trace"), samples: "\"M/3\"");
        Assert.Equal(13, rounded.Claims[0].Points[0].Symbols["T"]);   // 40/3 rounds to 13
        Assert.Equal(27, rounded.Claims[0].Points[1].Symbols["T"]);   // 80/3 rounds to 27
    }

    [Fact]
    public void SamplesThatLeaveTheirRangeAtSomeSizeAreRefusedWithTheInstancesLine()
    {
        // T = 30·M: C·T = 2400 at M = 40, 4800 at M = 80 (the dual's limit is 4000).
        var e = Assert.ThrowsAny<Exception>(() => File(Recorded("x", "ntk", "trace"), samples: "\"30*M\""));
        Assert.Contains("features.toml:1", e.Message);
        Assert.Contains("'sweep'", e.Message);
        Assert.Contains("at M = 80 the dual has C·T = 4800 rows", e.Message);
    }

    [Fact]
    public void AMatrixOnTheFirstInputsIsTheSameNetworkOnFewerInputs()
    {
        var file = File(Recorded("all", "ntk", "lambda-max") + Recorded("same", "ntk@T=8", "lambda-max") + Recorded("few", "ntk-mean-subtracted@T=4", "lambda-max"));
        Assert.Equal(Recorded(file, "all"), Recorded(file, "same"));
        Assert.Equal(Spectrum(FimVariant.NtkMeanSubtracted, 4)[0], Recorded(file, "few"), 1e-12);
        Assert.Equal(Spectrum(FimVariant.NtkMeanSubtracted, 4, trial: 1)[0], Recorded(file, "few", trial: 1), 1e-12);   // each trial its own network
        Assert.Equal(2 * 4, file.Claims.Single(c => c.Name == "few").Points[0].Dimension);
        var e = Assert.ThrowsAny<Exception>(() => File(Recorded("many", "ntk@T=9", "lambda-max")));
        Assert.Contains("only T = 8", e.Message);
    }

    [Fact]
    public void APooledClaimIsDecidedOnceOnTheTrialsOfEverySize()
    {
        // 9 failures of 20 at each of two sizes against b = 0.2 at α = 10⁻³: each size alone passes (P(X ≥ 9 | 20) = 0.00998 > α/2),
        // the 18 of 40 pooled fail (P(X ≥ 18 | 40) = 3.0·10⁻⁴ < α).
        var text = Network.Replace("SAMPLES", "8").Replace("trials = 3", "trials = 20") + """
            [[claim]]
            name = "pooled"
            instance = "net"
            matrix = "fim"
            statistic = "lambda-max"
            relation = "<="
            predicted = "1"
            probability = "0.2"
            alpha = 0.001
            pooled = true
            """;
        var claim = TomlClaimReader.FromText("pooled.toml", text).Claims[0];
        Assert.True(claim.Pooled);
        var experiments = claim.Points.Select((_, i) => new ClaimExperiment(claim.Instance, i, [claim])).ToList();
        var logs = experiments.Select(x =>
        {
            var outcomes = new SortedDictionary<long, TrialOutcome>();
            for (int k = 0; k < 20; k++) outcomes[k] = new TrialOutcome([k < 9], [k < 9 ? 2 : 0.5, k < 9 ? 2 : 0.5, 1, 1, 0]);
            return new TrialLog(x.Claims, x.MeasurementNames, outcomes);
        }).ToList();
        var result = ClaimAnalysis.Decide(claim, experiments, logs);
        Assert.All(result.Points, p => Assert.Equal(Verdict.Pass, p.Verdict!.Verdict));
        Assert.Equal(40, result.Pooled!.Trials);
        Assert.Equal(18, result.Pooled.Failures);
        Assert.Equal(0.001, result.Pooled.Alpha);
        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal("pooled", Assert.Single(result.Decisions).Name);
        var e = Assert.ThrowsAny<Exception>(() => TomlClaimReader.FromText("p.toml", text.Replace("\"0.2\"", "\"0.2*40/M\"")));
        Assert.Contains("one failure probability for every size", e.Message);
    }

    [Fact]
    public void TheNewKindsGiveTheSameNumbersOnAnyThreadCount()
    {
        var file = File(Recorded("gap", "fim", "expr:outlier/bulk", "measure = { outlier = \"eigenvalue:C\", bulk = { matrix = \"fim-mean-subtracted@T=6\", statistic = \"lambda-max\" } }"),
            samples: "\"M/5\"");
        var experiment = ClaimPlan.Create(file).Families[1].Experiment;
        var one = TrialRunner.Run(experiment, 3, 6, Shard.All, maxDegreeOfParallelism: 1);
        var two = TrialRunner.Run(experiment, 3, 6, Shard.All, maxDegreeOfParallelism: 2);
        for (int k = 0; k < 6; k++) Assert.Equal(one.Outcomes[k].Measurements, two.Outcomes[k].Measurements);
        // And each trial alone, in reverse order: a trial depends on its stream only, not on the trials run before it.
        for (int k = 5; k >= 0; k--)
            Assert.Equal(one.Outcomes[k].Measurements, experiment.Run(TrialRunner.TrialSeed(3, experiment.Name, k)).Measurements);
    }

    [Theory]
    [InlineData("relation = \"decays\"\nrate = 0.25\npredicted = \"1\"", "predicted", "states no prediction")]
    [InlineData("relation = \"decays\"", "the [[claim]]", "'rate' is required")]
    [InlineData("relation = \"limit-at-least\"\npredicted = \"M\"", "predicted", "the same number at every size")]
    [InlineData("relation = \"limit-at-least\"\npredicted = \"0\"", "resolution", "is required for limit-at-least with the bound 0")]
    [InlineData("relation = \"ratio-tends-to-1\"\npredicted = \"1\"\nfinite_size = [0.5, 0.5]", "finite_size", "distinct")]
    [InlineData("relation = \"ratio-tends-to-1\"\npredicted = \"1\"\npooled = true", "pooled", "trial by trial")]
    public void BadNewKeysAreRefusedWithTheirLineAndKey(string lines, string key, string expected)
    {
        string text = Network.Replace("SAMPLES", "8") + $"[[claim]]\nname = \"bad\"\ninstance = \"net\"\nmatrix = \"fim\"\nmeasure = {{ top = \"lambda-max\" }}\nstatistic = \"expr:top/M\"\n{lines}\n";
        var e = Assert.ThrowsAny<Exception>(() => TomlClaimReader.FromText("bad.toml", text));
        Assert.Contains("bad.toml", e.Message);
        Assert.Contains(expected, e.Message);
        if (key != "the [[claim]]") Assert.Contains($"'{key}'", e.Message);
    }

    [Fact]
    public void TheDeliberatelyWrongVariantsFail()
    {
        var file = TomlClaimReader.Load(Path.Combine(ShippedClaimFilesTests.Root(), "examples", "claims", "wrong-variant.toml"));
        var plan = ClaimPlan.Create(file);
        var result = ClaimAnalysis.Decide(plan, plan.Run());
        Assert.All(result.Claims, c => Assert.True(c.Verdict == Verdict.Fail, $"{c.Claim.Name}: {c.Verdict}"));
        Assert.Equal(4, result.Claims.Count);
    }
}

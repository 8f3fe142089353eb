using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.Claims;

/// <summary>
/// How the engine turns trials into decisions, on a model whose statistic is set rather than drawn: the Bonferroni split of an
/// inequality's α over its sizes, trials left undecided by certified bounds, and the claim's verdict over its sizes.
/// </summary>
public class ClaimDecisionTests
{
    /// <summary>A model whose statistic in each trial is an interval chosen by the trial's stream: a test double for J's bounds.</summary>
    private sealed class IntervalModel(Func<SeedSequence, CertifiedInterval> interval) : ClaimModel
    {
        public override string Family => "test";
        public override string SizeSymbol => "n";
        public override IReadOnlyList<string> Keys => [];
        public override IReadOnlyList<string> Matrices => ["m"];
        public override IReadOnlyList<string> SizeSymbols => ["n"];
        public override IReadOnlyList<KeyValuePair<string, string>> Parameters => [];
        public override long MinimumSize => 1;
        public override IReadOnlyDictionary<string, double> SymbolsAt(long size) => new Dictionary<string, double> { ["n"] = size };
        public override long DimensionOf(string matrix, long size) => 10;
        public override void Check(MatrixRead read, long size) { }
        public override ResourceEstimate Plan(IReadOnlyList<MatrixRead> reads, long size) => new(8, 1, 1);
        public override ModelInstance Sample(long size, IReadOnlyList<MatrixRead> reads, SeedSequence seed) => new Instance(new Fixed(interval(seed)));

        private sealed class Instance(IMatrixMeasurement m) : ModelInstance
        {
            public override IMatrixMeasurement Matrix(string matrix) => m;
        }

        private sealed class Fixed(CertifiedInterval x) : IMatrixMeasurement
        {
            public long Dimension => 10;
            public CertifiedInterval Trace() => x;
            public CertifiedInterval SumOfSquares() => x;
            public CertifiedInterval Eigenvalue(int k) => x;
            public CertifiedInterval Rayleigh(string group) => x;
        }
    }

    /// <summary>"trace &lt;= 1 with probability b" on <paramref name="model"/> at the given sizes (its own instance, named "test").</summary>
    private static ClaimDefinition Claim(ClaimModel model, double bound, double alpha, int trials, params long[] sizes)
    {
        string[] symbols = ["n"];
        var instance = new ClaimInstance("test", 1, true, model, sizes, sizes.Select(_ => (long)trials).ToList(), "n");
        var points = sizes.Select(n => new ClaimPoint(n, new Statistic(StatisticKind.Trace), 10, model.SymbolsAt(n), bound, 1.0)).ToList();
        var claim = new ClaimDefinition("test", "trace <= 1", 1, instance, "m", StatisticDefinition.Parse("trace", symbols, []), Relation.AtMost,
            ClaimExpression.Parse("1", symbols), ProbabilityExpression.Parse(bound.ToString("R", System.Globalization.CultureInfo.InvariantCulture), symbols),
            BoundKind.AtMost, alpha, points, null, [], [], [], "test");
        instance.Prepare([claim]);
        return claim;
    }

    private static ClaimExperiment Experiment(ClaimDefinition claim, int point) => new(claim.Instance, point, [claim]);

    /// <summary>A log of <paramref name="trials"/> outcomes of which the first <paramref name="failures"/> failed.</summary>
    private static TrialLog Log(ClaimDefinition claim, int point, int trials, int failures)
    {
        var experiment = Experiment(claim, point);
        var outcomes = new SortedDictionary<long, TrialOutcome>();
        for (int k = 0; k < trials; k++) outcomes[k] = new TrialOutcome([k < failures], [k < failures ? 2 : 0.5, k < failures ? 2 : 0.5, 1, 1, 0]);
        return new TrialLog(experiment.Claims, experiment.MeasurementNames, outcomes);
    }

    private static ClaimResult Decide(ClaimDefinition claim, params TrialLog[] logs) =>
        ClaimAnalysis.Decide(claim, claim.Points.Select((_, i) => Experiment(claim, i)).ToList(), logs);

    [Fact]
    public void AnInequalityDecidesEachSizeAtAlphaOverTheNumberOfSizes()
    {
        // 11 failures of 20 against b = 0.2: P(X ≥ 11) = 5.63·10⁻⁴ (exact binomial sum), between α/2 and α for α = 10⁻³.
        var model = new IntervalModel(_ => new CertifiedInterval(0, 0));
        var one = Claim(model, 0.2, 1e-3, 20, 5);
        Assert.Equal(Verdict.Fail, Decide(one, Log(one, 0, 20, 11)).Verdict);
        var two = Claim(model, 0.2, 1e-3, 20, 5, 6);
        var result = Decide(two, Log(two, 0, 20, 11), Log(two, 1, 20, 11));
        Assert.Equal(5e-4, result.PointAlpha);
        Assert.All(result.Points, p => Assert.Equal(Verdict.Pass, p.Verdict!.Verdict));
        Assert.Equal(Verdict.Pass, result.Verdict);
    }

    [Fact]
    public void TrialsWhoseBoundsStraddleThePredictionAreUndecidedNotFailures()
    {
        // Half the trials bound the statistic within [0.9, 1.1] around the prediction 1, the others within [0.5, 0.6].
        var model = new IntervalModel(seed => seed.CreateSampler().NextUniform() < 0.5 ? new CertifiedInterval(0.9, 1.1) : new CertifiedInterval(0.5, 0.6));
        var claim = Claim(model, 0, 1e-6, 40, 3);
        var experiment = Experiment(claim, 0);
        var outcomes = new SortedDictionary<long, TrialOutcome>();
        for (int k = 0; k < 40; k++) outcomes[k] = TrialRunner.RunOne(experiment, ClaimPlan.TrialSeed(1, "test", 3, k), k);
        var log = new TrialLog(experiment.Claims, experiment.MeasurementNames, outcomes);
        Assert.Equal(0, log.Failures(0));
        long undecided = log.Undecided(0);
        Assert.InRange(undecided, 1, 39);                              // all 40 alike has probability 2·2⁻⁴⁰
        var result = Decide(claim, log);
        Assert.Equal(Verdict.Undecided, result.Verdict);                // with b = 0 one failure refutes; undecided trials might be failures
        Assert.Equal(undecided, result.Points[0].Verdict!.Undecided);
        Assert.NotNull(result.Points[0].StatisticUpper);                 // bounds, not values: the output shows both ends
    }

    [Theory]
    [InlineData(new[] { Verdict.Pass, Verdict.Fail, Verdict.Vacuous }, Verdict.Fail)]
    [InlineData(new[] { Verdict.Pass, Verdict.Undecided }, Verdict.Undecided)]
    [InlineData(new[] { Verdict.Vacuous, Verdict.Underpowered, Verdict.Pass }, Verdict.Pass)]
    [InlineData(new[] { Verdict.Vacuous, Verdict.Underpowered }, Verdict.Underpowered)]
    [InlineData(new[] { Verdict.Vacuous, Verdict.Vacuous }, Verdict.Vacuous)]
    public void AnInequalitysVerdictOverItsSizes(Verdict[] sizes, Verdict expected) => Assert.Equal(expected, ClaimAnalysis.Combine(sizes));
}

using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// One claim at one size as an <see cref="ITrialExperiment"/>: each trial samples the model, measures the statistic (as an
/// interval certain to contain it), evaluates the prediction (with the trial's own symbols when it uses them) and, for an
/// inequality, decides the relation. Its outcomes are the project's trial outcomes, so they shard, merge and travel through
/// partial files like every other experiment's. Measurements: the statistic's interval, the prediction, and for an inequality
/// the undecided mark of its claim (1 when the interval straddled the prediction).
/// </summary>
public sealed class ClaimExperiment : ITrialExperiment
{
    public const string StatisticLower = "statistic", StatisticUpper = "statistic.upper", Prediction = "predicted";

    private readonly ClaimDefinition _claim;
    private readonly ClaimPoint _point;

    public ClaimExperiment(ClaimDefinition claim, ClaimPoint point)
    {
        _claim = claim; _point = point;
        Claims = claim.IsInequality ? [new Claim(claim.Name, claim.Statement, point.Bound!.Value).Validated()] : [];
        MeasurementNames = claim.IsInequality
            ? [StatisticLower, StatisticUpper, Prediction, TrialLog.UndecidedPrefix + claim.Name]
            : [StatisticLower, StatisticUpper, Prediction];
    }

    public string Name => _claim.Name;
    public ClaimDefinition Definition => _claim;
    public ClaimPoint Point => _point;
    public IReadOnlyList<Claim> Claims { get; }
    public IReadOnlyList<string> MeasurementNames { get; }

    public TrialOutcome Run(SeedSequence seed)
    {
        var trial = _claim.Model.Sample(_claim.Matrix, _point.Statistic, _point.Size, seed);
        var statistic = _point.Statistic.Of(trial.Matrix);
        double predicted = _point.FixedPrediction ?? PredictionOf(trial);
        if (!double.IsFinite(predicted))
            throw new NumericalException($"the prediction of claim '{_claim.Name}' at {_claim.Model.SizeSymbol} = {_point.Size} is not finite in a trial ({predicted})");
        if (!_claim.IsInequality)
        {
            if (statistic.Lower != statistic.Upper)
                throw new InvalidOperationException($"claim '{_claim.Name}': a limit needs the exact statistic, but only bounds were measured");
            return new TrialOutcome([], [statistic.Lower, statistic.Upper, predicted]);
        }
        var certainty = Relations.Decide(_claim.Relation, statistic, predicted);
        return new TrialOutcome([certainty == Certainty.Fails], [statistic.Lower, statistic.Upper, predicted, certainty == Certainty.Undecided ? 1 : 0]);
    }

    private double PredictionOf(ModelTrial trial)
    {
        var symbols = new Dictionary<string, double>(_point.Symbols);
        foreach (var (name, value) in trial.Symbols) symbols[name] = value;
        return _claim.Predicted.Evaluate(symbols);
    }
}

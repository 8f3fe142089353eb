using FimVerify.Numeric.Activations;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// One network of a width sweep at width M: the regression FIM's m_λ, s_λ and the mean of its top C eigenvalues.
/// A trial without claims: the decision is the trend over widths (<see cref="WidthSweep.Analyse"/>).
/// </summary>
public sealed class WidthSweepTrial(IActivation activation, NetworkShape shape, int width, int samples, int outputs) : ITrialExperiment
{
    public string Name => "width-sweep";
    public int Width => width;
    public IReadOnlyList<Claim> Claims { get; } = [];
    public IReadOnlyList<string> MeasurementNames { get; } = ["mean", "secondMoment", "topMean"];

    public TrialOutcome Run(SeedSequence seed)
    {
        var spectrum = FimSpectrumExperiment.Run(activation, shape, width, samples, outputs, FimVariant.Regression, seed)[0];
        var st = spectrum.Statistics(outputs);
        return new TrialOutcome([], [st.Mean, st.SecondMoment, st.LambdaMax]);
    }
}

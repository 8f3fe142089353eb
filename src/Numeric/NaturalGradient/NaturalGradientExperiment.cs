using FimVerify.Numeric.Activations;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Mlps;

namespace FimVerify.Numeric.NaturalGradient;

/// <summary>
/// One metric on one network: our α and seed 002's, the function-space kernel's mean diagonal and its relative
/// distance ‖Θ̄/α − I‖₂ from isotropy (and with the source's α), the linearised one-step residual
/// ‖(I − Θ̄/α) r‖/‖r‖, the real network's ‖f₁ − y‖/‖f₀ − y‖ after one step with η = 1/α (and η = 1/α_source), and the
/// largest change of a hidden pre-activation in that step (the NTK regime needs it small).
/// </summary>
public sealed record NaturalGradientOutcome(NaturalGradientMetric Metric, double Alpha, double SourceAlpha, double MeanDiagonal,
    double Distance, double SourceDistance, double LinearResidual, double StepResidual, double SourceStepResidual, double LargestPreactivationChange);

/// <summary>
/// One trial of the natural-gradient experiment (seed 002): a random MLP with one output (stream trialSeed),
/// N Gaussian inputs (trialSeed/"inputs") and Gaussian targets y (trialSeed/"targets"), at initialisation.
/// </summary>
public static class NaturalGradientExperiment
{
    public static NaturalGradientOutcome[] Run(IActivation activation, int depth, int width, double sigmaW2, double sigmaB2,
        int samples, SeedSequence trialSeed)
    {
        var widths = Enumerable.Repeat(width, depth).Append(1).ToArray();
        var net = Mlp.Sample(activation, widths, sigmaW2, sigmaB2, trialSeed);
        var x = net.SampleInputs(samples, trialSeed);
        var y = new double[samples];
        trialSeed.Child("targets").CreateSampler().FillGaussian(y);
        var fwd = net.Forward(x, samples);
        var ngd = new ApproximateNaturalGradient(new MlpDualGram(new MlpBackward(fwd)));
        var r = fwd.Outputs.Select((f, i) => f - y[i]).ToArray();
        double rNorm = Norm(r);

        var outcomes = new List<NaturalGradientOutcome>();
        Mlp? stepped = null;
        (double[][] dW, double[][] db)? direction = null;
        foreach (var metric in NaturalGradientScales.All)
        {
            double alpha = NaturalGradientScales.Derived(metric, activation, widths, samples);
            double source = NaturalGradientScales.Source(metric, activation, widths, samples);
            var theta = ngd.Kernel(metric);
            var ev = DenseSymmetricEigen.Eigenvalues(theta);
            double Dist(double a) => double.IsFinite(a) ? ev.Max(e => Math.Abs(e / a - 1)) : double.NaN;
            var linear = new double[samples];
            for (int i = 0; i < samples; i++)
            {
                double s = 0;
                for (int j = 0; j < samples; j++) s += theta[i, j] * r[j];
                linear[i] = r[i] - s / alpha;
            }
            var current = ngd.Direction(metric, r, direction); // into the previous metric's arrays
            direction = current;
            double largestChange = 0;
            double StepResidual(double a, bool measureChange)
            {
                if (!double.IsFinite(a)) return double.NaN;
                stepped = ngd.Step(current, 1 / a, stepped); // one parameter set a trial, overwritten by each step tried
                var after = stepped.Forward(x, samples);
                if (measureChange)
                    for (int l = 1; l < depth; l++)
                        for (int i = 0; i < after.U[l].Length; i++) largestChange = Math.Max(largestChange, Math.Abs(after.U[l][i] - fwd.U[l][i]));
                return Norm(after.Outputs.Select((f, i) => f - y[i]).ToArray()) / rNorm;
            }
            double step = StepResidual(alpha, measureChange: true);
            outcomes.Add(new NaturalGradientOutcome(metric, alpha, source, Enumerable.Range(0, samples).Average(i => theta[i, i]),
                Dist(alpha), Dist(source), Norm(linear) / rNorm, step, source == alpha ? step : StepResidual(source, false), largestChange));
        }
        return outcomes.ToArray();
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(a => a * a));
}

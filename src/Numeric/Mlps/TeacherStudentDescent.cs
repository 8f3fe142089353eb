using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Mlps;

/// <summary>
/// Gradient descent near a zero-loss minimum (MATH.md §2, learning rate): the teacher is a random network,
/// its outputs on T inputs are the targets, so the teacher's parameters θ* are a zero-loss minimum of
/// E(θ) = (1/2T) Σ_t ‖y_t − f(x_t; θ)‖², whose Hessian there is exactly F = (1/T) JᵀJ. The student starts at
/// θ* + ε·ξ (ξ with the initialisation's per-parameter scale) and runs plain gradient descent with step η.
/// Linearised, each eigen-direction of F is multiplied by (1 − ηλ) per step, so the minimum is stable iff
/// η &lt; 2/λ_max.
/// </summary>
public static class TeacherStudentDescent
{
    public sealed record Result(double LambdaMax, double LearningRate, double[] Losses)
    {
        public double InitialLoss => Losses[0];
        public double FinalLoss => Losses[^1];
        public double MaxLoss => Losses.Where(double.IsFinite).DefaultIfEmpty(double.PositiveInfinity).Max();
        public bool Diverged => Losses.Any(l => !double.IsFinite(l)) || MaxLoss >= 1e4 * InitialLoss;
    }

    /// <param name="stepFactor">η = stepFactor · 2/λ_max with λ_max the largest eigenvalue of F at θ*.</param>
    public static Result Run(Mlp teacher, int samples, double perturbation, double stepFactor, int steps, SeedSequence seed)
    {
        var x = teacher.SampleInputs(samples, seed);
        var teacherPass = teacher.Forward(x, samples);
        double[] y = (double[])teacherPass.Outputs.Clone();
        double lambdaMax = MeasuredSpectrum.Of(new MlpDualGram(new MlpBackward(teacherPass)).Fisher(), teacher.ParameterCount).LambdaMax;
        double eta = stepFactor * 2 / lambdaMax;

        var w = teacher.Weights.Select(a => (double[])a.Clone()).ToArray();
        var b = teacher.Biases.Select(a => (double[])a.Clone()).ToArray();
        for (int l = 0; l < w.Length; l++)
        {
            var rng = seed.Child("perturbation").Child(l).CreateSampler();
            for (int i = 0; i < w[l].Length; i++) w[l][i] += perturbation * Math.Sqrt(teacher.SigmaW2 / teacher.Widths[l]) * rng.NextGaussian();
            for (int i = 0; i < b[l].Length; i++) b[l][i] += perturbation * Math.Sqrt(Math.Max(teacher.SigmaB2, 1e-12)) * rng.NextGaussian();
        }
        var student = new Mlp(teacher.Activation, teacher.Widths, teacher.SigmaW2, teacher.SigmaB2, w, b);

        var losses = new List<double>();
        for (int step = 0; step <= steps; step++)
        {
            ForwardPass pass;
            try { pass = student.Forward(x, samples); }
            catch (NumericalException) { losses.Add(double.PositiveInfinity); break; }
            var residual = new double[y.Length];
            double loss = 0;
            for (int i = 0; i < y.Length; i++) { residual[i] = pass.Outputs[i] - y[i]; loss += residual[i] * residual[i]; }
            losses.Add(loss / (2 * samples));
            if (step == steps || loss / (2 * samples) > 1e8 * Math.Max(losses[0], 1e-300)) break;
            var (dW, db) = MlpBackward.LossGradient(pass, residual);
            for (int l = 0; l < w.Length; l++)
            {
                for (int i = 0; i < w[l].Length; i++) w[l][i] -= eta * dW[l][i];
                for (int i = 0; i < b[l].Length; i++) b[l][i] -= eta * db[l][i];
            }
        }
        return new Result(lambdaMax, eta, losses.ToArray());
    }
}

using FimVerify.Numeric.Data;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Classifiers;

/// <summary>Plain minibatch SGD on the mean cross-entropy, seeded so that a density after training is reproducible.</summary>
public sealed record SgdSettings(int Epochs, int BatchSize, double LearningRate);

public sealed record TrainingResult(double InitialLoss, double FinalLoss, double InitialAccuracy, double FinalAccuracy, int Steps);

public static class SgdTraining
{
    /// <summary>
    /// Trains the model in place. Epoch e visits the examples in the permutation drawn from
    /// seed.Child("sgd-epoch").Child(e) (Fisher–Yates), in batches of BatchSize (the last may be smaller).
    /// <paramref name="progress"/> counts the epochs (no stage when there are none).
    /// </summary>
    public static TrainingResult Train(IDifferentiableClassifier model, ClassificationSet data, SgdSettings settings, SeedSequence seed,
        IProgress<ProgressStep>? progress = null)
    {
        if (settings.Epochs < 0 || settings.BatchSize < 1 || !(settings.LearningRate > 0) || !double.IsFinite(settings.LearningRate))
            throw new ArgumentException("SGD needs a non-negative number of epochs, a batch size of at least 1 and a positive finite learning rate");
        if (data.Dimension != model.InputDimension || data.Classes != model.Classes)
            throw new ArgumentException("the data and the model disagree on the input dimension or the number of classes");
        var (loss0, acc0) = Evaluate(model, data);
        int n = data.Count, d = data.Dimension, c = data.Classes, steps = 0;
        var order = new int[n];
        var gradient = new double[model.ParameterCount];
        var counter = new ProgressCounter(settings.Epochs > 0 ? progress : null, $"SGD epochs ({n} examples, batch {settings.BatchSize})", settings.Epochs);
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            for (int k = 0; k < n; k++) order[k] = k;
            var sampler = seed.Child("sgd-epoch").Child(epoch).CreateSampler();
            for (int k = n - 1; k > 0; k--)
            {
                int j = (int)(sampler.NextUInt64() % (ulong)(k + 1));
                (order[k], order[j]) = (order[j], order[k]);
            }
            for (int start = 0; start < n; start += settings.BatchSize)
            {
                int size = Math.Min(settings.BatchSize, n - start);
                var inputs = new double[size * d];
                for (int b = 0; b < size; b++) data.Input(order[start + b]).CopyTo(inputs.AsSpan(b * d, d));
                var pass = model.Forward(inputs, size);
                // ∂(−log p_y)/∂z = p − e_y, averaged over the batch.
                var residual = (double[])pass.Probabilities.Clone();
                for (int b = 0; b < size; b++) residual[b * c + data.Labels[order[start + b]]] -= 1;
                model.Vjp(pass, residual, 1, gradient);
                double step = settings.LearningRate / size;
                var theta = model.Parameters;
                for (int k = 0; k < theta.Length; k++) theta[k] -= step * gradient[k];
                steps++;
            }
            if (model.Parameters.Any(x => !double.IsFinite(x))) throw new NumericalException($"SGD diverged in epoch {epoch} (learning rate {settings.LearningRate} too large?)");
            counter.Advance();
        }
        var (loss1, acc1) = Evaluate(model, data);
        return new TrainingResult(loss0, loss1, acc0, acc1, steps);
    }

    /// <summary>Examples per forward pass of <see cref="Evaluate"/> (bounds the memory a pass keeps).</summary>
    public const int EvaluationBatch = 1000;

    /// <summary>Mean cross-entropy and accuracy on a set, in passes of <see cref="EvaluationBatch"/> examples.</summary>
    public static (double Loss, double Accuracy) Evaluate(IDifferentiableClassifier model, ClassificationSet data)
    {
        int c = data.Classes, correct = 0;
        double loss = 0;
        for (int start = 0; start < data.Count; start += EvaluationBatch)
        {
            int size = Math.Min(EvaluationBatch, data.Count - start);
            var pass = model.Forward(data.Features.AsSpan(start * data.Dimension, size * data.Dimension), size);
            for (int n = 0; n < size; n++)
            {
                var p = pass.Probabilities.AsSpan(n * c, c);
                int best = 0;
                for (int j = 1; j < c; j++) if (p[j] > p[best]) best = j;
                if (best == data.Labels[start + n]) correct++;
                loss -= Math.Log(Math.Max(p[data.Labels[start + n]], double.Epsilon));
            }
        }
        return (loss / data.Count, (double)correct / data.Count);
    }
}

namespace FimVerify.Numeric.Classifiers.Convolutional;

/// <summary>
/// What a forward pass of a <see cref="ConvolutionalClassifier"/> keeps: every stage's output for every input
/// (count × stage size, channel-last), the activation slopes, the max-pooling locations, the logits and probabilities,
/// plus scratch buffers the Jacobian products reuse (so a pass serves one product at a time).
/// </summary>
public sealed class ConvolutionalPass : IClassifierPass
{
    internal ConvolutionalPass(ConvolutionalClassifier model, double[] inputs, int count)
    {
        Model = model; Inputs = inputs; Count = count;
        var stages = model.Shape.Stages;
        Outputs = new double[stages.Count][];
        Slopes = new double[stages.Count][];
        ArgMax = new int[stages.Count][];
        for (int s = 0; s < stages.Count; s++)
        {
            long size = checked(stages[s].Output.Size * count);
            Outputs[s] = new double[size];
            if (stages[s] is ActivationStage) Slopes[s] = new double[size];
            if (stages[s] is PoolingStage { Kind: PoolingKind.Max }) ArgMax[s] = new int[size];
        }
        Logits = Outputs[^1];
        Probabilities = new double[Logits.Length];
    }

    public ConvolutionalClassifier Model { get; }
    public int Count { get; }
    public double[] Inputs { get; }

    /// <summary>Stage s's output for every input (the last stage's are the logits).</summary>
    public double[][] Outputs { get; }

    /// <summary>σ'(z) per activation stage (null for the others).</summary>
    public double[]?[] Slopes { get; }

    /// <summary>Per max-pooling stage, the input location (y·W + x) of each output's maximum (null for the others).</summary>
    public int[]?[] ArgMax { get; }

    public double[] Logits { get; }
    public double[] Probabilities { get; }

    /// <summary>The input of stage s for every input: the data for s = 0, else stage s − 1's output.</summary>
    public double[] StageInput(int s) => s == 0 ? Inputs : Outputs[s - 1];

    /// <summary>
    /// The per-input logit Jacobian of the head's parameters, rows (input, class) × the first
    /// <see cref="ConvolutionalNetworkShape.HeadParameters"/> entries of θ, once <see cref="ConvolutionalClassifier.PrepareForProducts"/>
    /// formed it; null while products run matrix-free.
    /// </summary>
    public double[]? HeadJacobian { get; internal set; }

    private readonly Dictionary<string, double[]> _scratch = [];

    /// <summary>A named scratch array of at least the given length, grown on demand and kept for the next product.</summary>
    internal double[] Buffer(string name, long length)
    {
        if (!_scratch.TryGetValue(name, out var b) || b.Length < length) _scratch[name] = b = new double[checked((int)length)];
        return b;
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Models;

/// <summary>
/// A fully connected classifier x ↦ softmax(z_L), z_{l+1} = σ(z_l)·W_l + b_l, with hidden activation σ.
/// Parameters live in one flat vector θ, layer by layer, each layer as W_l (fan-in × fan-out, row-major)
/// followed by b_l, so a layer is one contiguous block of θ (the layer-wise Fisher is block-diagonal in it).
/// Weights are stored fan-in × fan-out so that every batched product of a pass is C = A·B with B unmodified,
/// the fast path of <see cref="Gemm"/>.
/// </summary>
public sealed class SoftmaxClassifier
{
    private readonly int[] _offsets;

    /// <summary>Layer widths from input to output: d, h_1, …, h_{L−1}, C.</summary>
    public IReadOnlyList<int> Widths { get; }
    public HiddenActivation Activation { get; }
    public double[] Parameters { get; }
    public int LayerCount => Widths.Count - 1;
    public int InputDimension => Widths[0];
    public int Classes => Widths[^1];
    public int ParameterCount => Parameters.Length;

    public SoftmaxClassifier(IReadOnlyList<int> widths, HiddenActivation activation, double[] parameters)
    {
        if (widths.Count < 2) throw new ArgumentException("a classifier needs an input and an output width");
        if (widths.Any(w => w < 1)) throw new ArgumentException("every layer width must be at least 1");
        if (widths[^1] < 2) throw new ArgumentException("a softmax classifier needs at least 2 classes");
        Widths = widths.ToArray();
        Activation = activation;
        _offsets = new int[widths.Count];
        for (int l = 0; l < widths.Count - 1; l++) _offsets[l + 1] = checked(_offsets[l] + widths[l] * widths[l + 1] + widths[l + 1]);
        if (parameters.Length != _offsets[^1]) throw new ArgumentException($"expected {_offsets[^1]} parameters, got {parameters.Length}");
        Parameters = parameters;
    }

    /// <summary>
    /// Seeded initialisation: W_l entries N(0, g²/fan-in) with g² = 2 for ReLU (He) and 1 for tanh (LeCun),
    /// biases 0. Layer l draws from seed.Child("init").Child(l), so widths of one layer never move another's draws.
    /// </summary>
    public static SoftmaxClassifier Initialize(IReadOnlyList<int> widths, HiddenActivation activation, SeedSequence seed)
    {
        var shape = new SoftmaxClassifier(widths, activation, new double[CountParameters(widths)]);
        double gain = activation == HiddenActivation.Relu ? 2.0 : 1.0;
        for (int l = 0; l < shape.LayerCount; l++)
        {
            var sampler = seed.Child("init").Child(l).CreateSampler();
            sampler.FillGaussian(shape.Weights(l), Math.Sqrt(gain / widths[l]));
        }
        return shape;
    }

    public static int CountParameters(IReadOnlyList<int> widths)
    {
        long p = 0;
        for (int l = 0; l + 1 < widths.Count; l++) p += (long)widths[l] * widths[l + 1] + widths[l + 1];
        return checked((int)p);
    }

    /// <summary>The range of θ holding layer l (its weights then its biases).</summary>
    public (int Offset, int Length) LayerBlock(int l) => (_offsets[l], _offsets[l + 1] - _offsets[l]);

    public Span<double> Weights(int l) => Parameters.AsSpan(_offsets[l], Widths[l] * Widths[l + 1]);
    public Span<double> Biases(int l) => Parameters.AsSpan(_offsets[l] + Widths[l] * Widths[l + 1], Widths[l + 1]);

    /// <summary>Runs the network on a batch (row-major count × d) and keeps what Jacobian products need.</summary>
    public ClassifierForwardPass Forward(ReadOnlySpan<double> inputs, int count)
    {
        if (count < 1) throw new ArgumentException("a batch needs at least one input");
        if (inputs.Length != count * InputDimension) throw new ArgumentException($"expected {count}×{InputDimension} inputs, got {inputs.Length} values");
        var pass = new ClassifierForwardPass(this, inputs.ToArray(), count);
        for (int l = 0; l < LayerCount; l++)
        {
            int fanIn = Widths[l], fanOut = Widths[l + 1];
            double[] z = l == LayerCount - 1 ? pass.Logits : pass.Hidden[l];
            Gemm.Multiply(Op.None, Op.None, count, fanOut, fanIn, 1, pass.LayerInput(l), fanIn, Weights(l), fanOut, 0, z, fanOut);
            var b = Biases(l);
            for (int n = 0; n < count; n++)
                for (int j = 0; j < fanOut; j++) z[n * fanOut + j] += b[j];
            if (l == LayerCount - 1) break;
            var slope = pass.Slopes[l];
            for (int k = 0; k < z.Length; k++)
            {
                double pre = z[k], value = Activation.Value(pre);
                z[k] = value;
                slope[k] = Activation.Derivative(pre, value);
            }
        }
        int c = Classes;
        for (int n = 0; n < count; n++)
        {
            var logits = pass.Logits.AsSpan(n * c, c);
            var probs = pass.Probabilities.AsSpan(n * c, c);
            double max = double.NegativeInfinity;
            foreach (double v in logits) max = Math.Max(max, v);
            if (!double.IsFinite(max)) throw new NumericalException($"the logits of input {n} are not finite");
            double sum = 0;
            for (int j = 0; j < c; j++) { probs[j] = Math.Exp(logits[j] - max); sum += probs[j]; }
            for (int j = 0; j < c; j++) probs[j] /= sum;
        }
        return pass;
    }

    /// <summary>
    /// Jacobian-vector product for every input of the pass: logitTangent (count × C) ← ∂z_L/∂θ · v, where only
    /// the layers firstLayer..lastLayer of v are read (the others are taken as zero, and layers below
    /// firstLayer are skipped, which is what makes a layer-wise block cheap).
    /// </summary>
    public void Jvp(ClassifierForwardPass pass, ReadOnlySpan<double> v, Span<double> logitTangent, int firstLayer = 0, int lastLayer = int.MaxValue)
    {
        CheckPass(pass);
        if (v.Length != ParameterCount) throw new ArgumentException($"expected a direction of length {ParameterCount}");
        lastLayer = Math.Min(lastLayer, LayerCount - 1);
        int count = pass.Count;
        if (logitTangent.Length != count * Classes) throw new ArgumentException("the logit tangent has the wrong length");
        bool haveTangent = false; // tangent of the layer's input (zero below firstLayer)
        double[] current = pass.ScratchA, next = pass.ScratchB;
        for (int l = firstLayer; l < LayerCount; l++)
        {
            int fanIn = Widths[l], fanOut = Widths[l + 1];
            Span<double> dz = l == LayerCount - 1 ? logitTangent : next.AsSpan(0, count * fanOut);
            double beta = 0;
            if (haveTangent)
            {
                Gemm.Multiply(Op.None, Op.None, count, fanOut, fanIn, 1, current.AsSpan(0, count * fanIn), fanIn, Weights(l), fanOut, 0, dz, fanOut);
                beta = 1;
            }
            if (l <= lastLayer)
            {
                var (offset, _) = LayerBlock(l);
                Gemm.Multiply(Op.None, Op.None, count, fanOut, fanIn, 1, pass.LayerInput(l), fanIn, v.Slice(offset, fanIn * fanOut), fanOut, beta, dz, fanOut);
                var db = v.Slice(offset + fanIn * fanOut, fanOut);
                for (int n = 0; n < count; n++)
                    for (int j = 0; j < fanOut; j++) dz[n * fanOut + j] += db[j];
            }
            else if (!haveTangent) dz.Clear();
            if (l == LayerCount - 1) break;
            var slope = pass.Slopes[l];
            for (int k = 0; k < dz.Length; k++) dz[k] *= slope[k];
            haveTangent = true;
            (current, next) = (next, current);
        }
    }

    /// <summary>
    /// Vector-Jacobian product summed over the inputs of the pass: gradient ← Σ_n (∂z_L(x_n)/∂θ)ᵀ g_n for the
    /// cotangents g (count × C). Layers below lowestLayer are not computed and their entries are left untouched.
    /// </summary>
    public void Vjp(ClassifierForwardPass pass, ReadOnlySpan<double> logitCotangent, Span<double> gradient, int lowestLayer = 0)
    {
        CheckPass(pass);
        int count = pass.Count;
        if (logitCotangent.Length != count * Classes) throw new ArgumentException("the logit cotangent has the wrong length");
        if (gradient.Length != ParameterCount) throw new ArgumentException($"expected a gradient of length {ParameterCount}");
        ReadOnlySpan<double> g = logitCotangent;
        double[] buffer = pass.ScratchA, spare = pass.ScratchB;
        for (int l = LayerCount - 1; l >= lowestLayer; l--)
        {
            int fanIn = Widths[l], fanOut = Widths[l + 1];
            var (offset, _) = LayerBlock(l);
            Gemm.Multiply(Op.Transpose, Op.None, fanIn, fanOut, count, 1, pass.LayerInput(l), fanIn, g, fanOut, 0, gradient.Slice(offset, fanIn * fanOut), fanOut);
            var db = gradient.Slice(offset + fanIn * fanOut, fanOut);
            db.Clear();
            for (int n = 0; n < count; n++)
                for (int j = 0; j < fanOut; j++) db[j] += g[n * fanOut + j];
            if (l == lowestLayer) break;
            var below = buffer.AsSpan(0, count * fanIn);
            Gemm.Multiply(Op.None, Op.Transpose, count, fanIn, fanOut, 1, g, fanOut, Weights(l), fanOut, 0, below, fanIn);
            var slope = pass.Slopes[l - 1];
            for (int k = 0; k < below.Length; k++) below[k] *= slope[k];
            g = below;
            (buffer, spare) = (spare, buffer);
        }
    }

    /// <summary>Mean cross-entropy of the pass against labels.</summary>
    public double Loss(ClassifierForwardPass pass, ReadOnlySpan<int> labels)
    {
        CheckPass(pass);
        double s = 0;
        for (int n = 0; n < pass.Count; n++) s -= Math.Log(Math.Max(pass.Probabilities[n * Classes + labels[n]], double.Epsilon));
        return s / pass.Count;
    }

    public SoftmaxClassifier Clone() => new(Widths, Activation, (double[])Parameters.Clone());

    private void CheckPass(ClassifierForwardPass pass)
    {
        if (!ReferenceEquals(pass.Model, this)) throw new ArgumentException("the forward pass belongs to another model");
    }
}

/// <summary>
/// What one forward pass keeps: hidden activations σ(z_l), slopes σ'(z_l), logits and probabilities, plus
/// two scratch buffers that Jacobian products reuse (so a pass serves one product at a time).
/// </summary>
public sealed class ClassifierForwardPass
{
    internal ClassifierForwardPass(SoftmaxClassifier model, double[] inputs, int count)
    {
        Model = model; Inputs = inputs; Count = count;
        int hiddenLayers = model.LayerCount - 1;
        Hidden = new double[hiddenLayers][];
        Slopes = new double[hiddenLayers][];
        for (int l = 0; l < hiddenLayers; l++)
        {
            Hidden[l] = new double[count * model.Widths[l + 1]];
            Slopes[l] = new double[count * model.Widths[l + 1]];
        }
        Logits = new double[count * model.Classes];
        Probabilities = new double[count * model.Classes];
        int widest = model.Widths.Max();
        ScratchA = new double[count * widest];
        ScratchB = new double[count * widest];
    }

    public SoftmaxClassifier Model { get; }
    public int Count { get; }
    public double[] Inputs { get; }
    public double[][] Hidden { get; }
    public double[][] Slopes { get; }
    public double[] Logits { get; }
    public double[] Probabilities { get; }
    internal double[] ScratchA { get; }
    internal double[] ScratchB { get; }

    /// <summary>The input of layer l: the data for l = 0, else the activations of hidden layer l.</summary>
    public ReadOnlySpan<double> LayerInput(int l) => l == 0 ? Inputs : Hidden[l - 1];
}

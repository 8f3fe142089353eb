using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Classifiers;

/// <summary>
/// A fully connected classifier x ↦ softmax(z_L), z_{l+1} = σ(z_l)·W_l + b_l, with hidden activation σ.
/// Parameters live in one flat vector θ, layer by layer, each layer as W_l (fan-in × fan-out, row-major)
/// followed by b_l, so a layer is one contiguous block of θ (the layer-wise Fisher is block-diagonal in it).
/// Weights are stored fan-in × fan-out so that every batched product of a pass is C = A·B with B unmodified,
/// the fast path of <see cref="Gemm"/>.
/// </summary>
public sealed class SoftmaxClassifier : DifferentiableClassifier<ClassifierForwardPass>
{
    private readonly int[] _offsets;

    /// <summary>Layer widths from input to output: d, h_1, …, h_{L−1}, C.</summary>
    public IReadOnlyList<int> Widths { get; }
    public HiddenActivation Activation { get; }
    public override double[] Parameters { get; }
    public override int LayerCount => Widths.Count - 1;
    public override int InputDimension => Widths[0];
    public override int Classes => Widths[^1];
    public override int ParameterCount => Parameters.Length;

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
        for (int l = 0; l + 1 < widths.Count; l++) p = Resources.CheckedSize.Add(p, Resources.CheckedSize.Multiply(widths[l], widths[l + 1]), widths[l + 1]);
        return Resources.CheckedSize.ArrayLength(p, $"a classifier with widths {string.Join('-', widths)}");
    }

    /// <summary>The range of θ holding layer l (its weights then its biases).</summary>
    public override (int Offset, int Length) LayerBlock(int l) => (_offsets[l], _offsets[l + 1] - _offsets[l]);

    public Span<double> Weights(int l) => Parameters.AsSpan(_offsets[l], Widths[l] * Widths[l + 1]);
    public Span<double> Biases(int l) => Parameters.AsSpan(_offsets[l] + Widths[l] * Widths[l + 1], Widths[l + 1]);

    /// <summary>Runs the network on a batch (row-major count × d) and keeps what Jacobian products need.</summary>
    public override ClassifierForwardPass Forward(ReadOnlySpan<double> inputs, int count)
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
        SoftmaxOutput.Probabilities(pass.Logits, pass.Probabilities, Classes);
        return pass;
    }

    /// <summary>
    /// Jacobian-vector product for every input of the pass: logitTangent (count × C) ← ∂z_L/∂θ · v, where only
    /// the layers firstLayer..lastLayer of v are read (the others are taken as zero, and layers below
    /// firstLayer are skipped, which is what makes a layer-wise block cheap).
    /// </summary>
    public void Jvp(ClassifierForwardPass pass, ReadOnlySpan<double> v, Span<double> logitTangent, int firstLayer = 0, int lastLayer = int.MaxValue) =>
        Jvp(pass, v, 1, logitTangent, firstLayer, lastLayer);

    /// <summary>
    /// Jacobian-vector products of <paramref name="directions"/> directions at once: v holds them one after another
    /// (directions × P), and row n·directions + k of logitTangent ((count·directions) × C) is ∂z_L(x_n)/∂θ · v_k.
    /// Every layer is one GEMM for all directions: the first layer's inputs multiply the directions' weights laid
    /// side by side (fan-in × directions·fan-out), which is exactly the (input, direction)-major layout of the
    /// tangent the next layer multiplies by W_l. Each entry is summed in the same order as with one direction.
    /// </summary>
    public override void Jvp(ClassifierForwardPass pass, ReadOnlySpan<double> v, int directions, Span<double> logitTangent, int firstLayer = 0, int lastLayer = int.MaxValue)
    {
        CheckPass(pass);
        if (directions < 1) throw new ArgumentException("at least one direction is needed");
        if (v.Length != (long)directions * ParameterCount) throw new ArgumentException($"expected {directions} direction(s) of length {ParameterCount}");
        lastLayer = Math.Min(lastLayer, LayerCount - 1);
        int rows = pass.Count * directions; // (input, direction) pairs
        if (logitTangent.Length != (long)rows * Classes) throw new ArgumentException("the logit tangent has the wrong length");
        bool haveTangent = false; // tangent of the layer's input (zero below firstLayer)
        int hidden = pass.WidestHidden * rows;
        Span<double> current = pass.Buffer(ScratchSlot.TangentA, hidden), next = pass.Buffer(ScratchSlot.TangentB, hidden);
        for (int l = firstLayer; l < LayerCount; l++)
        {
            int fanIn = Widths[l], fanOut = Widths[l + 1];
            Span<double> dz = l == LayerCount - 1 ? logitTangent : next[..(rows * fanOut)];
            double beta = 0;
            if (haveTangent)
            {
                Gemm.Multiply(Op.None, Op.None, rows, fanOut, fanIn, 1, current[..(rows * fanIn)], fanIn, Weights(l), fanOut, 0, dz, fanOut);
                beta = 1;
            }
            if (l <= lastLayer)
            {
                var (offset, length) = LayerBlock(l);
                var side = SideBySideWeights(pass, v, directions, offset, fanIn, fanOut);
                Gemm.Multiply(Op.None, Op.None, pass.Count, directions * fanOut, fanIn, 1, pass.LayerInput(l), fanIn, side, directions * fanOut, beta, dz, directions * fanOut);
                for (int r = 0; r < rows; r++)
                {
                    var db = v.Slice((r % directions) * ParameterCount + offset + fanIn * fanOut, fanOut);
                    var row = dz.Slice(r * fanOut, fanOut);
                    for (int j = 0; j < fanOut; j++) row[j] += db[j];
                }
            }
            else if (!haveTangent) dz.Clear();
            if (l == LayerCount - 1) break;
            MultiplyBySlopes(dz, pass.Slopes[l], directions, fanOut);
            haveTangent = true;
            var swap = current; current = next; next = swap;
        }
    }

    /// <summary>
    /// Vector-Jacobian product summed over the inputs of the pass: gradient ← Σ_n (∂z_L(x_n)/∂θ)ᵀ g_n for the
    /// cotangents g (count × C). Layers below lowestLayer are not computed and their entries are left untouched.
    /// </summary>
    public void Vjp(ClassifierForwardPass pass, ReadOnlySpan<double> logitCotangent, Span<double> gradient, int lowestLayer = 0) =>
        Vjp(pass, logitCotangent, 1, gradient, lowestLayer);

    /// <summary>
    /// Vector-Jacobian products of <paramref name="directions"/> cotangent sets at once: row n·directions + k of
    /// logitCotangent ((count·directions) × C) is input n's cotangent for set k, and gradient (directions × P) receives
    /// Σ_n (∂z_L(x_n)/∂θ)ᵀ g_{n,k} for each k. Each layer's weight gradients for all sets are one GEMM
    /// (layer inputsᵀ × the cotangents side by side), and the backward step is one GEMM over all (input, set) rows. Only
    /// layers lowestLayer..highestLayer get gradients; the others' entries are left untouched.
    /// </summary>
    public override void Vjp(ClassifierForwardPass pass, ReadOnlySpan<double> logitCotangent, int directions, Span<double> gradient, int lowestLayer = 0,
        int highestLayer = int.MaxValue)
    {
        CheckPass(pass);
        if (directions < 1) throw new ArgumentException("at least one direction is needed");
        int rows = pass.Count * directions;
        if (logitCotangent.Length != (long)rows * Classes) throw new ArgumentException("the logit cotangent has the wrong length");
        if (gradient.Length != (long)directions * ParameterCount) throw new ArgumentException($"expected {directions} gradient(s) of length {ParameterCount}");
        ReadOnlySpan<double> g = logitCotangent;
        int hidden = pass.WidestHidden * rows;
        Span<double> buffer = pass.Buffer(ScratchSlot.TangentA, hidden), spare = pass.Buffer(ScratchSlot.TangentB, hidden);
        for (int l = LayerCount - 1; l >= lowestLayer; l--)
        {
            int fanIn = Widths[l];
            if (l <= highestLayer) LayerGradient(pass, l, g, directions, gradient); // above it the cotangent only passes through
            if (l == lowestLayer) break;
            var below = buffer[..(rows * fanIn)];
            BackwardStep(pass, l, g, directions, below);
            g = below;
            var swap = buffer; buffer = spare; spare = swap;
        }
    }

    /// <summary>Layer l's weight and bias gradients of every cotangent set from its output cotangents g ((count·directions) × fan-out).</summary>
    private void LayerGradient(ClassifierForwardPass pass, int l, ReadOnlySpan<double> g, int directions, Span<double> gradient)
    {
        int fanIn = Widths[l], fanOut = Widths[l + 1], rows = pass.Count * directions;
        var (offset, _) = LayerBlock(l);
        if (directions == 1)
            Gemm.Multiply(Op.Transpose, Op.None, fanIn, fanOut, pass.Count, 1, pass.LayerInput(l), fanIn, g, fanOut, 0, gradient.Slice(offset, fanIn * fanOut), fanOut);
        else
        {
            // All sets' weight gradients side by side (fan-in × directions·fan-out), then each set's columns to its gradient.
            int width = directions * fanOut;
            var side = pass.Buffer(ScratchSlot.SideBySide, fanIn * width);
            Gemm.Multiply(Op.Transpose, Op.None, fanIn, width, pass.Count, 1, pass.LayerInput(l), fanIn, g, width, 0, side, width);
            SideBySide.Scatter(side, directions, offset, fanIn, fanOut, gradient);
        }
        for (int k = 0; k < directions; k++) gradient.Slice(k * ParameterCount + offset + fanIn * fanOut, fanOut).Clear();
        for (int r = 0; r < rows; r++)
        {
            var db = gradient.Slice((r % directions) * ParameterCount + offset + fanIn * fanOut, fanOut);
            var row = g.Slice(r * fanOut, fanOut);
            for (int j = 0; j < fanOut; j++) db[j] += row[j];
        }
    }

    /// <summary>
    /// The cotangents of every layer's pre-activation output, δ_l = ∂(g · z_L)/∂s_l with s_l = σ(z_l)·W_l + b_l (s_{L−1} the
    /// logits, so δ_{L−1} = g), for (count·directions) logit cotangent rows as in <see cref="Vjp(ClassifierForwardPass, ReadOnlySpan{double}, int, Span{double}, int)"/>:
    /// entry l is (count·directions) × fan-out of layer l. K-FAC's output factors are Gram matrices of these.
    /// </summary>
    public double[][] PreActivationCotangents(ClassifierForwardPass pass, ReadOnlySpan<double> logitCotangent, int directions)
    {
        CheckPass(pass);
        int rows = pass.Count * directions;
        if (directions < 1 || logitCotangent.Length != (long)rows * Classes) throw new ArgumentException("the logit cotangent has the wrong length");
        var delta = new double[LayerCount][];
        delta[LayerCount - 1] = logitCotangent.ToArray();
        for (int l = LayerCount - 1; l > 0; l--)
        {
            delta[l - 1] = new double[rows * Widths[l]];
            BackwardStep(pass, l, delta[l], directions, delta[l - 1]);
        }
        return delta;
    }

    /// <summary>below ← (g·W_lᵀ) ⊙ σ'(z_l): from layer l's output cotangents (rows × fan-out) to layer l−1's.</summary>
    private void BackwardStep(ClassifierForwardPass pass, int l, ReadOnlySpan<double> g, int directions, Span<double> below)
    {
        int rows = pass.Count * directions, fanIn = Widths[l], fanOut = Widths[l + 1];
        Gemm.Multiply(Op.None, Op.Transpose, rows, fanIn, fanOut, 1, g, fanOut, Weights(l), fanOut, 0, below, fanIn);
        MultiplyBySlopes(below, pass.Slopes[l - 1], directions, fanIn);
    }

    /// <summary>
    /// Layer l's weights of every direction laid side by side (fan-in × directions·fan-out), the right operand that
    /// turns the first product of a layer into one GEMM; a single direction is used where it lies.
    /// </summary>
    private static ReadOnlySpan<double> SideBySideWeights(ClassifierForwardPass pass, ReadOnlySpan<double> v, int directions, int offset, int fanIn, int fanOut)
    {
        if (directions == 1) return v.Slice(offset, fanIn * fanOut);
        var side = pass.Buffer(ScratchSlot.SideBySide, fanIn * directions * fanOut);
        SideBySide.Gather(v, directions, offset, fanIn, fanOut, side);
        return side;
    }

    /// <summary>Row n·directions + k of x (width entries) times input n's activation slopes.</summary>
    private static void MultiplyBySlopes(Span<double> x, ReadOnlySpan<double> slopes, int directions, int width)
    {
        int rows = x.Length / width;
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * width, width);
            var s = slopes.Slice(r / directions * width, width);
            for (int j = 0; j < width; j++) row[j] *= s[j];
        }
    }

    /// <summary>Mean cross-entropy of the pass against labels.</summary>
    public double Loss(ClassifierForwardPass pass, ReadOnlySpan<int> labels)
    {
        CheckPass(pass);
        return SoftmaxOutput.CrossEntropy(pass, labels, Classes);
    }

    public SoftmaxClassifier Clone() => new(Widths, Activation, (double[])Parameters.Clone());

    public override string Description => $"{string.Join('-', Widths)} ({Activation})";

    /// <summary>
    /// K-FAC's factors: A_l = (1/N) Σ_n ā_n ā_nᵀ with ā_n = [layer l's input; 1], and G_l = (1/N) Σ_n Σ_k δ_{n,k} δ_{n,k}ᵀ over
    /// the pre-activation cotangents of the factor rows (<see cref="PreActivationCotangents"/>).
    /// </summary>
    public override (SymmetricMatrix[] InputFactors, SymmetricMatrix[] OutputFactors) KroneckerFactors(ClassifierForwardPass pass, ReadOnlySpan<double> factors, int rank)
    {
        CheckPass(pass);
        int count = pass.Count;
        var delta = PreActivationCotangents(pass, factors, rank);
        var a = new SymmetricMatrix[LayerCount];
        var g = new SymmetricMatrix[LayerCount];
        for (int l = 0; l < LayerCount; l++)
        {
            int fanIn = Widths[l], fanOut = Widths[l + 1];
            var augmented = new double[count * (fanIn + 1)];
            var input = pass.LayerInput(l);
            for (int n = 0; n < count; n++)
            {
                input.Slice(n * fanIn, fanIn).CopyTo(augmented.AsSpan(n * (fanIn + 1), fanIn));
                augmented[n * (fanIn + 1) + fanIn] = 1;
            }
            a[l] = Syrk.ColumnGram(augmented, count, fanIn + 1, 1.0 / count);
            g[l] = Syrk.ColumnGram(delta[l], count * rank, fanOut, 1.0 / count);
        }
        return (a, g);
    }

    protected override bool Made(ClassifierForwardPass pass) => ReferenceEquals(pass.Model, this);

    protected override IDifferentiableClassifier CloneClassifier() => Clone();


}

/// <summary>
/// What one forward pass keeps: hidden activations σ(z_l), slopes σ'(z_l), logits and probabilities, plus
/// scratch buffers that Jacobian products reuse (so a pass serves one product at a time).
/// </summary>
public sealed class ClassifierForwardPass : IClassifierPass
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
        WidestHidden = hiddenLayers == 0 ? 0 : model.Widths.Skip(1).Take(hiddenLayers).Max();
    }

    public SoftmaxClassifier Model { get; }
    public int Count { get; }
    public double[] Inputs { get; }
    public double[][] Hidden { get; }
    public double[][] Slopes { get; }
    public double[] Logits { get; }
    public double[] Probabilities { get; }
    internal int WidestHidden { get; }

    private readonly double[][] _scratch = new double[Enum.GetValues<ScratchSlot>().Length][];

    /// <summary>A scratch buffer of at least the given length, grown on demand and kept for the next product.</summary>
    internal Span<double> Buffer(ScratchSlot slot, int length)
    {
        ref var b = ref _scratch[(int)slot];
        if (b is null || b.Length < length) b = new double[length];
        return b.AsSpan(0, length);
    }

    /// <summary>The input of layer l: the data for l = 0, else the activations of hidden layer l.</summary>
    public ReadOnlySpan<double> LayerInput(int l) => l == 0 ? Inputs : Hidden[l - 1];
}

/// <summary>The scratch buffers of a forward pass: two tangent buffers that alternate between layers, and one for side-by-side weights.</summary>
internal enum ScratchSlot { TangentA, TangentB, SideBySide }

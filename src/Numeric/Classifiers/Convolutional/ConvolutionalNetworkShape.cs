using FimVerify.Numeric.Data;

namespace FimVerify.Numeric.Classifiers.Convolutional;

/// <summary>One stage of a resolved network: what it reads and what it writes (per image, channel-last).</summary>
public abstract record ConvolutionalStage(ImageShape Input, ImageShape Output);

/// <summary>
/// A convolution (or a dense layer: a kernel that covers its whole unpadded input, one output location). Its parameters are
/// W (PatchSize × Channels, row-major, patch entries in (ky, kx, input channel) order) then b (Channels) at Offset of θ,
/// i.e. the (PatchSize + 1) × Channels matrix K-FAC works on; Layer is its index among the layers with parameters.
/// </summary>
public sealed record LinearStage(ImageShape Input, ImageShape Output, int KernelHeight, int KernelWidth, int Stride, int Padding, int Layer, int Offset)
    : ConvolutionalStage(Input, Output)
{
    public int PatchSize => KernelHeight * KernelWidth * Input.Channels;
    public int Locations => Output.Locations;
    public int Channels => Output.Channels;
    public int ParameterCount => (PatchSize + 1) * Channels;

    /// <summary>The kernel covers the whole unpadded input: an image's single patch is the image itself.</summary>
    public bool IsDense => KernelHeight == Input.Height && KernelWidth == Input.Width && Padding == 0;

    /// <summary>Multiply-adds of the stage's product per image: locations × patch × channels.</summary>
    public long MultiplyAdds => (long)Locations * PatchSize * Channels;
}

public sealed record ActivationStage(ImageShape Shape, HiddenActivation Activation) : ConvolutionalStage(Shape, Shape);

public sealed record PoolingStage(ImageShape Input, ImageShape Output, PoolingKind Kind, int Size, int Stride) : ConvolutionalStage(Input, Output);

/// <summary>
/// An architecture resolved on an input shape and a class count: the stages with their shapes, the parameter layout, and the
/// sizes that decide memory and work (all known before any parameter is allocated, so the CLI can refuse a network that
/// would not fit).
/// </summary>
public sealed class ConvolutionalNetworkShape
{
    /// <summary>Doubles one chunk's widest scratch tensor may hold per direction: fixes <see cref="ChunkImages"/> and <see cref="TailChunkImages"/>.</summary>
    public const long HeadBudget = 1L << 17, TailBudget = 1L << 21;

    public ConvolutionalArchitecture Architecture { get; }
    public ImageShape Input { get; }
    public int Classes { get; }
    public IReadOnlyList<ConvolutionalStage> Stages { get; }
    public IReadOnlyList<LinearStage> LinearStages { get; }
    public int ParameterCount { get; }

    /// <summary>
    /// The first stage of the dense tail: every stage from it on is a dense layer or an activation (the output layer at least),
    /// so its tensors are small per image and its GEMMs want many images at once; the stages before it are the head.
    /// </summary>
    public int TailStart { get; }

    /// <summary>The largest tensor a head stage reads or writes, and its largest patch matrix (locations × patch), per image; likewise for the tail.</summary>
    public int HeadWidestTensor { get; }
    public int HeadWidestPatches { get; }
    public int TailWidestTensor { get; }
    public int TailWidestPatches { get; }

    /// <summary>The selected patches (windows × channels × patch) of the largest max-pooled convolution, per image.</summary>
    public long PooledSelection { get; }

    /// <summary>
    /// Images per chunk of the head, and per (outer) chunk of the tail, each outer chunk's head running in inner chunks of
    /// <see cref="ChunkImages"/>: functions of the shape alone, never of the number of directions, so one product and a
    /// block of products sum every entry in the same order.
    /// </summary>
    public int ChunkImages { get; }
    public int TailChunkImages { get; }

    /// <summary>The layers of the head (their stages come before <see cref="TailStart"/>): layers 0 … HeadLayers − 1, a prefix of θ of HeadParameters entries.</summary>
    public int HeadLayers { get; }
    public int HeadParameters { get; }

    /// <summary>
    /// Whether a pass that serves many products forms the per-input logit Jacobian of the head's parameters (N·C × HeadParameters):
    /// then a product's head part is two GEMMs with it, 2·C·HeadParameters multiply-adds per input and direction, instead of the
    /// head's matrix-free JVP and VJP and the first tail layer's products with the head's tangent and cotangent. Chosen when
    /// that is fewer multiply-adds (<see cref="HeadJacobianPays"/>; the matrix-free head is also memory- and overhead-bound);
    /// <see cref="WithHeadJacobian"/> overrides it. A pass uses it only within <see cref="HeadJacobianBudget"/> (<see cref="UsesHeadJacobian"/>).
    /// </summary>
    public bool HeadJacobian { get; }

    /// <summary>The most doubles a head Jacobian may take (256 MiB: 9,986 inputs of the default CNN on 10 classes, P_head = 336).</summary>
    public const long HeadJacobianBudget = 1L << 25;

    private ConvolutionalNetworkShape(ConvolutionalArchitecture architecture, ImageShape input, int classes, IReadOnlyList<ConvolutionalStage> stages, int parameters,
        (int Head, int Tail)? chunks = null, bool? headJacobian = null)
    {
        Architecture = architecture; Input = input; Classes = classes; Stages = stages; ParameterCount = parameters;
        LinearStages = stages.OfType<LinearStage>().ToArray();
        int tail = stages.Count;
        while (tail > 0 && stages[tail - 1] is LinearStage { IsDense: true } or ActivationStage) tail--;
        TailStart = tail;
        static int Tensor(IEnumerable<ConvolutionalStage> range) => (int)range.Select(s => Math.Max(s.Input.Size, s.Output.Size)).DefaultIfEmpty(0).Max();
        static int Patches(IEnumerable<ConvolutionalStage> range) => range.OfType<LinearStage>().Select(s => s.Locations * s.PatchSize).DefaultIfEmpty(0).Max();
        HeadWidestTensor = Tensor(stages.Take(tail)); HeadWidestPatches = Patches(stages.Take(tail));
        // A convolution pooled by max-pooling selects one patch per (window, channel).
        PooledSelection = stages.Select((s, i) => s is LinearStage { IsDense: false } ls && stages.Skip(i + 1).SkipWhile(x => x is ActivationStage).FirstOrDefault() is PoolingStage p
            ? (long)p.Output.Locations * ls.Channels * ls.PatchSize : 0).DefaultIfEmpty(0).Max();
        TailWidestTensor = Tensor(stages.Skip(tail)); TailWidestPatches = Patches(stages.Skip(tail));
        ChunkImages = chunks?.Head ?? (int)Math.Clamp(HeadBudget / Math.Max(1, Math.Max(HeadWidestTensor, HeadWidestPatches)), 1, 4096);
        TailChunkImages = chunks?.Tail ?? (int)Math.Clamp(TailBudget / Math.Max(TailWidestTensor, TailWidestPatches), 1, 4096);
        _chunks = chunks;
        HeadLayers = stages.Take(tail).OfType<LinearStage>().Count();
        HeadParameters = LinearStages[HeadLayers].Offset; // the tail holds the output layer at least
        HeadJacobian = HeadParameters > 0 && (headJacobian ?? HeadJacobianPays);
    }

    private readonly (int Head, int Tail)? _chunks;

    /// <summary>The same network with other chunk sizes (results agree to rounding; tests use it to cross chunk boundaries).</summary>
    public ConvolutionalNetworkShape WithChunkImages(int head, int tail) => head >= 1 && tail >= 1
        ? new ConvolutionalNetworkShape(Architecture, Input, Classes, Stages, ParameterCount, (head, tail), HeadJacobian)
        : throw new ArgumentOutOfRangeException(nameof(head), "a chunk holds at least one image");

    /// <summary>The same network with the head Jacobian on or off (results agree to rounding; tests use it to check both paths).</summary>
    public ConvolutionalNetworkShape WithHeadJacobian(bool on) => new(Architecture, Input, Classes, Stages, ParameterCount, _chunks, on);

    /// <summary>
    /// Whether the head Jacobian's 2·C·HeadParameters multiply-adds per input and direction are fewer than what it replaces: the
    /// head's share of <see cref="FisherProductFlops"/> and the first tail layer's product with the head's tangent and with its
    /// cotangent.
    /// </summary>
    public bool HeadJacobianPays
    {
        get
        {
            long matrixFree = 2 * LinearStages[HeadLayers].MultiplyAdds;
            for (int l = 0; l < HeadLayers; l++) matrixFree += (l == 0 ? 2 : 4) * LinearStages[l].MultiplyAdds;
            return HeadParameters > 0 && 2L * Classes * HeadParameters < matrixFree;
        }
    }

    /// <summary>Whether a pass of <paramref name="samples"/> inputs that serves many products forms the head Jacobian.</summary>
    public bool UsesHeadJacobian(int samples) => HeadJacobian && (long)samples * Classes * HeadParameters <= HeadJacobianBudget;

    internal static ConvolutionalNetworkShape Build(ConvolutionalArchitecture architecture, ImageShape input, int classes)
    {
        if (input.Height < 1 || input.Width < 1 || input.Channels < 1) throw new ArgumentException($"the input shape {input} is empty");
        if (classes < 2) throw new ArgumentException("a softmax classifier needs at least 2 classes");
        var stages = new List<ConvolutionalStage>();
        var shape = input;
        long offset = 0;
        int linear = 0;
        var layers = architecture.Layers.Append(new DenseLayer(classes)).ToArray();
        for (int i = 0; i < layers.Length; i++)
        {
            string where = i < architecture.Layers.Count ? $"layer {i + 1} ({layers[i]})" : $"the output layer (dense{classes})";
            ConvolutionalStage stage = layers[i] switch
            {
                ConvolutionLayer c => Convolution(shape, c.Kernel, c.Kernel, c.Stride, c.Padding, c.Channels, linear, offset, where),
                DenseLayer d => Convolution(shape, shape.Height, shape.Width, 1, 0, d.Width, linear, offset, where),
                PoolingLayer p => Pooling(shape, p, where),
                ActivationLayer a => new ActivationStage(shape, a.Activation),
                _ => throw new ArgumentException($"{where} is of an unknown kind"),
            };
            if (stage is LinearStage ls) { offset += ls.ParameterCount; linear++; }
            if (offset > int.MaxValue) throw new ArgumentException($"the network has more than {int.MaxValue} parameters by {where}");
            stages.Add(stage);
            shape = stage.Output;
        }
        return new ConvolutionalNetworkShape(architecture, input, classes, stages, (int)offset);
    }

    private static LinearStage Convolution(ImageShape input, int kernelHeight, int kernelWidth, int stride, int padding, int channels, int layer, long offset, string where)
    {
        if (kernelHeight > input.Height + 2 * padding || kernelWidth > input.Width + 2 * padding)
            throw new ArgumentException($"{where}: its {kernelHeight}×{kernelWidth} kernel does not fit the {input} input" + (padding > 0 ? $" padded by {padding}" : ""));
        var output = new ImageShape((input.Height + 2 * padding - kernelHeight) / stride + 1, (input.Width + 2 * padding - kernelWidth) / stride + 1, channels);
        long patch = (long)kernelHeight * kernelWidth * input.Channels;
        if (output.Size > int.MaxValue || patch * output.Locations > int.MaxValue || (patch + 1) * channels > int.MaxValue)
            throw new ArgumentException($"{where}: its tensors per image exceed {int.MaxValue} values");
        return new LinearStage(input, output, kernelHeight, kernelWidth, stride, padding, layer, (int)offset);
    }

    private static PoolingStage Pooling(ImageShape input, PoolingLayer p, string where)
    {
        if (p.Size > input.Height || p.Size > input.Width)
            throw new ArgumentException($"{where}: its {p.Size}×{p.Size} window does not fit the {input} input");
        return new PoolingStage(input, new ImageShape((input.Height - p.Size) / p.Stride + 1, (input.Width - p.Size) / p.Stride + 1, input.Channels), p.Kind, p.Size, p.Stride);
    }

    /// <summary>
    /// The most inputs a forward pass can hold: every stage's output for all of them is one array, indexed by int (a larger
    /// batch would not fit a .NET array, whatever the memory).
    /// </summary>
    public int MaxSamples => (int)Math.Min(int.MaxValue, int.MaxValue / Math.Max(Input.Size, Stages.Max(s => s.Output.Size)));

    /// <summary>Multiply-adds of one forward pass per image (the linear stages' products).</summary>
    public long ForwardMultiplyAdds => LinearStages.Sum(s => s.MultiplyAdds);

    /// <summary>
    /// Floating-point operations of the GEMMs in one Fisher-vector product of the full Fisher on <paramref name="samples"/>
    /// inputs (2 per multiply-add). Matrix-free, the JVP multiplies every layer's input patches by the direction's weights and,
    /// above the first layer, the incoming tangent by W; the VJP forms every weight gradient and, above the first layer, the
    /// cotangent of the layer's input: 2·N·(2·MA_0 + 4·Σ_{l>0} MA_l), MA_l the layer's multiply-adds per image. With the head
    /// Jacobian (<see cref="UsesHeadJacobian"/>) the head is two GEMMs with it and the tail starts afresh:
    /// 2·N·(2·C·P_head + 2·MA_H + 4·Σ_{l>H} MA_l), H the first tail layer. Patch copies, pooling, activation slopes and the
    /// C×C output curvature are not counted (they are memory-bound and small).
    /// </summary>
    public double FisherProductFlops(int samples) => UsesHeadJacobian(samples) ? HeadJacobianProductFlops(samples) : MatrixFreeProductFlops(samples);

    /// <summary>The matrix-free product's FLOPs (<see cref="FisherProductFlops"/>), whichever path a pass of this size takes.</summary>
    public double MatrixFreeProductFlops(int samples)
    {
        double sum = 0;
        foreach (var s in LinearStages) sum += (s.Layer == 0 ? 2.0 : 4.0) * s.MultiplyAdds;
        return 2.0 * samples * sum;
    }

    private double HeadJacobianProductFlops(int samples)
    {
        double sum = 2.0 * Classes * HeadParameters;
        foreach (var s in LinearStages.Skip(HeadLayers)) sum += (s.Layer == HeadLayers ? 2.0 : 4.0) * s.MultiplyAdds;
        return 2.0 * samples * sum;
    }

    /// <summary>
    /// FLOPs of forming the head Jacobian once (0 when a pass of this size does not): a backward pass of C cotangent sets,
    /// 2·N·C·(Σ_{l≥0} MA_l + Σ_{l>0} MA_l) (every head layer's weight gradients, per input, and every layer's input cotangent
    /// above the first).
    /// </summary>
    public double HeadJacobianFlops(int samples)
    {
        if (!UsesHeadJacobian(samples)) return 0;
        double sum = 0;
        foreach (var s in LinearStages) sum += ((s.Layer < HeadLayers ? 1.0 : 0.0) + (s.Layer > 0 ? 1.0 : 0.0)) * s.MultiplyAdds;
        return 2.0 * samples * Classes * sum;
    }

    /// <summary>Bytes a forward pass on <paramref name="samples"/> inputs keeps: the inputs, every stage's output, activation slopes, max-pooling indices.</summary>
    public long ForwardPassBytes(int samples)
    {
        long perImage = Input.Size + Stages.Sum(s => s.Output.Size + (s is ActivationStage ? s.Output.Size : 0) + (s is PoolingStage { Kind: PoolingKind.Max } ? (s.Output.Size + 1) / 2 : 0));
        return 8 * perImage * samples;
    }

    /// <summary>
    /// Bytes of the scratch a batch of Jacobian products with <paramref name="directions"/> directions on <paramref name="samples"/>
    /// inputs uses on top of the pass: the head's and the tail's tensors and patch matrices, the pooled convolutions' selected
    /// patches and cotangents (at most a head patch matrix per channel and direction), the side-by-side weights and gradients;
    /// with the head Jacobian, the Jacobian itself, the logit tables its two GEMMs read and write, and what forming it takes
    /// (a backward pass of C unit cotangent sets).
    /// </summary>
    public long ProductScratchBytes(int directions, int samples)
    {
        long jacobian = 0;
        if (UsesHeadJacobian(samples))
        {
            jacobian = (long)samples * Classes * (HeadParameters + 2L * directions + Classes);
            directions = Math.Max(directions, Classes);
        }
        long head = (long)ChunkImages * (directions * (2L * HeadWidestTensor + HeadWidestPatches + PooledSelection) + HeadWidestPatches + PooledSelection);
        long tail = (long)Math.Min(TailChunkImages, samples) * directions * (2L * TailWidestTensor + TailWidestPatches);
        return 8 * (head + tail + 4L * directions * ParameterCount + jacobian);
    }
}

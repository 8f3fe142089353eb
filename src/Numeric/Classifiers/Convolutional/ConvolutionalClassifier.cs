using FimVerify.Numeric.Data;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Classifiers.Convolutional;

/// <summary>
/// A convolutional softmax classifier (seed 003's model family): stages of convolutions, activations and pooling, dense
/// layers, then softmax, as resolved by <see cref="ConvolutionalNetworkShape"/>. A convolution is im2col onto our GEMM:
/// the patch matrix (image·location × kh·kw·C_in) times W (kh·kw·C_in × C_out); a dense layer is a convolution whose
/// kernel covers its input, so it needs no copy. Tensors are channel-last; θ holds each layer's W then b (the layout of
/// <see cref="SoftmaxClassifier"/>, so a network of dense layers has the same θ as the MLP).
/// Jacobian products of D directions move through the network as one tensor with the direction inside the location
/// (<see cref="Patches"/>): the JVP of layer l is P(tangent)·W_l + U_l·[dW_1 … dW_D] + db, two GEMMs whose results share
/// one layout; the VJP forms U_lᵀ·G for all directions in one GEMM. A convolution followed by max-pooling is differentiated
/// only at the pooled locations (<see cref="PooledConvolution"/>). Products run over outer chunks of
/// <see cref="ConvolutionalNetworkShape.TailChunkImages"/> images for the dense tail, each split into inner chunks of
/// <see cref="ConvolutionalNetworkShape.ChunkImages"/> for the convolutional head (memory stays bounded, GEMMs stay large
/// where the FLOPs are), and sum every entry in an order that does not depend on D or the thread count, so a block of
/// products equals one product per vector. A pass prepared for many products (<see cref="PrepareForProducts"/>) holds the
/// per-input logit Jacobian of the head's few parameters, and the products' head part is then two GEMMs with it.
/// </summary>
public sealed class ConvolutionalClassifier : DifferentiableClassifier<ConvolutionalPass>
{
    public ConvolutionalNetworkShape Shape { get; }
    public override double[] Parameters { get; }
    public override int ParameterCount => Parameters.Length;
    public override int InputDimension => (int)Shape.Input.Size;
    public override int Classes => Shape.Classes;
    public override int LayerCount => Shape.LinearStages.Count;
    public override string Description => $"CNN {Shape.Input} → {Shape.Architecture} → dense{Classes}";

    private readonly PooledGroup?[] _pooledByLinear, _pooledByPool;

    public ConvolutionalClassifier(ConvolutionalNetworkShape shape, double[] parameters)
    {
        if (parameters.Length != shape.ParameterCount) throw new ArgumentException($"expected {shape.ParameterCount} parameters, got {parameters.Length}");
        Shape = shape; Parameters = parameters;
        (_pooledByLinear, _pooledByPool) = PooledGroup.Find(shape);
    }

    /// <summary>
    /// Seeded initialisation: W_l entries N(0, g²/fan-in), fan-in = kh·kw·C_in, with g² = 2 (He) when the layer's input comes
    /// through a ReLU and 1 (LeCun) through tanh — the last activation before the layer, or the network's first activation
    /// for the first layer (as the MLP's single activation does); biases 0. Layer l draws from seed.Child("init").Child(l).
    /// </summary>
    public static ConvolutionalClassifier Initialize(ConvolutionalNetworkShape shape, SeedSequence seed)
    {
        var model = new ConvolutionalClassifier(shape, new double[shape.ParameterCount]);
        var first = shape.Stages.OfType<ActivationStage>().Select(a => a.Activation).DefaultIfEmpty(HiddenActivation.Relu).First();
        var current = first;
        foreach (var stage in shape.Stages)
        {
            if (stage is ActivationStage a) current = a.Activation;
            if (stage is not LinearStage ls) continue;
            double gain = current == HiddenActivation.Relu ? 2.0 : 1.0;
            seed.Child("init").Child(ls.Layer).CreateSampler().FillGaussian(model.Weights(ls.Layer), Math.Sqrt(gain / ls.PatchSize));
        }
        return model;
    }

    public override (int Offset, int Length) LayerBlock(int l) => (Shape.LinearStages[l].Offset, Shape.LinearStages[l].ParameterCount);

    public Span<double> Weights(int l) => Parameters.AsSpan(Shape.LinearStages[l].Offset, Shape.LinearStages[l].PatchSize * Shape.LinearStages[l].Channels);

    public Span<double> Biases(int l) => Parameters.AsSpan(Shape.LinearStages[l].Offset + Shape.LinearStages[l].PatchSize * Shape.LinearStages[l].Channels, Shape.LinearStages[l].Channels);

    public ConvolutionalClassifier Clone() => new(Shape, (double[])Parameters.Clone());

    /// <summary>Runs the network on a batch (row-major count × H·W·C, channel-last) and keeps what Jacobian products need.</summary>
    public override ConvolutionalPass Forward(ReadOnlySpan<double> inputs, int count)
    {
        if (count < 1) throw new ArgumentException("a batch needs at least one input");
        if (count > Shape.MaxSamples) throw new ArgumentException($"a pass holds at most {Shape.MaxSamples} inputs of this network");
        if (inputs.Length != (long)count * InputDimension) throw new ArgumentException($"expected {count}×{InputDimension} inputs, got {inputs.Length} values");
        var pass = new ConvolutionalPass(this, inputs.ToArray(), count);
        var patches = pass.Buffer("head-patches", (long)Shape.ChunkImages * Math.Max(Shape.HeadWidestPatches, Shape.TailWidestPatches));
        var stages = Shape.Stages;
        foreach (var (start, images) in Chunks(0, count, Shape.ChunkImages))
            for (int s = 0; s < stages.Count; s++)
            {
                var input = pass.StageInput(s);
                var output = pass.Outputs[s];
                int inOffset = (int)(start * stages[s].Input.Size), outOffset = (int)(start * stages[s].Output.Size);
                switch (stages[s])
                {
                    case LinearStage ls:
                        {
                            int rows = images * ls.Locations, k = ls.PatchSize, c = ls.Channels;
                            var u = InputPatches(ls, input, inOffset, images, patches);
                            var z = output.AsSpan(outOffset, rows * c);
                            Gemm.Multiply(Op.None, Op.None, rows, c, k, 1, u, k, Weights(ls.Layer), c, 0, z, c);
                            var b = Biases(ls.Layer);
                            for (int r = 0; r < rows; r++)
                            {
                                var row = z.Slice(r * c, c);
                                for (int j = 0; j < c; j++) row[j] += b[j];
                            }
                            break;
                        }
                    case ActivationStage a:
                        {
                            var slope = pass.Slopes[s]!;
                            int size = (int)(images * a.Shape.Size);
                            for (int i = 0; i < size; i++)
                            {
                                double pre = input[inOffset + i], value = a.Activation.Value(pre);
                                output[outOffset + i] = value;
                                slope[outOffset + i] = a.Activation.Derivative(pre, value);
                            }
                            break;
                        }
                    case PoolingStage p:
                        Pooling.Forward(p, input, inOffset, output, outOffset, pass.ArgMax[s], images);
                        break;
                }
            }
        SoftmaxOutput.Probabilities(pass.Logits, pass.Probabilities, Classes);
        return pass;
    }

    /// <summary>
    /// Jacobian-vector products of <paramref name="directions"/> directions at once (v: directions × P); row n·directions + k
    /// of logitTangent is ∂z_L(x_n)/∂θ · v_k. Only layers firstLayer..lastLayer of v are read; stages below firstLayer are skipped.
    /// Each outer chunk runs its head in inner chunks, collects the head's output tangent, then runs the dense tail at once.
    /// </summary>
    public override void Jvp(ConvolutionalPass pass, ReadOnlySpan<double> v, int directions, Span<double> logitTangent, int firstLayer = 0, int lastLayer = int.MaxValue)
    {
        CheckPass(pass);
        if (directions < 1) throw new ArgumentException("at least one direction is needed");
        if (v.Length != (long)directions * ParameterCount) throw new ArgumentException($"expected {directions} direction(s) of length {ParameterCount}");
        if (logitTangent.Length != (long)pass.Count * directions * Classes) throw new ArgumentException("the logit tangent has the wrong length");
        var range = new LayerRange(firstLayer, Math.Min(lastLayer, LayerCount - 1));
        int heads = Shape.HeadLayers;
        if (pass.HeadJacobian is not { } jacobian || range.First >= heads)
        {
            MatrixFreeJvp(pass, v, directions, logitTangent, range);
            return;
        }
        // The tail's own directions (its input tangent is the head's, added below), then the head's through its Jacobian.
        if (range.Last >= heads) MatrixFreeJvp(pass, v, directions, logitTangent, range with { First = heads });
        else logitTangent.Clear();
        int d = directions, p = ParameterCount, ph = Shape.HeadParameters, rows = pass.Count * Classes, from = LayerBlock(range.First).Offset;
        var (lastOffset, lastLength) = LayerBlock(Math.Min(range.Last, heads - 1));
        // (D × N·C) = V[:, from..to) · J[:, from..to)ᵀ, each entry's sum in θ order whatever D is; then added in (input, direction, class) order.
        var product = pass.Buffer("head-jacobian-tangent", (long)d * rows);
        Gemm.Multiply(Op.None, Op.Transpose, d, rows, lastOffset + lastLength - from, 1, v[from..], p, jacobian.AsSpan(from), ph, 0, product, rows);
        int c = Classes;
        for (int n = 0; n < pass.Count; n++)
            for (int r = 0; r < d; r++)
            {
                var row = logitTangent.Slice((n * d + r) * c, c);
                var head = product.AsSpan(r * rows + n * c, c);
                for (int j = 0; j < c; j++) row[j] += head[j];
            }
    }

    /// <summary>
    /// Readies a pass for many products (an operator's): when the shape says it pays (<see cref="ConvolutionalNetworkShape.UsesHeadJacobian"/>),
    /// forms the per-input logit Jacobian of the head's parameters, after which a product's head part is two GEMMs with it.
    /// Row (n, c) is ∇_θ z_c(x_n): one backward pass of the C unit cotangents of every input (full resolution, as for K-FAC),
    /// whose weight gradients each head layer keeps per input, U_nᵀ·G_{n,c} and the column sums of G_{n,c}, instead of summing
    /// them over the inputs. Products agree with the matrix-free ones up to the order of their sums.
    /// </summary>
    public override void PrepareForProducts(ConvolutionalPass pass)
    {
        CheckPass(pass);
        if (pass.HeadJacobian is not null || !Shape.UsesHeadJacobian(pass.Count)) return;
        int ph = Shape.HeadParameters, c = Classes, n = pass.Count, heads = Shape.HeadLayers;
        var jacobian = new double[(long)n * c * ph];
        var units = new double[(long)n * c * c];
        for (int x = 0; x < n; x++)
            for (int r = 0; r < c; r++) units[((long)x * c + r) * c + r] = 1;
        Backpropagate(pass, units, c, 0, pooled: null, visit: (ls, _, start, rows, u, g) =>
        {
            if (ls.Layer >= heads) return;
            int k = ls.PatchSize, channels = ls.Channels, locations = ls.Locations, images = rows / locations, width = c * channels;
            for (int b = 0; b < images; b++)
            {
                var patches = u.Slice(b * locations * k, locations * k);
                var image = g.Slice(b * locations * width, locations * width);
                for (int r = 0; r < c; r++)
                {
                    var row = jacobian.AsSpan(((start + b) * c + r) * ph + ls.Offset, (k + 1) * channels);
                    Gemm.Multiply(Op.Transpose, Op.None, k, channels, locations, 1, patches, k, image[(r * channels)..], width, 0, row, channels, maxDegreeOfParallelism: 1);
                    var bias = row[(k * channels)..];
                    bias.Clear();
                    for (int t = 0; t < locations; t++)
                    {
                        var cell = image.Slice(t * width + r * channels, channels);
                        for (int j = 0; j < channels; j++) bias[j] += cell[j];
                    }
                }
            }
        });
        pass.HeadJacobian = jacobian;
    }

    /// <summary>The JVP through every stage: layers outside <paramref name="range"/> contribute no direction of their own.</summary>
    private void MatrixFreeJvp(ConvolutionalPass pass, ReadOnlySpan<double> v, int directions, Span<double> logitTangent, LayerRange range)
    {
        int d = directions, p = ParameterCount;
        // Each layer's weights of every direction side by side (patch × d·channels), once for all chunks; pooled convolutions
        // take them per channel, with the biases.
        var sides = new double[LayerCount][];
        for (int s = 0; s < Shape.Stages.Count; s++)
        {
            if (Shape.Stages[s] is not LinearStage ls || !range.Contains(ls.Layer)) continue;
            int k = ls.PatchSize, c = ls.Channels;
            if (_pooledByLinear[s] is not null)
            {
                // Per channel j a (K + 1) × D̃ block: row i holds dW_r[i, j] for every direction r, row K the biases db_r[j].
                int dp = PooledConvolution.Padded(d);
                var side = sides[ls.Layer] = pass.Buffer($"side-{ls.Layer}", (long)(k + 1) * dp * c);
                Array.Clear(side);
                for (int j = 0; j < c; j++)
                    for (int r = 0; r < d; r++)
                        for (int i = 0; i <= k; i++) side[(j * (k + 1) + i) * dp + r] = v[r * p + ls.Offset + i * c + j];
            }
            else if (d > 1)
            {
                sides[ls.Layer] = pass.Buffer($"side-{ls.Layer}", (long)k * d * c);
                SideBySide.Gather(v, d, ls.Offset, k, c, sides[ls.Layer]);
            }
        }
        var head = Scratch(pass, "head", Shape.ChunkImages, Shape.HeadWidestTensor, Shape.HeadWidestPatches, d);
        var tail = Scratch(pass, "tail", Math.Min(Shape.TailChunkImages, pass.Count), Shape.TailWidestTensor, Shape.TailWidestPatches, d);
        int boundary = (int)Shape.Stages[Shape.TailStart].Input.Size * d;
        foreach (var (outer, outerImages) in Chunks(0, pass.Count, Shape.TailChunkImages))
        {
            var logits = logitTangent.Slice(outer * d * Classes, outerImages * d * Classes);
            bool have = false; // whether the tangent is non-zero yet (it is zero below firstLayer)
            foreach (var (start, images) in range.First < Shape.HeadLayers ? Chunks(outer, outerImages, Shape.ChunkImages) : [])
            {
                var (current, next) = (head.A, head.B);
                have = false;
                JvpStages(pass, v, d, range, sides, 0, Shape.TailStart, start, images, ref current, ref next, ref have, head, default);
                if (have) current.AsSpan(0, images * boundary).CopyTo(tail.A.AsSpan((start - outer) * boundary));
            }
            var (tailCurrent, tailNext) = (tail.A, tail.B);
            JvpStages(pass, v, d, range, sides, Shape.TailStart, Shape.Stages.Count, outer, outerImages, ref tailCurrent, ref tailNext, ref have, tail, logits);
            if (!have) logits.Clear();
        }
    }

    private readonly record struct LayerRange(int First, int Last)
    {
        public bool Contains(int layer) => layer >= First && layer <= Last;
    }

    /// <summary>Stages [from, to) of the JVP on images [start, start + images): the tangent moves between current and next.</summary>
    private void JvpStages(ConvolutionalPass pass, ReadOnlySpan<double> v, int d, LayerRange range, double[][] sides,
        int from, int to, int start, int images, ref double[] current, ref double[] next, ref bool have, ScratchBuffers scratch, Span<double> logits)
    {
        var stages = Shape.Stages;
        int p = ParameterCount;
        for (int s = from; s < to; s++)
        {
            switch (stages[s])
            {
                case LinearStage ls:
                    {
                        if (!have && ls.Layer < range.First) continue;
                        if (!have && ls.Layer > range.Last) return;
                        bool own = range.Contains(ls.Layer);
                        if (_pooledByLinear[s] is { } group)
                        {
                            PooledConvolution.Tangent(group, pass, Parameters, start, images, d, own ? sides[ls.Layer] : null, have ? current : null, next);
                            have = true;
                            (current, next) = (next, current);
                            s = group.PoolIndex;
                            break;
                        }
                        int rows = images * ls.Locations, k = ls.PatchSize, c = ls.Channels, width = d * c;
                        var z = s == stages.Count - 1 ? logits : next.AsSpan(0, rows * width);
                        double beta = 0;
                        if (have)
                        {
                            ReadOnlySpan<double> tp = Patches.IsIdentity(ls, d) ? current.AsSpan(0, rows * d * k) : GatheredTangent(ls, current, scratch.TangentPatches, images, d);
                            Gemm.Multiply(Op.None, Op.None, rows * d, c, k, 1, tp, k, Weights(ls.Layer), c, 0, z, c);
                            beta = 1;
                        }
                        if (own)
                        {
                            var u = InputPatches(ls, pass.StageInput(s), (int)(start * ls.Input.Size), images, scratch.Patches);
                            ReadOnlySpan<double> side = d == 1 ? v.Slice(ls.Offset, k * c) : sides[ls.Layer];
                            Gemm.Multiply(Op.None, Op.None, rows, width, k, 1, u, k, side, width, beta, z, width);
                            for (int r = 0; r < rows * d; r++)
                            {
                                var db = v.Slice(r % d * p + ls.Offset + k * c, c);
                                var row = z.Slice(r * c, c);
                                for (int j = 0; j < c; j++) row[j] += db[j];
                            }
                        }
                        have = true;
                        (current, next) = (next, current);
                        break;
                    }
                case ActivationStage a when have:
                    MultiplyBySlopes(current, pass.Slopes[s]!, start, images, d, a.Shape);
                    break;
                case PoolingStage pool when have:
                    Pooling.Tangent(pool, current, next, pass.ArgMax[s], (int)(start * pool.Output.Size), images, d);
                    (current, next) = (next, current);
                    break;
            }
        }
    }

    /// <summary>
    /// Vector-Jacobian products of <paramref name="directions"/> cotangent sets (row n·directions + k of logitCotangent):
    /// gradient (directions × P) receives Σ_n (∂z_L(x_n)/∂θ)ᵀ g_{n,k} for layers lowestLayer..highestLayer; the others are left untouched.
    /// </summary>
    public override void Vjp(ConvolutionalPass pass, ReadOnlySpan<double> logitCotangent, int directions, Span<double> gradient, int lowestLayer = 0,
        int highestLayer = int.MaxValue)
    {
        CheckPass(pass);
        if (directions < 1) throw new ArgumentException("at least one direction is needed");
        if (gradient.Length != (long)directions * ParameterCount) throw new ArgumentException($"expected {directions} gradient(s) of length {ParameterCount}");
        if (logitCotangent.Length != (long)pass.Count * directions * Classes) throw new ArgumentException("the logit cotangent has the wrong length");
        int heads = Shape.HeadLayers;
        var range = new LayerRange(Math.Max(lowestLayer, 0), Math.Min(highestLayer, LayerCount - 1));
        if (range.First > range.Last) return;
        if (pass.HeadJacobian is not { } jacobian || range.First >= heads)
        {
            MatrixFreeVjp(pass, logitCotangent, directions, gradient, range);
            return;
        }
        // The tail's gradients (none when only head layers are asked for: the head Jacobian needs no backward pass), then the head's:
        // G (D × N·C, the cotangents transposed to (input, class) × direction) times J[:, from..to), written into each direction's
        // θ; every entry sums over the N·C rows in one order whatever D is.
        if (range.Last >= heads) MatrixFreeVjp(pass, logitCotangent, directions, gradient, range with { First = heads });
        var (lastOffset, lastLength) = LayerBlock(Math.Min(range.Last, heads - 1));
        int d = directions, p = ParameterCount, ph = Shape.HeadParameters, c = Classes, rows = pass.Count * c, from = LayerBlock(range.First).Offset;
        var transposed = pass.Buffer("head-jacobian-cotangent", (long)rows * d);
        for (int n = 0; n < pass.Count; n++)
            for (int r = 0; r < d; r++)
                for (int j = 0; j < c; j++) transposed[(n * c + j) * d + r] = logitCotangent[(n * d + r) * c + j];
        Gemm.Multiply(Op.Transpose, Op.None, d, lastOffset + lastLength - from, rows, 1, transposed, d, jacobian.AsSpan(from), ph, 0, gradient[from..], p);
    }

    /// <summary>The VJP through every stage down to the range's first layer, forming the gradients of the layers in the range (<see cref="Vjp"/>).</summary>
    private void MatrixFreeVjp(ConvolutionalPass pass, ReadOnlySpan<double> logitCotangent, int directions, Span<double> gradient, LayerRange range)
    {
        int d = directions, dp = PooledConvolution.Padded(d);
        // Per layer: K × d·C side-by-side weight sums and d·C bias sums, or for a pooled convolution per channel j a
        // (K + 1) × D̃ block (PooledConvolution.Gradients) whose row i < K holds dW_r[i, j] and row K db_r[j].
        var weightSums = new double[LayerCount][];
        var biasSums = new double[LayerCount][];
        for (int s = 0; s < Shape.Stages.Count; s++)
        {
            if (Shape.Stages[s] is not LinearStage ls || !range.Contains(ls.Layer)) continue;
            int k = ls.PatchSize, c = ls.Channels;
            if (_pooledByLinear[s] is not null) weightSums[ls.Layer] = pass.Buffer($"gradient-{ls.Layer}", (long)c * (k + 1) * dp);
            else
            {
                weightSums[ls.Layer] = pass.Buffer($"gradient-{ls.Layer}", (long)k * d * c);
                biasSums[ls.Layer] = pass.Buffer($"bias-gradient-{ls.Layer}", (long)d * c);
            }
        }
        // Layers above the range only pass the cotangent on.
        LinearVisitor generic = (ls, chunk, _, rows, u, g) =>
        {
            if (!range.Contains(ls.Layer)) return;
            int k = ls.PatchSize, width = d * ls.Channels;
            Gemm.Multiply(Op.Transpose, Op.None, k, width, rows, 1, u, k, g, width, chunk == 0 ? 0 : 1, weightSums[ls.Layer].AsSpan(0, k * width), width);
            var bias = biasSums[ls.Layer].AsSpan(0, width);
            if (chunk == 0) bias.Clear();
            for (int r = 0; r < rows; r++)
            {
                var row = g.Slice(r * width, width);
                for (int j = 0; j < width; j++) bias[j] += row[j];
            }
        };
        PooledVisitor pooled = (group, chunk, start, images, pooledCotangent, below) =>
        {
            var ls = group.Linear;
            int k = ls.PatchSize, c = ls.Channels, rows = images * group.Pool.Output.Locations;
            var patches = pass.Buffer("pooled-patches", (long)c * rows * k);
            var cotangents = pass.Buffer("pooled-cotangents", (long)c * rows * dp);
            PooledConvolution.Select(group, pass, start, images, d, pooledCotangent, patches, cotangents);
            if (range.Contains(ls.Layer)) PooledConvolution.Gradients(group, images, d, patches, cotangents, weightSums[ls.Layer], chunk == 0);
            if (below is not null) PooledConvolution.Below(group, pass, Parameters, start, images, d, cotangents, below);
        };
        Backpropagate(pass, logitCotangent, d, range.First, generic, pooled);
        for (int s = 0; s < Shape.Stages.Count; s++)
        {
            if (Shape.Stages[s] is not LinearStage ls || !range.Contains(ls.Layer)) continue;
            int k = ls.PatchSize, c = ls.Channels, p = ParameterCount;
            var sums = weightSums[ls.Layer];
            if (_pooledByLinear[s] is not null)
                for (int r = 0; r < d; r++)
                    for (int i = 0; i <= k; i++) // i = K: the biases, which follow the weights in θ
                        for (int j = 0; j < c; j++) gradient[r * p + ls.Offset + i * c + j] = sums[(j * (k + 1) + i) * dp + r];
            else
            {
                SideBySide.Scatter(sums.AsSpan(0, k * d * c), d, ls.Offset, k, c, gradient);
                for (int j = 0; j < d; j++) biasSums[ls.Layer].AsSpan(j * c, c).CopyTo(gradient.Slice(j * p + ls.Offset + k * c, c));
            }
        }
    }

    /// <summary>
    /// K-FAC for convolutions (KFC, Grosse and Martens 2016): with ā_{n,t} = [patch t of layer l's input for x_n; 1] and
    /// δ_{n,t,k} the cotangent of layer l's pre-activation output at location t for factor row k of input n,
    /// A_l = (1/N) Σ_n Σ_t ā_{n,t} ā_{n,t}ᵀ (summed over the T_l locations) and G_l = (1/(N·T_l)) Σ_n Σ_t Σ_k δ δᵀ (averaged over
    /// them). Dropping the cross-location terms of F_ll = (1/N) Σ_n Σ_k (Σ_t ā_t ⊗ δ_t)(Σ_t' ā_t' ⊗ δ_t')ᵀ and then the
    /// correlation between activations and derivatives, with derivative statistics the same at every location, leaves
    /// exactly A_l ⊗ G_l; a dense layer (T = 1) gives the MLP's K-FAC.
    /// </summary>
    public override (SymmetricMatrix[] InputFactors, SymmetricMatrix[] OutputFactors) KroneckerFactors(ConvolutionalPass pass, ReadOnlySpan<double> factors, int rank)
    {
        CheckPass(pass);
        if (rank < 1) throw new ArgumentException("at least one factor per input is needed");
        var a = Shape.LinearStages.Select(ls => new SymmetricMatrix(ls.PatchSize + 1)).ToArray();
        var g = Shape.LinearStages.Select(ls => new SymmetricMatrix(ls.Channels)).ToArray();
        int n = pass.Count;
        Backpropagate(pass, factors, rank, 0, pooled: null, visit: (ls, chunk, _, rows, u, delta) =>
        {
            int k = ls.PatchSize, c = ls.Channels;
            var augmented = pass.Buffer("augmented-patches", (long)rows * (k + 1));
            for (int r = 0; r < rows; r++)
            {
                u.Slice(r * k, k).CopyTo(augmented.AsSpan(r * (k + 1), k));
                augmented[r * (k + 1) + k] = 1;
            }
            double beta = chunk == 0 ? 0 : 1;
            Syrk.Multiply(Op.Transpose, k + 1, rows, 1.0 / n, augmented.AsSpan(0, rows * (k + 1)), k + 1, beta, a[ls.Layer].Data, k + 1);
            Syrk.Multiply(Op.Transpose, c, rows * rank, 1.0 / ((double)n * ls.Locations), delta, c, beta, g[ls.Layer].Data, c);
        });
        return (a, g);
    }

    /// <param name="rows">Rows of the patch matrix in this chunk (images × locations); the cotangent has rows·directions rows.</param>
    /// <param name="start">The chunk's first input.</param>
    private delegate void LinearVisitor(LinearStage stage, int chunk, int start, int rows, ReadOnlySpan<double> patches, ReadOnlySpan<double> cotangent);

    /// <param name="pooledCotangent">The cotangent after the group's pooling (image, window, direction, channel) for the chunk.</param>
    /// <param name="below">Where the cotangent of the convolution's input goes, or null when the backward pass stops at this layer.</param>
    private delegate void PooledVisitor(PooledGroup group, int chunk, int start, int images, double[] pooledCotangent, double[]? below);

    /// <summary>
    /// The backward pass of <paramref name="directions"/> cotangent sets: per outer chunk the dense tail at once, then the head in
    /// inner chunks. Each linear stage from the output down to <paramref name="lowestLayer"/> is shown its input patches and
    /// its output cotangents (rows (image, location, direction) × channels) with the index of its chunk (0 for the first one
    /// it sees), then the cotangent moves below it (g·Wᵀ scattered back by col2im), through activations (times the slopes)
    /// and pooling (its adjoint). With <paramref name="pooled"/>, a convolution → [activation] → max-pooling group is handed
    /// over whole at its pooling (<see cref="PooledConvolution"/>), never forming its full-resolution cotangent.
    /// </summary>
    private void Backpropagate(ConvolutionalPass pass, ReadOnlySpan<double> logitCotangent, int directions, int lowestLayer, LinearVisitor visit, PooledVisitor? pooled)
    {
        int d = directions;
        if (logitCotangent.Length != (long)pass.Count * d * Classes) throw new ArgumentException("the logit cotangent has the wrong length");
        var head = Scratch(pass, "head", Shape.ChunkImages, Shape.HeadWidestTensor, Shape.HeadWidestPatches, d);
        var tail = Scratch(pass, "tail", Math.Min(Shape.TailChunkImages, pass.Count), Shape.TailWidestTensor, Shape.TailWidestPatches, d);
        int boundary = (int)Shape.Stages[Shape.TailStart].Input.Size * d;
        int outerChunk = 0, innerChunk = 0;
        foreach (var (outer, outerImages) in Chunks(0, pass.Count, Shape.TailChunkImages))
        {
            logitCotangent.Slice(outer * d * Classes, outerImages * d * Classes).CopyTo(tail.A);
            var (tailCurrent, tailNext) = (tail.A, tail.B);
            bool done = BackwardStages(pass, d, lowestLayer, visit, pooled, Shape.Stages.Count - 1, Shape.TailStart, outer, outerImages, outerChunk++, ref tailCurrent, ref tailNext, tail);
            if (done) continue;
            foreach (var (start, images) in Chunks(outer, outerImages, Shape.ChunkImages))
            {
                tailCurrent.AsSpan((start - outer) * boundary, images * boundary).CopyTo(head.A);
                var (current, next) = (head.A, head.B);
                BackwardStages(pass, d, lowestLayer, visit, pooled, Shape.TailStart - 1, 0, start, images, innerChunk++, ref current, ref next, head);
            }
        }
    }

    /// <summary>Stages from <paramref name="from"/> down to <paramref name="to"/> of the backward pass; true when it stopped at the lowest layer.</summary>
    private bool BackwardStages(ConvolutionalPass pass, int d, int lowestLayer, LinearVisitor visit, PooledVisitor? pooled, int from, int to,
        int start, int images, int chunk, ref double[] current, ref double[] next, ScratchBuffers scratch)
    {
        var stages = Shape.Stages;
        for (int s = from; s >= to; s--)
        {
            switch (stages[s])
            {
                case LinearStage ls:
                    {
                        int rows = images * ls.Locations, k = ls.PatchSize, c = ls.Channels;
                        var u = InputPatches(ls, pass.StageInput(s), (int)(start * ls.Input.Size), images, scratch.Patches);
                        visit(ls, chunk, start, rows, u, current.AsSpan(0, rows * d * c));
                        if (ls.Layer <= lowestLayer) return true;
                        if (Patches.IsIdentity(ls, d))
                            Gemm.Multiply(Op.None, Op.Transpose, rows * d, k, c, 1, current, c, Weights(ls.Layer), c, 0, next.AsSpan(0, rows * d * k), k);
                        else
                        {
                            Gemm.Multiply(Op.None, Op.Transpose, rows * d, k, c, 1, current, c, Weights(ls.Layer), c, 0, scratch.TangentPatches.AsSpan(0, rows * d * k), k);
                            Patches.ScatterAdd(scratch.TangentPatches, next, images, d, ls);
                        }
                        (current, next) = (next, current);
                        break;
                    }
                case ActivationStage a:
                    MultiplyBySlopes(current, pass.Slopes[s]!, start, images, d, a.Shape);
                    break;
                case PoolingStage when pooled is not null && _pooledByPool[s] is { } group:
                    {
                        bool last = group.Linear.Layer <= lowestLayer;
                        pooled(group, chunk, start, images, current, last ? null : next);
                        if (last) return true;
                        (current, next) = (next, current);
                        s = group.LinearIndex;
                        break;
                    }
                case PoolingStage pool:
                    Pooling.Cotangent(pool, current, next, pass.ArgMax[s], (int)(start * pool.Output.Size), images, d);
                    (current, next) = (next, current);
                    break;
            }
        }
        return false;
    }

    /// <summary>The chunks of [start, start + count) in pieces of at most size inputs: (first input, inputs in the chunk).</summary>
    private static IEnumerable<(int Start, int Images)> Chunks(int start, int count, int size)
    {
        for (int first = start; first < start + count; first += size) yield return (first, Math.Min(size, start + count - first));
    }

    /// <summary>A chunk's two tensors (tangents or cotangents alternate between them), its patch matrix of one direction and of all.</summary>
    private sealed record ScratchBuffers(double[] A, double[] B, double[] Patches, double[] TangentPatches);

    private ScratchBuffers Scratch(ConvolutionalPass pass, string name, int images, int widestTensor, int widestPatches, int directions)
    {
        long tensor = (long)images * directions * Math.Max(widestTensor, Classes), patches = (long)images * widestPatches;
        return new(pass.Buffer(name + "-a", tensor), pass.Buffer(name + "-b", tensor), pass.Buffer(name + "-patches", patches),
            pass.Buffer(name + "-tangent-patches", patches * directions));
    }

    /// <summary>The patch matrix of a stage's input for images [start, start + images) (one direction): the input itself for a dense stage.</summary>
    private static ReadOnlySpan<double> InputPatches(LinearStage ls, double[] input, int offset, int images, double[] patches)
    {
        int length = images * ls.Locations * ls.PatchSize;
        if (ls.IsDense) return input.AsSpan(offset, length);
        Patches.Gather(input, offset, patches, images, 1, ls);
        return patches.AsSpan(0, length);
    }

    private static ReadOnlySpan<double> GatheredTangent(LinearStage ls, double[] tangent, double[] patches, int images, int directions)
    {
        Patches.Gather(tangent, 0, patches, images, directions, ls);
        return patches.AsSpan(0, images * ls.Locations * directions * ls.PatchSize);
    }

    /// <summary>x[(image, location, direction, channel)] times the slope of (image, location, channel).</summary>
    private static void MultiplyBySlopes(double[] x, double[] slopes, int start, int images, int directions, ImageShape shape)
    {
        int c = shape.Channels, locations = shape.Locations;
        int size = (int)shape.Size;
        Parallel.For(0, images, b =>
        {
            var image = x.AsSpan(b * size * directions, size * directions);
            var slope = slopes.AsSpan((start + b) * size, size);
            for (int t = 0; t < locations; t++)
                for (int j = 0; j < directions; j++)
                {
                    var cell = image.Slice((t * directions + j) * c, c);
                    var s = slope.Slice(t * c, c);
                    for (int k = 0; k < c; k++) cell[k] *= s[k];
                }
        });
    }



    protected override bool Made(ConvolutionalPass pass) => ReferenceEquals(pass.Model, this);

    protected override IDifferentiableClassifier CloneClassifier() => Clone();
}

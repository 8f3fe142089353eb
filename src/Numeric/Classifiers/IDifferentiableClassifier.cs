using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.Classifiers;

/// <summary>
/// A softmax classifier whose logits are differentiable in one flat parameter vector θ made of contiguous per-layer blocks
/// (each layer's weights as a fan-in × fan-out row-major matrix, then its biases): what the Fisher operators, K-FAC and SGD
/// need, whatever the network (<see cref="SoftmaxClassifier"/>, <see cref="Convolutional.ConvolutionalClassifier"/>).
/// Batched products use the (input, direction)-major layout: row n·directions + k of a logit table belongs to input n and
/// direction k.
/// </summary>
public interface IDifferentiableClassifier
{
    double[] Parameters { get; }
    int ParameterCount { get; }
    int InputDimension { get; }
    int Classes { get; }

    /// <summary>Layers that hold parameters (the blocks of the layer-wise Fisher and of K-FAC).</summary>
    int LayerCount { get; }

    /// <summary>The range of θ holding layer l (its weights then its biases).</summary>
    (int Offset, int Length) LayerBlock(int l);

    /// <summary>A short description of the network (widths or architecture) for outputs.</summary>
    string Description { get; }

    /// <summary>Runs the network on a batch (row-major count × input dimension) and keeps what Jacobian products need.</summary>
    IClassifierPass Forward(ReadOnlySpan<double> inputs, int count);

    /// <summary>
    /// Jacobian-vector products of <paramref name="directions"/> directions (v holds them one after another, directions × P):
    /// row n·directions + k of logitTangent is ∂z_L(x_n)/∂θ · v_k, reading only layers firstLayer..lastLayer of v.
    /// </summary>
    void Jvp(IClassifierPass pass, ReadOnlySpan<double> v, int directions, Span<double> logitTangent, int firstLayer = 0, int lastLayer = int.MaxValue);

    /// <summary>
    /// Vector-Jacobian products: gradient (directions × P) receives Σ_n (∂z_L(x_n)/∂θ)ᵀ g_{n,k} for each set k of logit
    /// cotangents (row n·directions + k). Only layers lowestLayer..highestLayer are computed: the entries of the others are
    /// left untouched (the cotangents still pass through the layers above, but their gradients are not formed).
    /// </summary>
    void Vjp(IClassifierPass pass, ReadOnlySpan<double> logitCotangent, int directions, Span<double> gradient, int lowestLayer = 0, int highestLayer = int.MaxValue);

    /// <summary>
    /// Readies a pass to serve many Jacobian products (an operator's): a network may form once what makes every product cheaper
    /// (a CNN, the per-input logit Jacobian of its convolutional head's few parameters). Products give the same values either
    /// way up to the order of floating-point sums; a pass that serves one product (an SGD step) is better left unprepared.
    /// </summary>
    void PrepareForProducts(IClassifierPass pass);

    /// <summary>
    /// K-FAC's factors per layer: A_l over the layer's inputs augmented by 1 (the bias row) and G_l over its pre-activation
    /// output cotangents for the (count·rank) logit cotangent rows <paramref name="factors"/> (rank rows per input), so that
    /// A_l ⊗ G_l approximates the layer's Fisher block Σ-averaged over the inputs.
    /// </summary>
    (SymmetricMatrix[] InputFactors, SymmetricMatrix[] OutputFactors) KroneckerFactors(IClassifierPass pass, ReadOnlySpan<double> factors, int rank);

    IDifferentiableClassifier Clone();
}

/// <summary>What a forward pass exposes to every consumer: the batch size, the logits and the class probabilities.</summary>
public interface IClassifierPass
{
    int Count { get; }
    double[] Logits { get; }
    double[] Probabilities { get; }
}

/// <summary>The softmax and the loss every classifier shares.</summary>
public static class SoftmaxOutput
{
    /// <summary>probabilities ← softmax of each row of logits (count × classes), shifted by the row maximum.</summary>
    public static void Probabilities(ReadOnlySpan<double> logits, Span<double> probabilities, int classes)
    {
        for (int n = 0; n < logits.Length / classes; n++)
        {
            var z = logits.Slice(n * classes, classes);
            var p = probabilities.Slice(n * classes, classes);
            double max = double.NegativeInfinity;
            foreach (double v in z) max = Math.Max(max, v);
            if (!double.IsFinite(max)) throw new NumericalException($"the logits of input {n} are not finite");
            double sum = 0;
            for (int j = 0; j < classes; j++) { p[j] = Math.Exp(z[j] - max); sum += p[j]; }
            for (int j = 0; j < classes; j++) p[j] /= sum;
        }
    }

    /// <summary>Mean cross-entropy of a pass against labels.</summary>
    public static double CrossEntropy(IClassifierPass pass, ReadOnlySpan<int> labels, int classes)
    {
        double s = 0;
        for (int n = 0; n < pass.Count; n++) s -= Math.Log(Math.Max(pass.Probabilities[n * classes + labels[n]], double.Epsilon));
        return s / pass.Count;
    }
}

using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Operators;

/// <summary>
/// The Fisher of a softmax classifier (any <see cref="IDifferentiableClassifier"/>: an MLP or a CNN) on a data set, F = (1/N) Σ_n J_nᵀ H_n J_n (J_n the logit Jacobian of
/// input n, H_n its <see cref="OutputCurvature"/>), as a matrix-free operator: F v is one batched
/// Jacobian-vector product, a C×C product per input and one batched vector-Jacobian product, so no P×P
/// matrix is ever formed. The layer-wise variant keeps only the diagonal blocks F_ll (layer l's weights
/// and biases); block l costs a product that starts at layer l and a backward pass that stops there, forming layer l's
/// gradients only.
/// <see cref="ApplyBlock"/> multiplies many vectors with the same passes (each layer one GEMM for all of them),
/// with results identical to one <see cref="Apply"/> per vector.
/// The model's parameters are copied at construction: the operator is a fixed matrix. One product at a time.
/// </summary>
public sealed class ClassifierFisher : ISymmetricOperator
{
    private readonly IDifferentiableClassifier _model;
    private readonly IClassifierPass _pass;
    private readonly OutputCurvature _curvature;
    private double[] _tangent = [], _cotangent = [], _gradient = [];

    public FisherKind Kind { get; }
    public FisherBlocks Blocks { get; }
    public int Dimension => _model.ParameterCount;
    public int SampleCount => _pass.Count;

    private ClassifierFisher(IDifferentiableClassifier model, IClassifierPass pass, OutputCurvature curvature, FisherKind kind, FisherBlocks blocks)
    {
        _model = model; _pass = pass; _curvature = curvature; Kind = kind; Blocks = blocks;
    }

    /// <param name="labels">The data labels (read by the empirical Fisher only).</param>
    /// <param name="monteCarloSamples">Labels drawn per input for the Monte Carlo Fisher (m = 1 in seed 003).</param>
    /// <param name="seed">Addresses the Monte Carlo labels: input n draws from seed.Child("fisher-mc-labels").Child(n).</param>
    public static ClassifierFisher Create(IDifferentiableClassifier model, ReadOnlySpan<double> inputs, ReadOnlySpan<int> labels, FisherKind kind,
        FisherBlocks blocks, int monteCarloSamples, SeedSequence seed)
    {
        var frozen = model.Clone();
        var pass = frozen.Forward(inputs, labels.Length);
        frozen.PrepareForProducts(pass);
        return new ClassifierFisher(frozen, pass, OutputCurvature.For(kind, pass.Probabilities, frozen.Classes, labels, monteCarloSamples, seed), kind, blocks);
    }

    /// <summary>The parameter ranges of the diagonal blocks (one per layer, or one covering θ when full).</summary>
    public IReadOnlyList<(int Offset, int Length)> BlockRanges =>
        Blocks == FisherBlocks.Full ? [(0, Dimension)] : Enumerable.Range(0, _model.LayerCount).Select(_model.LayerBlock).ToArray();

    public void Apply(ReadOnlySpan<double> source, Span<double> destination)
    {
        if (source.Length != Dimension || destination.Length != Dimension) throw new ArgumentException($"vectors must have length {Dimension}");
        ApplyBlock(source, destination, 1);
    }

    public void ApplyBlock(ReadOnlySpan<double> source, Span<double> destination, int count)
    {
        int p = Dimension;
        if (count < 1 || source.Length < (long)count * p || destination.Length < (long)count * p)
            throw new ArgumentException("source and destination must hold count vectors of the operator's dimension");
        source = source[..(count * p)];
        destination = destination[..(count * p)];
        int logits = _pass.Count * count * _model.Classes;
        if (_tangent.Length < logits) { _tangent = new double[logits]; _cotangent = new double[logits]; }
        var tangent = _tangent.AsSpan(0, logits);
        var cotangent = _cotangent.AsSpan(0, logits);
        double scale = 1.0 / _pass.Count;
        if (Blocks == FisherBlocks.Full)
        {
            _model.Jvp(_pass, source, count, tangent);
            _curvature.Apply(tangent, cotangent, count);
            _model.Vjp(_pass, cotangent, count, destination);
            for (int k = 0; k < destination.Length; k++) destination[k] *= scale;
            return;
        }
        if (_gradient.Length < count * p) _gradient = new double[count * p];
        var gradient = _gradient.AsSpan(0, count * p);
        for (int l = 0; l < _model.LayerCount; l++)
        {
            _model.Jvp(_pass, source, count, tangent, firstLayer: l, lastLayer: l);
            _curvature.Apply(tangent, cotangent, count);
            _model.Vjp(_pass, cotangent, count, gradient, lowestLayer: l, highestLayer: l);
            var (offset, length) = _model.LayerBlock(l);
            for (int c = 0; c < count; c++)
            {
                var block = gradient.Slice(c * p + offset, length);
                var target = destination.Slice(c * p + offset, length);
                for (int k = 0; k < length; k++) target[k] = scale * block[k];
            }
        }
    }
}

using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.Classifiers;

/// <summary>
/// <see cref="IDifferentiableClassifier"/> for a network with its own forward-pass type: the network implements the
/// members typed by its pass, and the interface's untyped members hand them only passes it made itself (a Jacobian product
/// needs the activations stored by this model's forward pass).
/// </summary>
public abstract class DifferentiableClassifier<TPass> : IDifferentiableClassifier where TPass : class, IClassifierPass
{
    public abstract double[] Parameters { get; }
    public abstract int ParameterCount { get; }
    public abstract int InputDimension { get; }
    public abstract int Classes { get; }
    public abstract int LayerCount { get; }
    public abstract string Description { get; }
    public abstract (int Offset, int Length) LayerBlock(int l);

    public abstract TPass Forward(ReadOnlySpan<double> inputs, int count);

    /// <inheritdoc cref="IDifferentiableClassifier.Jvp"/>
    public abstract void Jvp(TPass pass, ReadOnlySpan<double> v, int directions, Span<double> logitTangent, int firstLayer = 0, int lastLayer = int.MaxValue);

    /// <inheritdoc cref="IDifferentiableClassifier.Vjp"/>
    public abstract void Vjp(TPass pass, ReadOnlySpan<double> logitCotangent, int directions, Span<double> gradient, int lowestLayer = 0, int highestLayer = int.MaxValue);

    /// <inheritdoc cref="IDifferentiableClassifier.KroneckerFactors"/>
    public abstract (SymmetricMatrix[] InputFactors, SymmetricMatrix[] OutputFactors) KroneckerFactors(TPass pass, ReadOnlySpan<double> factors, int rank);

    /// <inheritdoc cref="IDifferentiableClassifier.PrepareForProducts"/>
    public virtual void PrepareForProducts(TPass pass) => CheckPass(pass);

    /// <summary>Whether this model made the pass.</summary>
    protected abstract bool Made(TPass pass);

    protected abstract IDifferentiableClassifier CloneClassifier();

    /// <summary>Throws unless this model made the pass.</summary>
    protected void CheckPass(TPass pass)
    {
        if (!Made(pass)) throw new ArgumentException("the forward pass belongs to another model");
    }

    private TPass Own(IClassifierPass pass) =>
        pass is TPass own && Made(own) ? own : throw new ArgumentException("the forward pass belongs to another model");

    IClassifierPass IDifferentiableClassifier.Forward(ReadOnlySpan<double> inputs, int count) => Forward(inputs, count);

    void IDifferentiableClassifier.Jvp(IClassifierPass pass, ReadOnlySpan<double> v, int directions, Span<double> logitTangent, int firstLayer, int lastLayer) =>
        Jvp(Own(pass), v, directions, logitTangent, firstLayer, lastLayer);

    void IDifferentiableClassifier.Vjp(IClassifierPass pass, ReadOnlySpan<double> logitCotangent, int directions, Span<double> gradient, int lowestLayer, int highestLayer) =>
        Vjp(Own(pass), logitCotangent, directions, gradient, lowestLayer, highestLayer);

    void IDifferentiableClassifier.PrepareForProducts(IClassifierPass pass) => PrepareForProducts(Own(pass));

    (SymmetricMatrix[] InputFactors, SymmetricMatrix[] OutputFactors) IDifferentiableClassifier.KroneckerFactors(IClassifierPass pass, ReadOnlySpan<double> factors, int rank) =>
        KroneckerFactors(Own(pass), factors, rank);

    IDifferentiableClassifier IDifferentiableClassifier.Clone() => CloneClassifier();
}

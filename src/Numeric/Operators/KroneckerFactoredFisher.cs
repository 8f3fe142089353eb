using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Operators;

/// <summary>
/// K-FAC (Martens and Grosse, 2015; for convolutions Grosse and Martens, 2016) of a softmax classifier's Fisher: the
/// layer-wise Fisher's block F_ll is replaced by a Kronecker product A_l ⊗ G_l of an input factor and an output factor,
/// which the model computes (<see cref="IDifferentiableClassifier.KroneckerFactors"/>). For a dense layer
/// A_l = (1/N) Σ_n ā_n ā_nᵀ (ā_n = [layer l's input; 1], the bias folded in as a last row of W_l) and
/// G_l = (1/N) Σ_n Σ_k δ_{n,k} δ_{n,k}ᵀ, δ_{n,k} = ∂(f_{n,k} · z_L)/∂s_l the cotangent of layer l's pre-activation output for
/// the output-curvature factors f_{n,k} (H_n = Σ_k f_{n,k} f_{n,k}ᵀ; see <see cref="OutputCurvature"/>); a convolution sums
/// A_l over its T_l spatial locations and averages G_l over them (KFC). Layer l's parameters form the
/// (fan-in + 1) × fan-out row-major matrix M_l (W_l, then b_l as its last row), so the product is M_l ↦ A_l M_l G_l:
/// two GEMMs, never the Kronecker matrix. Its eigenvalues are the products a_i g_j of the factors' eigenvalues. For a
/// dense network it is exact when the δ-Gram does not vary over the inputs, e.g. for one input.
/// </summary>
public sealed class KroneckerFactoredFisher : ISymmetricOperator
{
    private readonly int[] _rows, _cols, _offsets;
    private double[] _side = [], _half = [];

    /// <summary>A_l, (fan-in + 1)² each.</summary>
    public IReadOnlyList<SymmetricMatrix> InputFactors { get; }

    /// <summary>G_l, fan-out² each.</summary>
    public IReadOnlyList<SymmetricMatrix> OutputFactors { get; }

    /// <summary>Which Fisher's output curvature the G_l average (exact, MC or empirical).</summary>
    public FisherKind Curvature { get; }

    public int Dimension { get; }
    public int LayerCount => _rows.Length;

    private KroneckerFactoredFisher(IDifferentiableClassifier model, IReadOnlyList<SymmetricMatrix> a, IReadOnlyList<SymmetricMatrix> g, FisherKind curvature)
    {
        int layers = model.LayerCount;
        _rows = new int[layers]; _cols = new int[layers]; _offsets = new int[layers];
        for (int l = 0; l < layers; l++)
        {
            var (offset, length) = model.LayerBlock(l);
            _rows[l] = a[l].N; _cols[l] = g[l].N; _offsets[l] = offset;
            if ((long)a[l].N * g[l].N != length) throw new ArgumentException($"the K-FAC factors of layer {l} do not match its {length} parameters");
        }
        Dimension = model.ParameterCount;
        InputFactors = a; OutputFactors = g; Curvature = curvature;
    }

    /// <param name="curvature">Exact, MonteCarlo or Empirical: whose output curvature G_l averages (K-FAC proper uses the exact one).</param>
    /// <param name="seed">Addresses the Monte Carlo labels as in <see cref="ClassifierFisher.Create"/>.</param>
    public static KroneckerFactoredFisher Create(IDifferentiableClassifier model, ReadOnlySpan<double> inputs, ReadOnlySpan<int> labels, FisherKind curvature,
        int monteCarloSamples, SeedSequence seed)
    {
        var pass = model.Forward(inputs, labels.Length);
        var h = OutputCurvature.For(curvature, pass.Probabilities, model.Classes, labels, monteCarloSamples, seed);
        var (a, g) = model.KroneckerFactors(pass, h.Factors, h.Rank);
        for (int l = 0; l < a.Length; l++)
            if (a[l].HasNonFinite() || g[l].HasNonFinite()) throw new NumericalException($"a K-FAC factor of layer {l} has a non-finite entry");
        return new KroneckerFactoredFisher(model, a, g, curvature);
    }

    /// <summary>The range of θ holding layer l (its weights then its biases), as in <see cref="IDifferentiableClassifier.LayerBlock"/>.</summary>
    public (int Offset, int Length) LayerBlock(int l) => (_offsets[l], _rows[l] * _cols[l]);

    public void Apply(ReadOnlySpan<double> source, Span<double> destination)
    {
        if (source.Length != Dimension || destination.Length != Dimension) throw new ArgumentException($"vectors must have length {Dimension}");
        ApplyBlock(source, destination, 1);
    }

    /// <summary>Per layer: A_l·[M_1 … M_count] in one GEMM, then that product viewed as ((fan-in + 1)·count) × fan-out times G_l in another.</summary>
    public void ApplyBlock(ReadOnlySpan<double> source, Span<double> destination, int count)
    {
        if (count < 1 || source.Length < (long)count * Dimension || destination.Length < (long)count * Dimension)
            throw new ArgumentException("source and destination must hold count vectors of the operator's dimension");
        source = source[..(count * Dimension)];
        destination = destination[..(count * Dimension)];
        for (int l = 0; l < LayerCount; l++)
        {
            int rows = _rows[l], cols = _cols[l], width = count * cols;
            if (_side.Length < rows * width) { _side = new double[rows * width]; _half = new double[rows * width]; }
            var side = _side.AsSpan(0, rows * width);
            var half = _half.AsSpan(0, rows * width);
            SideBySide.Gather(source, count, _offsets[l], rows, cols, side);
            Gemm.Multiply(Op.None, Op.None, rows, width, rows, 1, InputFactors[l].Data, rows, side, width, 0, half, width);
            Gemm.Multiply(Op.None, Op.None, rows * count, cols, cols, 1, half, cols, OutputFactors[l].Data, cols, 0, side, cols);
            SideBySide.Scatter(side, count, _offsets[l], rows, cols, destination);
        }
    }
}

using FimVerify.Numeric.Activations;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Mlps;

/// <summary>
/// A random fully connected network u^l = W^l h^{l−1} + b^l, h^l = φ(u^l), f = u^L (MATH.md §2), with
/// W^l_ij ~ N(0, σ_w²/M_{l−1}) and b^l_i ~ N(0, σ_b²). Weights are stored as they act (M_l × M_{l−1},
/// row-major); the NTK parameterisation is the same function with θ = (ω, β), W = σ_w ω/√M_{l−1}, b = σ_b β,
/// and differs only in how gradients are scaled (see <see cref="MlpDualGram"/>).
/// Batches are row-major T × M_l matrices: one row per input sample.
/// </summary>
public sealed class Mlp
{
    public IActivation Activation { get; }
    /// <summary>M_0 … M_L (M_L = C outputs).</summary>
    public int[] Widths { get; }
    public double SigmaW2 { get; }
    public double SigmaB2 { get; }
    /// <summary>Weights[l−1] is W^l (M_l × M_{l−1}).</summary>
    public double[][] Weights { get; }
    /// <summary>Biases[l−1] is b^l.</summary>
    public double[][] Biases { get; }
    public int Depth => Widths.Length - 1;
    public int Outputs => Widths[^1];

    public Mlp(IActivation activation, int[] widths, double sigmaW2, double sigmaB2, double[][] weights, double[][] biases)
    {
        if (widths.Length < 2) throw new ArgumentException("a network needs an input and an output width");
        foreach (var w in widths) if (w < 1) throw new ArgumentException($"every width must be positive, but got {w}");
        Activation = activation; Widths = widths; SigmaW2 = sigmaW2; SigmaB2 = sigmaB2; Weights = weights; Biases = biases;
    }

    /// <summary>Samples the parameters; the stream of layer l is seed/"weights"/l (resp. "biases"), so it is addressable.</summary>
    public static Mlp Sample(IActivation activation, int[] widths, double sigmaW2, double sigmaB2, SeedSequence seed)
    {
        if (!(sigmaW2 > 0)) throw new ArgumentException($"σ_w² must be positive, but got {sigmaW2}");
        if (!(sigmaB2 >= 0)) throw new ArgumentException($"σ_b² must be non-negative, but got {sigmaB2}");
        int L = widths.Length - 1;
        var weights = new double[L][];
        var biases = new double[L][];
        for (int l = 1; l <= L; l++)
            // Uninitialised (every entry is drawn below) and, for a network whose owner hands it back (Recycle), reused.
            weights[l - 1] = Resources.RecycledArrays.Rent(Resources.CheckedSize.ArrayLength(Resources.CheckedSize.Multiply(widths[l], widths[l - 1]), $"the weights of layer {l} ({widths[l]}×{widths[l - 1]})"));
        // Each layer draws from its own stream, so the layers can be drawn at once on every core with the same numbers (the widest first).
        var order = Enumerable.Range(1, L).OrderByDescending(l => weights[l - 1].Length).ToArray();
        Parallel.ForEach(order, Resources.KernelThreads.Options(), l =>
        {
            seed.Child("weights").Child(l).CreateSampler().FillGaussian(weights[l - 1], Math.Sqrt(sigmaW2 / widths[l - 1]));
            biases[l - 1] = new double[widths[l]];
            seed.Child("biases").Child(l).CreateSampler().FillGaussian(biases[l - 1], Math.Sqrt(sigmaB2));
        });
        return new Mlp(activation, widths, sigmaW2, sigmaB2, weights, biases);
    }

    public static Mlp Sample(IActivation activation, NetworkShape shape, int width, int outputs, SeedSequence seed) =>
        Sample(activation, shape.Widths(width, outputs), shape.SigmaW2, shape.SigmaB2, seed);

    /// <summary>T standard Gaussian inputs (T × M_0) from the stream seed/"inputs".</summary>
    public double[] SampleInputs(int samples, SeedSequence seed)
    {
        var x = new double[Resources.CheckedSize.ArrayLength(Resources.CheckedSize.Multiply(samples, Widths[0]), $"the {samples}×{Widths[0]} inputs")];
        seed.Child("inputs").CreateSampler().FillGaussian(x);
        return x;
    }

    /// <summary>Number of parameters P = Σ_l (M_l M_{l−1} + M_l).</summary>
    public long ParameterCount => Enumerable.Range(1, Depth).Sum(l => (long)Widths[l] * Widths[l - 1] + Widths[l]);

    private int _recycled;

    /// <summary>
    /// Hands the weight arrays to <see cref="Resources.RecycledArrays"/> for the next network sampled: only the owner of a sampled
    /// network calls it, once, when nothing reads the network, its weights or an object that reads them lazily any more.
    /// </summary>
    public void Recycle()
    {
        if (Interlocked.Exchange(ref _recycled, 1) != 0) throw new InvalidOperationException("the network was recycled already");
        foreach (var w in Weights) Resources.RecycledArrays.Return(w);
    }

    /// <summary>Forward pass on a batch; throws <see cref="NumericalException"/> on a NaN or infinity.</summary>
    public ForwardPass Forward(double[] inputs, int samples)
    {
        if (Volatile.Read(ref _recycled) != 0) throw new InvalidOperationException("the network was recycled: its weights belong to another one now");
        if (inputs.Length != samples * Widths[0]) throw new ArgumentException($"expected {samples}×{Widths[0]} inputs");
        var u = new double[Depth + 1][];
        var h = new double[Depth + 1][];
        h[0] = inputs;
        for (int l = 1; l <= Depth; l++)
        {
            int mPrev = Widths[l - 1], m = Widths[l];
            u[l] = GC.AllocateUninitializedArray<double>(samples * m); // every row gets the bias, then the product added
            for (int t = 0; t < samples; t++) Biases[l - 1].CopyTo(u[l].AsSpan(t * m, m));
            Gemm.Multiply(Op.None, Op.Transpose, samples, m, mPrev, 1.0, h[l - 1], mPrev, Weights[l - 1], mPrev, 1.0, u[l], m);
            h[l] = l < Depth ? GC.AllocateUninitializedArray<double>(samples * m) : u[l]; // linear output
            // φ and the finiteness check, row by row on every core (a wide layer's tanh is tens of ms on one).
            var (ul, hl, hidden) = (u[l], h[l], l < Depth);
            int nonFinite = 0;
            Parallel.For(0, samples, Resources.KernelThreads.Options(), t =>
            {
                var row = hl.AsSpan(t * m, m);
                if (hidden) Activation.Apply(ul.AsSpan(t * m, m), row);
                foreach (var v in row)
                    if (!double.IsFinite(v)) { Volatile.Write(ref nonFinite, 1); break; }
            });
            if (nonFinite != 0) throw new NumericalException($"the forward pass produced a non-finite value in layer {l}");
        }
        return new ForwardPass(this, samples, u, h);
    }
}

/// <summary>Pre-activations U[l] and activations H[l] (T × M_l, row-major) of one batch; H[0] is the input, H[L] = U[L].</summary>
public sealed record ForwardPass(Mlp Network, int Samples, double[][] U, double[][] H)
{
    public double[] Outputs => H[^1];
}

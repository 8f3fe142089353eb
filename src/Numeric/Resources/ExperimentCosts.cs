using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Mlps;
using FimVerify.Numeric.NaturalGradient;
using FimVerify.Numeric.Classifiers;
using FimVerify.Numeric.Classifiers.Convolutional;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Spectra;
using FimVerify.Numeric.Verification;


namespace FimVerify.Numeric.Resources;

/// <summary>
/// The one place that estimates what each experiment needs from its parameters alone, before it runs: the peak bytes of its
/// arrays, its arithmetic and its largest array (<see cref="ResourceEstimate"/>). Every command and report section asks here
/// and hands the answer to <see cref="ResourceLimits"/>, so the estimate and the refusal read the same everywhere. The
/// formulas count the dominant arrays and loops of the code they describe (named in each comment), rounded up: a
/// dense n×n eigenvalue problem holds 3n² doubles and costs 4n³ (6n² and 10n³ with eigenvectors); trials that run in parallel
/// hold their memory at once (<see cref="Concurrency"/>). Tests run requests under a heap limit just above their estimate.
/// </summary>
public static class ExperimentCosts
{
    /// <summary>How many trials run at once (and hold their memory at once): one per core (<see cref="TrialRunner"/>).</summary>
    public static int Concurrency => Environment.ProcessorCount;

    /// <summary>Bytes a trial's outcome keeps in a <see cref="TrialLog"/> until the verdicts are drawn (flags, measurements, objects).</summary>
    public const long TrialLogBytes = 1024;

    private static long Mul(params ReadOnlySpan<long> f) => CheckedSize.Multiply(f);
    private static long Add(params ReadOnlySpan<long> t) => CheckedSize.Add(t);
    private static double Cube(long n) => (double)n * n * n;

    /// <summary>Eigenvalues (and optionally eigenvectors) of a dense symmetric n×n matrix: the matrix, a copy and workspace.</summary>
    public static ResourceEstimate DenseEigen(long n, bool vectors = false) => vectors
        ? new ResourceEstimate(CheckedSize.Doubles(Mul(6, n, n)), 10 * Cube(n), Mul(n, n))
        : new ResourceEstimate(CheckedSize.Doubles(Mul(3, n, n)), 4 * Cube(n), Mul(n, n));

    /// <summary>The number of direction vectors of Theorem 2, (d+1)(d+2)/2.</summary>
    public static long DirectionCount(long d) => Mul(d + 1, d + 2) / 2;

    /// <summary>A shallow network W (d×p) with its column norms and unit columns (<see cref="ShallowReluNetwork"/>).</summary>
    public static ResourceEstimate ShallowNetwork(long d, long p) =>
        ResourceEstimate.Arrays(Mul(d, p), Mul(d, p), p).Plus(4.0 * d * p);

    /// <summary>The (d+1)(d+2)/2 direction vectors of length p (<see cref="DirectionVectors.Of"/>).</summary>
    public static ResourceEstimate Directions(long d, long p)
    {
        long m = DirectionCount(d);
        return new ResourceEstimate(CheckedSize.Doubles(Mul(m, p)), 4.0 * m * p, p);
    }

    /// <summary>J by Lemma 1, dense p×p: about 30 operations per entry of the upper triangle plus d per inner product.</summary>
    public static ResourceEstimate DenseJ(long d, long p) => ResourceEstimate.Array(Mul(p, p)).Plus((d + 30.0) * p * p / 2);

    /// <summary>
    /// Theorem 2's decomposition (<see cref="Theorem2Decomposition.Compute"/>): the directions and their scaled copy A (m×p),
    /// main = AᵀA, J and R (p×p each), by one GEMM of 2mp² operations.
    /// </summary>
    public static ResourceEstimate Theorem2Decomposition(long d, long p)
    {
        long m = DirectionCount(d);
        return ShallowNetwork(d, p).With(Directions(d, p)).With(ResourceEstimate.Array(Mul(m, p)))
            .With(ResourceEstimate.Arrays(Mul(p, p), Mul(p, p))).With(DenseJ(d, p)).Plus(2.0 * m * p * p);
    }

    /// <summary>`verify theorem2` (<see cref="Theorem2Check.Measure(int,int,long)"/>): the decomposition, R's eigenvalues, two tail checks of ≈ 300 terms per entry.</summary>
    public static ResourceEstimate Theorem2(long d, long p) =>
        Theorem2Decomposition(d, p).With(DenseEigen(p)).Plus(300.0 * p * p);

    /// <summary>
    /// One trial of Theorem 3 (<see cref="Theorem3Experiment.Run"/>): W, the directions and their Gram (m², m²p operations); with J
    /// up to the dense limit the decomposition, the unit vectors, u J uᵀ (mp² operations) and two eigenvalue problems; above it the
    /// truncation's Gram (r², p·r² operations) and its eigenvalues (<see cref="TruncatedKernelBounds"/>).
    /// </summary>
    public static ResourceEstimate Theorem3Trial(Theorem3Parameters prm)
    {
        long d = prm.D, p = prm.P, m = DirectionCount(d);
        var lemma2 = ShallowNetwork(d, p).With(Directions(d, p)).With(ResourceEstimate.Array(Mul(m, m))).Plus((double)m * m * p);
        if (!prm.WithJ) return lemma2;
        var units = ResourceEstimate.Array(Mul(m, p));
        if (!prm.Certified)
            return lemma2.With(units).With(Theorem2Decomposition(d, p)).With(DenseEigen(p)).Plus((double)m * p * p + 4 * Cube(p));
        int order = prm.TruncationOrder;
        long r = TruncatedKernelBounds.RankOf(prm.D, order);
        var grams = ResourceEstimate.Arrays(Mul(r, r), Mul(r, Math.Max(1, m)), Mul(TruncatedKernelBounds.BlockRows, Add(r, m)))
            .Plus((double)p * ((double)r * r + (double)r * m));
        return lemma2.With(units).With(grams).With(DenseEigen(r)).Plus(4 * Cube(r));
    }

    /// <summary>
    /// `verify theorem3` and the report's Theorem 3 families: <paramref name="trials"/> trials of which one per core runs at
    /// once, and every trial's outcome kept until the verdicts.
    /// </summary>
    public static ResourceEstimate Theorem3(Theorem3Parameters prm, long trials) =>
        Theorem3Trial(prm).Repeated(trials, Concurrency).With(new ResourceEstimate(Mul(trials, TrialLogBytes), 0, trials));

    /// <summary>
    /// `verify lemma1` (<see cref="Lemma1Check.Run"/>): J, 16 Monte Carlo chunks each holding two p×p sums (<see cref="MonteCarloFisher"/>),
    /// the mean and standard-error matrices and the eigenvalues; two SYRKs of p² operations per sample.
    /// </summary>
    public static ResourceEstimate Lemma1(long d, long p, long samples)
    {
        long pp = Mul(p, p);
        var chunks = new ResourceEstimate(CheckedSize.Doubles(Mul(2 * MonteCarloFisher.Chunks, pp)), 0, pp)
            .With(ResourceEstimate.Array(Mul(MonteCarloFisher.Chunks, 3 * MonteCarloFisher.BatchSize, p)));
        return ShallowNetwork(d, p).With(DenseJ(d, p)).With(chunks).With(ResourceEstimate.Arrays(pp, pp)).With(DenseEigen(p))
            .Plus(2.0 * samples * p * (p + d));
    }

    /// <summary>
    /// `spectrum shallow` (<see cref="ShallowSpectrum"/>): dense J (or J⁽ⁿ⁾ from n inputs in batches, 2np² operations) and its top
    /// eigenpairs; above the dense limit block Lanczos on J matrix-free (a basis and its images of maxDim × p, blocks of p² d
    /// operations per vector); then the directions orthonormalised group by group (2·m·min(m, p)·p operations, twice).
    /// </summary>
    public static ResourceEstimate Spectrum(long d, long p, long? n, long top, bool matrixFree)
    {
        long m = DirectionCount(d);
        top = Math.Min(top, p);
        ResourceEstimate j;
        if (matrixFree)
        {
            long b = Math.Min(p, top + Math.Max(2, top / 5)), maxDim = Math.Min(p, Math.Max(10 * b, Math.Max(4 * top + 40, 120)));
            // About maxDim/b block products, each forming every κ(ŵ_i·ŵ_j) on the fly (2d + 30 operations) and applying it to b
            // vectors, plus the full reorthogonalisation of the basis.
            j = ResourceEstimate.Arrays(Mul(maxDim, p), Mul(maxDim, p), Mul(maxDim, maxDim), Mul(ReluKernelOperator.BlockChunks + 2, b, p))
                .Plus((double)maxDim / b * p * p * (2.0 * d + 30 + 2.0 * b) + 4.0 * maxDim * maxDim * p);
        }
        else
        {
            j = DenseJ(d, p).With(DenseEigen(p, vectors: true));
            if (n is long samples) j = j.With(ResourceEstimate.Array(Mul(EmpiricalFisher.BatchSize, p))).Plus(2.0 * samples * p * (p + d));
        }
        var labels = Directions(d, p).With(ResourceEstimate.Array(Mul(Math.Min(m, p), p))).Plus(4.0 * m * Math.Min(m, p) * p);
        return ShallowNetwork(d, p).With(j).With(labels);
    }

    /// <summary>
    /// One network of the mean-field experiments (<see cref="FimSpectrumExperiment"/>, <see cref="FimStatistics"/>): weights
    /// Σ M_l M_{l−1}, the forward pass (2T·ΣM_l), the backward signals (CT·ΣM_l), one CT×CT Gram per layer plus the dual and a
    /// variant's copies (4 more), and the dual's eigenvalues; the forward and backward GEMMs cost 2(T + CT)·ΣM_l M_{l−1}, the Grams
    /// (CT)²(M_l + 3) per layer. <paramref name="widths"/> are M_0 … M_L (M_L = C).
    /// </summary>
    public static ResourceEstimate MeanFieldNetwork(IReadOnlyList<long> widths, long samples)
    {
        int depth = widths.Count - 1;
        long c = widths[^1], ct = Mul(c, samples);
        long weights = 0, units = 0, largest = 0;
        double gemm = 0, grams = 0;
        for (int l = 1; l <= depth; l++)
        {
            long w = Mul(widths[l], widths[l - 1]);
            weights = Add(weights, w, widths[l]);
            units = Add(units, widths[l]);
            largest = Math.Max(largest, w);
            gemm += 2.0 * (samples + ct) * widths[l] * widths[l - 1];
            grams += (double)ct * ct * (widths[l] + 3) + (double)samples * samples * widths[l - 1];
        }
        long activations = Mul(Add(2 * samples, ct), Add(units, widths[0]));
        long duals = Mul(depth + 5, ct, ct);
        return new ResourceEstimate(CheckedSize.Doubles(Add(weights, activations, duals)), gemm + grams, Math.Max(largest, Mul(ct, ct)))
            .With(DenseEigen(ct));
    }

    /// <summary>Layer widths M_0 … M_L of <paramref name="shape"/> at base width M (saturating, so absurd ratios are refused, not wrapped).</summary>
    public static long[] Widths(NetworkShape shape, long width, long outputs)
    {
        var w = new long[shape.Depth + 1];
        for (int l = 0; l < shape.Depth; l++) w[l] = Math.Max(1, CheckedSize.Ceiling(Math.Round(shape.WidthRatios[l] * width)));
        w[shape.Depth] = outputs;
        return w;
    }

    /// <summary>`fim-stats`: its trials one after another (one network's memory at a time), each outcome kept.</summary>
    public static ResourceEstimate FimStats(NetworkShape shape, long width, long samples, long outputs, long trials) =>
        MeanFieldNetwork(Widths(shape, width, outputs), samples).Repeated(trials, 1)
            .With(new ResourceEstimate(Mul(trials, TrialLogBytes), 0, 0));

    /// <summary>A width sweep of <paramref name="trials"/> networks per width, trials in parallel (the report's mean-field sections).</summary>
    public static ResourceEstimate MeanFieldSweep(NetworkShape shape, IEnumerable<long> widths, long samples, long outputs, long trials, long concurrent)
    {
        var total = ResourceEstimate.None;
        foreach (long m in widths) total = total.Then(MeanFieldNetwork(Widths(shape, m, outputs), samples).Repeated(trials, concurrent));
        return total;
    }

    /// <summary>
    /// One network of `verify ngd-scales` (<see cref="NaturalGradientExperiment"/>): the weights, one step's update and the stepped
    /// network (3·Σ M_l M_{l−1}), passes of N×M per layer, N×N Grams; per metric a step (GEMMs of N·ΣM_l M_{l−1}) and two forward
    /// passes, and unit-wise one pseudo-inverse of at most N×N per hidden unit (N³ each).
    /// </summary>
    public static ResourceEstimate NaturalGradientNetwork(long depth, long width, long samples)
    {
        long weights = Mul(depth, Add(Mul(width, width), width)), passes = Mul(4 * (depth + 1), samples, width);
        var memory = new ResourceEstimate(CheckedSize.Doubles(Add(Mul(3, weights), passes, Mul(4 * (depth + 2), samples, samples))), 0, Mul(width, width));
        double perMetric = 6.0 * samples * weights + 4.0 * depth * samples * samples * width;
        return memory.Plus(4 * perMetric + (double)depth * width * Cube(samples) + 4 * Cube(samples) * depth);
    }

    /// <summary>`verify ngd-scales`: every width's trials, one network a core at a time (<see cref="TrialRunner.Map"/>).</summary>
    public static ResourceEstimate NaturalGradientSweep(long depth, IEnumerable<long> widths, long samples, long trials)
    {
        var total = ResourceEstimate.None;
        foreach (long m in widths) total = total.Then(NaturalGradientNetwork(depth, m, samples).Repeated(trials, Concurrency));
        return total;
    }

    /// <summary>
    /// `density` (<see cref="DensityExperiment"/>) for N inputs of dimension d, the hidden widths and C classes: the data, the model
    /// and its gradient, SGD (6P operations per example and epoch), and per panel the forward pass and curvature factors, the
    /// Fisher–vector products of a block of probes (4NP operations per vector, a widest-layer buffer of N·block·width),
    /// SLQ's lockstep basis (at most <see cref="StochasticLanczosQuadrature.BasisBudget"/> doubles; reorthogonalisation 4·steps·P
    /// per step), the dense Fisher and its eigenvalues when P ≤ the exact limit (P products), K-FAC's factors and their
    /// eigenvalues, and Lanczos for the top eigenvalues (a basis and images of maxIter × P).
    /// </summary>
    public static ResourceEstimate Density(long samples, long dimension, IReadOnlyList<int> hidden, long classes, DensityOptions o, SgdSettings training)
    {
        var widths = new List<long> { dimension };
        widths.AddRange(hidden.Select(h => (long)h));
        widths.Add(classes);
        long p = 0, widest = 0, units = 0;
        for (int l = 0; l + 1 < widths.Count; l++) p = Add(p, Mul(widths[l], widths[l + 1]), widths[l + 1]);
        foreach (long h in hidden) { widest = Math.Max(widest, h); units = Add(units, h); }
        widest = Math.Max(widest, classes);
        int layers = widths.Count - 1;
        var model = ResourceEstimate.Arrays(Mul(samples, dimension), p, p, Mul(training.BatchSize, Add(dimension, Mul(2, units), classes)))
            .Plus(6.0 * training.Epochs * samples * p);
        long rank = Math.Max(classes, o.MonteCarloSamples);
        var pass = ResourceEstimate.Arrays(Mul(2, samples, Add(units, classes)), Mul(samples, rank, classes), Mul(samples, classes, classes));
        var panel = ResourceEstimate.None;
        bool layerWise = o.Blocks.Contains(FisherBlocks.LayerWise);
        double product = 4.0 * samples * p * (layerWise ? layers : 1);
        if (o.Method == DensityMethod.Slq)
        {
            long steps = Math.Min(o.Slq.Steps, p);
            long group = Math.Clamp(StochasticLanczosQuadrature.BasisBudget / Math.Max(1, Mul(steps, p)), 1, Math.Max(1, o.Slq.Probes));
            long block = Math.Min(group, o.Slq.Probes);
            long rows = Mul(samples, block, Add(widest, classes));
            var slq = ResourceEstimate.Arrays(Mul(block, steps + 3, p), rows, rows, rows, Mul(widest, block, widest))
                .Plus((double)o.Slq.Probes * steps * (product + 4.0 * steps * p));
            panel = panel.With(slq);
        }
        if (p <= o.ExactLimit || o.Method == DensityMethod.Exact)
        {
            long rows = Mul(64, samples, Add(widest, classes));   // the products of 64 unit vectors at a time
            panel = panel.With(ResourceEstimate.Arrays(Mul(2, 64, p), rows, rows, rows).With(DenseEigen(p)).Plus(p * product));
        }
        if (o.Kinds.Contains(FisherKind.KroneckerFactored))
        {
            var kfac = ResourceEstimate.None;
            for (int l = 0; l + 1 < widths.Count; l++)
                kfac = kfac.With(DenseEigen(widths[l] + 1)).With(DenseEigen(widths[l + 1]))
                    .With(ResourceEstimate.Array(Mul(samples, widths[l] + 1))).Plus(2.0 * samples * ((double)widths[l] * widths[l] + (double)widths[l + 1] * widths[l + 1]));
            panel = panel.With(kfac);
        }
        if (o.TopEigenvalues > 0)
        {
            long k = Math.Min(o.TopEigenvalues, p), maxIter = Math.Min(p, Math.Max(4 * k + 40, 120));
            panel = panel.With(ResourceEstimate.Arrays(Mul(maxIter, p), Mul(maxIter, p)).Plus(maxIter * (product + 4.0 * maxIter * p)));
        }
        long panels = Math.Max(1, o.Kinds.Count * o.Blocks.Count);
        var grid = ResourceEstimate.Arrays(Mul(panels, 2, o.GridPoints)).Plus((double)panels * o.GridPoints * o.Slq.Probes * Math.Min(o.Slq.Steps, p) * 2);
        return model.With(pass).With(panel.Repeated(panels, 1)).With(grid);
    }

    /// <summary>
    /// A density run of a convolutional classifier (`density --model cnn`): peak memory from the network's shapes (the data, one
    /// forward pass kept by the panel's operator, the scratch of a block product of the widest block — a lockstep group of SLQ
    /// probes, or the 64 unit vectors a dense reference is materialised with —, the Lanczos bases of one group, and with a dense
    /// reference four P×P matrices: the operator's, the eigen-solver's copy and the two powers the moment check multiplies); work
    /// from the GEMM FLOPs of one Fisher-vector product (<see cref="ConvolutionalNetworkShape.FisherProductFlops"/>) times the
    /// products each panel makes (SLQ steps per probe, P for a dense reference, the top-k Lanczos iterations), plus forming each
    /// panel's head Jacobian, plus training (matrix-free: its passes serve one product each).
    /// </summary>
    public static ResourceEstimate ConvolutionalDensity(ConvolutionalNetworkShape shape, int samples, DensityOptions options, SgdSettings training)
    {
        long p = shape.ParameterCount;
        bool dense = p <= options.ExactLimit || options.Method == DensityMethod.Exact;
        int group = StochasticLanczosQuadrature.GroupSize(shape.ParameterCount, options.Slq);
        int directions = Math.Max(options.Method == DensityMethod.Slq ? group : 1, dense ? (int)Math.Min(p, 64) : 1);
        long steps = Math.Min(options.Slq.Steps, p);
        long bases = options.Method == DensityMethod.Slq ? Mul(group, steps + 1, p) : 0;
        long curvature = Mul(samples, shape.Classes, Add(Mul(2, shape.Classes), Math.Max(options.MonteCarloSamples, shape.Classes)));
        long bytes = Add(CheckedSize.Doubles(Add(Mul(samples, shape.Input.Size), curvature, Mul(2, directions, p), bases, dense ? Mul(4, p, p) : 0)),
            shape.ForwardPassBytes(samples), shape.ProductScratchBytes(directions, samples));
        double product = shape.FisherProductFlops(samples);
        double perPanel = (options.Method == DensityMethod.Slq ? (double)options.Slq.Probes * steps : 0) + (dense ? p : 0)
            + (options.TopEigenvalues > 0 ? Math.Min(p, Math.Max(4 * options.TopEigenvalues + 40, 120)) : 0);
        long panels = Math.Max(1, options.Kinds.Count * options.Blocks.Count);
        double work = panels * (perPanel * product + shape.HeadJacobianFlops(samples)) + (dense ? panels * 10.0 * p * p * p : 0)
            + 3.0 * training.Epochs * shape.MatrixFreeProductFlops(samples) / 4;
        return new ResourceEstimate(bytes, work, Math.Max(dense ? Mul(p, p) : 0, Mul(group, steps + 1, p)));
    }

    /// <summary>
    /// `derive order-params` at depth L: the order parameters, the fixed point (quadrature), and the symbolic derivations of Theorem
    /// 3.1's statistics and the L block variants, which grow about linearly in L (4 s at L = 1000 on this project's machine), counted
    /// as 10⁷ operations per layer; memory about 100 kB per layer.
    /// </summary>
    public static ResourceEstimate OrderParameters(long depth) => new(Mul(depth, 100_000), 1e7 * depth + 1e8, 0);
}

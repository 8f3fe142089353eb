using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>Settings of <see cref="BlockLanczosSolver"/>.</summary>
/// <param name="Tolerance">A Ritz pair (θ, y) is accepted when ‖A y − θ y‖ ≤ Tolerance·‖A‖, with ‖A‖ estimated by the largest |Ritz value|.</param>
/// <param name="BlockSize">Vectors per block; 0 means min(n, k + max(2, k/5)) (a few more than k, so the k-th value converges at
/// the rate of its gap to the (b+1)-th).</param>
/// <param name="MaxDimension">Largest Krylov dimension (vectors); 0 means min(n, max(10·b, 4k + 40, 120)).</param>
/// <param name="ComputeVectors">Return the Ritz vectors of the top k values.</param>
public sealed record BlockLanczosOptions(double Tolerance = 1e-10, int BlockSize = 0, int MaxDimension = 0, bool ComputeVectors = false);

/// <summary>
/// Block Lanczos with full reorthogonalisation for the top-k eigenvalues of any <see cref="ISymmetricOperator"/>. Each step
/// applies the operator to a whole block through <see cref="ISymmetricOperator.ApplyBlock"/> (one pass over the operator's
/// data for b vectors), orthogonalises the images against the whole basis twice with GEMM ("twice is enough"), and
/// orthonormalises them within the block. The projection H = Qᵀ A Q is formed explicitly from the stored images A Q (so it
/// stays exact after deflation), and its eigenpairs are the Ritz pairs. A block method suits operators whose leading
/// eigenvalues come in clusters (J of the shallow ReLU network: 1 + d + d(d+1)/2 − 1 values in three groups), where a
/// single-vector method converges slowly inside a cluster and may miss copies of a repeated value.
/// Deflation: a new direction whose norm after orthogonalisation falls below 0.01·Tolerance·‖A‖ (the block's images lie
/// in the span found so far, an invariant subspace) is replaced by a fresh random vector orthogonal to the basis, and
/// counted in <see cref="LanczosResult.Restarts"/>, and convergence is not accepted at that step, so the complement of the
/// invariant subspace is explored first. (A block holds at most b directions of an eigenspace, so copies of an eigenvalue of
/// multiplicity above b come only from such fresh vectors, and can still be under-counted when the Ritz values converge before
/// the fresh vectors have found them; choose b at least the largest multiplicity expected, or use <see cref="DenseSymmetricEigen"/>.)
/// Convergence is first judged by the residual estimate ‖(I − QQᵀ) A Q s‖ (the last block's orthogonalised images), then
/// confirmed by explicit residuals A y − θ y from the stored images; non-convergence within MaxDimension or a non-finite
/// operator output raises <see cref="NumericalException"/>. The start block comes from the stream seed / "block-lanczos-start".
/// </summary>
public static class BlockLanczosSolver
{
    public static LanczosResult TopEigenpairs(ISymmetricOperator op, int k, SeedSequence seed, BlockLanczosOptions? options = null)
    {
        options ??= new BlockLanczosOptions();
        int n = op.Dimension;
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), $"k must be between 1 and the dimension {n}");
        if (!(options.Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(options), "the tolerance must be positive");
        if (options.BlockSize < 0 || options.MaxDimension < 0) throw new ArgumentOutOfRangeException(nameof(options), "block size and dimension must be non-negative");
        int b = Math.Min(n, options.BlockSize > 0 ? options.BlockSize : k + Math.Max(2, k / 5));
        int maxDim = Math.Min(n, options.MaxDimension > 0 ? options.MaxDimension : Math.Max(10 * b, Math.Max(4 * k + 40, 120)));
        if (maxDim < k) throw new ArgumentOutOfRangeException(nameof(options), "MaxDimension must be at least k");

        var basis = new double[(long)maxDim * n];   // q_j in row j
        var images = new double[(long)maxDim * n];  // A q_j in row j
        var h = new double[(long)maxDim * maxDim];  // Qᵀ A Q, row-major maxDim × maxDim
        var sampler = new StreamCounter(seed.Child("block-lanczos-start"));
        int restarts = 0;
        int m = 0, blockStart = 0, size = Math.Min(b, maxDim);
        for (int c = 0; c < size; c++)
            if (!sampler.FreshVector(basis, m + c, n)) throw new NumericalException("could not draw a start block");
        double normEstimate = 0;
        var residualBlock = new double[(long)b * n];
        int freshInBlock = size; // the start block is all fresh
        while (true)
        {
            m = blockStart + size;
            // Images of the new block, and the new columns of H = Qᵀ (A Q).
            op.ApplyBlock(basis.AsSpan(blockStart * n, size * n), images.AsSpan(blockStart * n, size * n), size);
            foreach (var x in images.AsSpan(blockStart * n, size * n))
                if (!double.IsFinite(x)) throw new NumericalException("the operator returned a non-finite value");
            for (int c = 0; c < size; c++)
                normEstimate = Math.Max(normEstimate, Math.Sqrt(Dot.Product(images.AsSpan((blockStart + c) * n, n), images.AsSpan((blockStart + c) * n, n))));
            var columns = new double[m * size];
            Gemm.Multiply(Op.None, Op.Transpose, m, size, n, 1, basis, n, images.AsSpan(blockStart * n, size * n), n, 0, columns, size);
            for (int i = 0; i < m; i++)
                for (int c = 0; c < size; c++)
                {
                    int j = blockStart + c;
                    double v = i >= blockStart ? 0.5 * (columns[i * size + c] + columns[j * size + (i - blockStart)]) : columns[i * size + c];
                    h[(long)i * maxDim + j] = h[(long)j * maxDim + i] = v;
                }

            // Residual block R = (I − QQᵀ) A Q_new, orthogonalised twice against the whole basis.
            var r = residualBlock.AsSpan(0, size * n);
            images.AsSpan(blockStart * n, size * n).CopyTo(r);
            ProjectOut(basis, m, n, r, size);

            // Rayleigh–Ritz on H, with residual estimates ‖R s_last‖ (s_last: the Ritz vector's last-block coordinates).
            var hm = new SymmetricMatrix(m);
            for (int i = 0; i < m; i++) h.AsSpan(i * maxDim, m).CopyTo(hm.Row(i));
            var ritz = DenseSymmetricEigen.Decompose(hm, computeVectors: true);
            double scale = Math.Max(Math.Abs(ritz.Values[0]), Math.Abs(ritz.Values[m - 1]));
            normEstimate = Math.Max(normEstimate, scale);

            // The next block is formed before convergence is judged, so that an invariant subspace (every new direction
            // deflated) is never mistaken for convergence while the complement may hold further copies of the top values.
            int room = Math.Min(maxDim, n) - m;
            var (next, deflated) = room > 0 ? NextBlock(basis, r, m, Math.Min(b, room), n, 0.01 * options.Tolerance * normEstimate, sampler) : (0, 0);
            restarts += deflated;
            // Accept at a deflating step only once fresh vectors have been through the operator (a low-rank operator deflates
            // at every step after its range is spanned), or when no room is left.
            bool judge = m >= k && (deflated == 0 || freshInBlock > 0 || next == 0);
            if (judge && (m == n || EstimatesConverged(ritz, r, size, blockStart, m, n, k, 0.5 * options.Tolerance * scale)))
            {
                var result = Finish(basis, images, ritz, m, n, k, options, restarts, scale);
                if (result is not null) return result;
                if (m == n) throw new NumericalException($"block Lanczos residuals stayed above {options.Tolerance:G3}·‖A‖ with the whole space spanned");
            }
            if (next == 0)
                throw new NumericalException($"block Lanczos did not converge to tolerance {options.Tolerance:G3} for the top {k} eigenvalues within {m} vectors");
            freshInBlock = deflated;
            blockStart = m;
            size = next;
        }
    }

    /// <summary>The k largest eigenvalues only, descending.</summary>
    public static double[] TopEigenvalues(ISymmetricOperator op, int k, SeedSequence seed, double tolerance = 1e-10) =>
        TopEigenpairs(op, k, seed, new BlockLanczosOptions(tolerance)).Values;

    /// <summary>
    /// Basis rows m..m+size−1 ← the residual directions R, orthonormalised within the block; a direction whose norm falls below
    /// <paramref name="drop"/> is deflated and replaced by a fresh random vector orthogonal to the basis. Returns the number of
    /// rows written (fewer than size only when no direction is left: the basis spans the space) and how many were deflated.
    /// </summary>
    private static (int Rows, int Deflated) NextBlock(double[] basis, ReadOnlySpan<double> r, int m, int size, int n, double drop, StreamCounter sampler)
    {
        bool cancelled = false;
        int deflated = 0;
        for (int c = 0; c < size; c++)
        {
            var q = basis.AsSpan((m + c) * n, n);
            r.Slice(c * n, n).CopyTo(q);
            double before = Math.Sqrt(Dot.Product(q, q));
            double norm = OrthonormaliseWithinBlock(basis, m, c, n, q);
            if (norm > drop)
            {
                cancelled |= norm < 0.5 * before;
                continue;
            }
            deflated++;
            if (!sampler.FreshVector(basis, m + c, n)) { size = c; break; }
        }
        // Heavy cancellation within the block magnifies what is left of the basis directions in the new vectors (common once
        // Ritz pairs converge): project the block against the basis once more and orthonormalise it again.
        if (cancelled && size > 0)
        {
            ProjectOut(basis, m, n, basis.AsSpan(m * n, size * n), size, passes: 1);
            for (int c = 0; c < size; c++)
                if (!(OrthonormaliseWithinBlock(basis, m, c, n, basis.AsSpan((m + c) * n, n)) > 0.5))
                    throw new NumericalException("block Lanczos lost orthogonality while forming a new block");
        }
        return (size, deflated);
    }

    /// <summary>q ← q minus its components along the block's earlier new vectors (basis rows start..start+c−1), twice; then
    /// q is normalised unless its norm is 0. Returns the norm before normalising.</summary>
    private static double OrthonormaliseWithinBlock(double[] basis, int start, int c, int n, Span<double> q)
    {
        for (int pass = 0; pass < 2; pass++)
            for (int c2 = 0; c2 < c; c2++)
            {
                var prior = basis.AsSpan((start + c2) * n, n);
                Dot.Axpy(-Dot.Product(prior, q), prior, q);
            }
        double norm = Math.Sqrt(Dot.Product(q, q));
        if (norm > 0) for (int t = 0; t < n; t++) q[t] /= norm;
        return norm;
    }

    /// <summary>v ← v − Q Qᵀ v for every row v of the block, <paramref name="passes"/> times (twice is enough), with Q the
    /// first <paramref name="count"/> basis vectors.</summary>
    private static void ProjectOut(double[] basis, int count, int n, Span<double> block, int rows, int passes = 2)
    {
        if (count == 0 || rows == 0) return;
        var coefficients = new double[rows * count];
        var q = basis.AsSpan(0, count * n);
        for (int pass = 0; pass < passes; pass++)
        {
            Gemm.Multiply(Op.None, Op.Transpose, rows, count, n, 1, block, n, q, n, 0, coefficients, count);
            Gemm.Multiply(Op.None, Op.None, rows, n, count, -1, coefficients, count, q, n, 1, block, n);
        }
    }

    /// <summary>Whether every one of the top k Ritz pairs has ‖R s_last‖ ≤ bound (R: the orthogonalised last-block images).</summary>
    private static bool EstimatesConverged(SymmetricEigenDecomposition ritz, ReadOnlySpan<double> r, int size, int blockStart, int m, int n, int k, double bound)
    {
        // G = R Rᵀ (size × size), then ‖R s‖² = sᵀ G s.
        var g = new double[size * size];
        Gemm.Multiply(Op.None, Op.Transpose, size, size, n, 1, r, n, r, n, 0, g, size);
        for (int i = 0; i < k; i++)
        {
            var s = ritz.Vectors!.AsSpan((m - 1 - i) * m + blockStart, size);
            double e = 0;
            for (int a = 0; a < size; a++)
                for (int c = 0; c < size; c++) e += s[a] * g[a * size + c] * s[c];
            if (!(Math.Sqrt(Math.Max(e, 0)) <= bound)) return false;
        }
        return true;
    }

    /// <summary>Ritz vectors Y = S Q and explicit residuals (AQ)ᵀS − θ Y; null when one residual exceeds the tolerance.</summary>
    private static LanczosResult? Finish(double[] basis, double[] images, SymmetricEigenDecomposition ritz, int m, int n, int k,
        BlockLanczosOptions options, int restarts, double scale)
    {
        var values = new double[k];
        var s = new double[k * m];
        for (int i = 0; i < k; i++)
        {
            values[i] = ritz.Values[m - 1 - i];
            ritz.Vectors!.AsSpan((m - 1 - i) * m, m).CopyTo(s.AsSpan(i * m, m));
        }
        var y = new double[(long)k * n];
        var ay = new double[(long)k * n];
        Gemm.Multiply(Op.None, Op.None, k, n, m, 1, s, m, basis, n, 0, y, n);
        Gemm.Multiply(Op.None, Op.None, k, n, m, 1, s, m, images, n, 0, ay, n);
        var residuals = new double[k];
        for (int i = 0; i < k; i++)
        {
            var yi = y.AsSpan(i * n, n);
            var ai = ay.AsSpan(i * n, n);
            double norm = Math.Sqrt(Dot.Product(yi, yi));
            for (int t = 0; t < n; t++) { yi[t] /= norm; ai[t] /= norm; }
            Dot.Axpy(-values[i], yi, ai);
            residuals[i] = Math.Sqrt(Dot.Product(ai, ai));
            if (!(residuals[i] <= options.Tolerance * scale)) return null;
        }
        return new LanczosResult(values, residuals, options.ComputeVectors ? y : null, m, restarts, scale);
    }

    /// <summary>Fresh random unit vectors, each from its own child stream (0, 1, 2, …), orthogonal to the basis before them.</summary>
    private sealed class StreamCounter(SeedSequence seed)
    {
        private int _drawn;

        /// <summary>Writes a unit vector orthogonal to basis rows 0..row−1 into row <paramref name="row"/>; false when none exists numerically.</summary>
        public bool FreshVector(double[] basis, int row, int n)
        {
            for (int attempt = 0; attempt < 3; attempt++)
            {
                var v = basis.AsSpan(row * n, n);
                seed.Child(_drawn++).CreateSampler().FillGaussian(v);
                double before = Math.Sqrt(Dot.Product(v, v));
                ProjectOut(basis, row, n, v, 1);
                double after = Math.Sqrt(Dot.Product(v, v));
                if (after > 1e-8 * before)
                {
                    for (int i = 0; i < n; i++) v[i] /= after;
                    return true;
                }
            }
            basis.AsSpan(row * n, n).Clear();
            return false;
        }
    }
}

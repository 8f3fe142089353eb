using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>Settings of <see cref="LanczosSolver"/>.</summary>
/// <param name="Tolerance">A Ritz pair (θ, y) is accepted when ‖A y − θ y‖ ≤ Tolerance·‖A‖, with ‖A‖ estimated by the largest |Ritz value|.</param>
/// <param name="MaxIterations">Largest Krylov dimension; 0 means min(n, max(4k + 40, 120)).</param>
/// <param name="ComputeVectors">Return the Ritz vectors of the top k values.</param>
public sealed record LanczosOptions(double Tolerance = 1e-10, int MaxIterations = 0, bool ComputeVectors = false);

/// <summary>
/// The k largest eigenvalues (descending) of a symmetric operator with their residual norms ‖A y − θ y‖ (measured
/// from the stored products A q_j, not from the Lanczos estimate). <see cref="Vectors"/> holds Ritz vector i in row i (row-major k×n) when asked for.
/// <see cref="Restarts"/> counts invariant subspaces found (Lanczos breakdowns followed by a fresh start vector).
/// </summary>
public sealed record LanczosResult(double[] Values, double[] Residuals, double[]? Vectors, int Iterations, int Restarts, double NormEstimate);

/// <summary>
/// Lanczos with full reorthogonalisation (classical Gram–Schmidt applied twice, in float64) for the top-k
/// eigenvalues of any <see cref="ISymmetricOperator"/>. The start vector comes from an addressed stream, so the
/// result is reproducible. On breakdown (β ≈ 0: the Krylov space is an invariant subspace) a fresh random
/// vector orthogonal to the basis continues the run, so eigenvalues outside that subspace — including further
/// copies of repeated eigenvalues — are still found, and the run never stops at a breakdown. (A single-vector method
/// finds one copy of an exactly repeated eigenvalue per start vector, so a multiplicity can still be under-counted when
/// a sequence converges before it breaks down; J with Gaussian weights has simple eigenvalues almost surely, and
/// <see cref="DenseSymmetricEigen"/> is the tool for exactly repeated ones.) Convergence is decided from the Lanczos residual estimate
/// |β_m s_mi| and then confirmed with explicit residuals; failure raises <see cref="NumericalException"/>.
/// </summary>
public static class LanczosSolver
{
    public static LanczosResult TopEigenpairs(ISymmetricOperator op, int k, SeedSequence seed, LanczosOptions? options = null)
    {
        options ??= new LanczosOptions();
        int n = op.Dimension;
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), $"k must be between 1 and the dimension {n}");
        if (!(options.Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(options), "the tolerance must be positive");
        int maxIter = options.MaxIterations > 0 ? Math.Min(options.MaxIterations, n) : Math.Min(n, Math.Max(4 * k + 40, 120));
        if (maxIter < k) throw new ArgumentOutOfRangeException(nameof(options), "MaxIterations must be at least k");

        var basis = new double[(long)maxIter * n];
        var images = new double[(long)maxIter * n]; // A q_j, kept so that Ritz residuals cost no further products
        var alpha = new double[maxIter];
        var beta = new double[maxIter]; // beta[j] couples q_j and q_{j+1}
        var w = new double[n];
        int restarts = 0;
        if (!StartVector(seed, restarts, basis, 0, n)) throw new NumericalException("could not draw a start vector");
        double normEstimate = 0;
        int m = 0;
        TridiagonalEigenResult? ritz = null;
        // Checking costs O(m³) on the small tridiagonal, negligible next to a product with A, so check often.
        int nextCheck = k;
        while (true)
        {
            var q = basis.AsSpan(m * n, n);
            op.Apply(q, w);
            CheckFinite(w, "the operator returned a non-finite value");
            w.CopyTo(images.AsSpan(m * n, n));
            double a = Dot.Product(q, w);
            alpha[m] = a;
            // w ← w − Q Qᵀ w, twice ("twice is enough"): the three-term recurrence is contained in it.
            for (int pass = 0; pass < 2; pass++) Orthogonalise(basis, m + 1, n, w);
            double b = Math.Sqrt(Dot.Product(w, w));
            normEstimate = Math.Max(normEstimate, Math.Abs(a) + b + (m > 0 ? beta[m - 1] : 0));
            m++;
            bool full = m == maxIter;
            // Breakdown: dropping a coupling b this small perturbs T by b, far below the accepted residual Tolerance·‖A‖.
            bool breakdown = b <= 0.01 * options.Tolerance * normEstimate;
            if (!full)
            {
                if (!breakdown)
                {
                    beta[m - 1] = b;
                    var next = basis.AsSpan(m * n, n);
                    for (int i = 0; i < n; i++) next[i] = w[i] / b;
                }
                else
                {
                    beta[m - 1] = 0;
                    restarts++;
                    // No vector outside the basis left: the basis spans the whole space, the decomposition is exact.
                    if (!StartVector(seed, restarts, basis, m, n)) full = true;
                }
            }
            else beta[m - 1] = b;

            // Never stop at a breakdown: the basis then spans an invariant subspace, and the top eigenvalues (or further
            // copies of them) may lie in its complement, which the restarted sequence explores first.
            if (m >= k && ((m >= nextCheck && !breakdown) || full))
            {
                ritz = TridiagonalEigen.Decompose(alpha.AsSpan(0, m), beta.AsSpan(0, m - 1), computeVectors: true);
                double scale = Math.Max(Math.Abs(ritz.Values[0]), Math.Abs(ritz.Values[m - 1]));
                double bm = full ? beta[m - 1] : (breakdown ? 0 : b);
                bool converged = true;
                for (int i = 0; i < k && converged; i++)
                {
                    // Residual of Ritz pair i: |β_m|·|last component of its eigenvector of T_m|.
                    double last = ritz.Vectors![(m - 1) * m + (m - 1 - i)];
                    converged = Math.Abs(bm * last) <= 0.5 * options.Tolerance * scale;
                }
                if (converged) return Finish(basis, images, ritz, m, n, k, options, restarts, scale);
                if (full)
                    throw new NumericalException($"Lanczos did not converge to tolerance {options.Tolerance:G3} for the top {k} eigenvalues within {maxIter} iterations");
                nextCheck = m + Math.Max(1, m / 20);
            }
            if (full) throw new NumericalException($"Lanczos stopped after {m} iterations before reaching k = {k}");
        }
    }

    /// <summary>The k largest eigenvalues only, descending.</summary>
    public static double[] TopEigenvalues(ISymmetricOperator op, int k, SeedSequence seed, double tolerance = 1e-10) =>
        TopEigenpairs(op, k, seed, new LanczosOptions(tolerance)).Values;

    /// <summary>Ritz vectors y = Q s and explicit residuals A y − θ y = (AQ) s − θ Q s from the stored products A q_j.</summary>
    private static LanczosResult Finish(double[] basis, double[] images, TridiagonalEigenResult ritz, int m, int n, int k,
        LanczosOptions options, int restarts, double scale)
    {
        var values = new double[k];
        var residuals = new double[k];
        var vectors = new double[(long)k * n];
        var ay = new double[n];
        for (int i = 0; i < k; i++)
        {
            int col = m - 1 - i;
            values[i] = ritz.Values[col];
            var y = vectors.AsSpan(i * n, n);
            // y = Q s and A y = (AQ) s; the rows of Q and AQ are basis vectors and their images.
            ay.AsSpan().Clear();
            for (int j = 0; j < m; j++)
            {
                Dot.Axpy(ritz.Vectors![j * m + col], basis.AsSpan(j * n, n), y);
                Dot.Axpy(ritz.Vectors[j * m + col], images.AsSpan(j * n, n), ay);
            }
            double norm = Math.Sqrt(Dot.Product(y, y));
            for (int t = 0; t < n; t++) { y[t] /= norm; ay[t] /= norm; }
            Dot.Axpy(-values[i], y, ay);
            residuals[i] = Math.Sqrt(Dot.Product(ay, ay));
            if (!(residuals[i] <= options.Tolerance * scale))
                throw new NumericalException($"Lanczos Ritz pair {i} (θ = {values[i]:G6}) has residual {residuals[i]:G3}, above {options.Tolerance:G3}·‖A‖ = {options.Tolerance * scale:G3}");
        }
        return new LanczosResult(values, residuals, options.ComputeVectors ? vectors : null, m, restarts, scale);
    }

    /// <summary>w ← w − Σ_j (q_j·w) q_j over the first count basis vectors.</summary>
    private static void Orthogonalise(double[] basis, int count, int n, Span<double> w)
    {
        Span<double> coefficients = count <= 512 ? stackalloc double[count] : new double[count];
        for (int j = 0; j < count; j++) coefficients[j] = Dot.Product(basis.AsSpan(j * n, n), w);
        for (int j = 0; j < count; j++) Dot.Axpy(-coefficients[j], basis.AsSpan(j * n, n), w);
    }

    /// <summary>A unit random vector orthogonal to the first <paramref name="count"/> basis vectors, written as basis vector count.
    /// False when no such vector exists numerically (the basis spans the space).</summary>
    private static bool StartVector(SeedSequence seed, int restart, double[] basis, int count, int n)
    {
        var v = basis.AsSpan(count * n, n);
        seed.Child("lanczos-start").Child(restart).CreateSampler().FillGaussian(v);
        double before = Math.Sqrt(Dot.Product(v, v));
        for (int pass = 0; pass < 2; pass++) Orthogonalise(basis, count, n, v);
        double after = Math.Sqrt(Dot.Product(v, v));
        if (!(after > 1e-8 * before)) { v.Clear(); return false; }
        for (int i = 0; i < n; i++) v[i] /= after;
        return true;
    }

    private static void CheckFinite(ReadOnlySpan<double> x, string message)
    {
        foreach (var v in x) if (!double.IsFinite(v)) throw new NumericalException(message);
    }

    /// <summary>
    /// Tridiagonalises the operator from the given start vector (normalised here): float64, full
    /// reorthogonalisation, and a stop — not a restart — at an invariant subspace, where the coefficients already
    /// describe the start vector's spectral measure exactly (what Gauss quadrature and SLQ need).
    /// </summary>
    public static LanczosTridiagonal Tridiagonalise(ISymmetricOperator op, ReadOnlySpan<double> start, int steps) =>
        Tridiagonalise(op, start, 1, steps)[0];

    /// <summary>
    /// <see cref="Tridiagonalise(ISymmetricOperator, ReadOnlySpan{double}, int)"/> for <paramref name="count"/> start vectors
    /// stored one after another, run in lockstep: every step is one <see cref="ISymmetricOperator.ApplyBlock"/> of the
    /// vectors still running, and the reorthogonalisations (independent per vector) run in parallel. Each sequence does
    /// the same arithmetic as when run alone, so the result does not depend on count or on the thread count.
    /// Memory: count·steps·n doubles for the bases.
    /// </summary>
    public static LanczosTridiagonal[] Tridiagonalise(ISymmetricOperator op, ReadOnlySpan<double> starts, int count, int steps)
    {
        int n = op.Dimension;
        if (count < 1 || starts.Length != (long)count * n) throw new ArgumentException($"expected {count} start vector(s) of length {n}");
        if (steps < 1 || steps > n) throw new ArgumentException($"Lanczos steps must lie between 1 and the dimension {n}");
        // basis[j] holds step j's vectors of all sequences (sequence c at c·n), so while all run it is the product's input as it lies.
        var basis = new double[steps][];
        basis[0] = new double[(long)count * n];
        for (int c = 0; c < count; c++)
        {
            var z = starts.Slice(c * n, n);
            double norm = Math.Sqrt(Dot.Product(z, z));
            if (!(norm > 0) || !double.IsFinite(norm)) throw new ArgumentException($"Lanczos start vector {c} must be non-zero and finite");
            var q = basis[0].AsSpan(c * n, n);
            for (int i = 0; i < n; i++) q[i] = z[i] / norm;
        }
        var alpha = new List<double>[count];
        var beta = new List<double>[count];
        var scale = new double[count];
        var invariant = new bool[count];
        for (int c = 0; c < count; c++) { alpha[c] = new List<double>(steps); beta[c] = new List<double>(steps); }
        var running = Enumerable.Range(0, count).ToList();
        var gathered = new double[(long)count * n];
        var images = new double[(long)count * n];
        for (int j = 0; j < steps && running.Count > 0; j++)
        {
            int active = running.Count;
            ReadOnlySpan<double> input = basis[j];
            if (active < count)
            {
                for (int r = 0; r < active; r++) basis[j].AsSpan(running[r] * n, n).CopyTo(gathered.AsSpan(r * n, n));
                input = gathered.AsSpan(0, active * n);
            }
            op.ApplyBlock(input, images.AsSpan(0, active * n), active);
            bool last = j == steps - 1;
            if (!last) basis[j + 1] = new double[(long)count * n];
            var stopped = new bool[active];
            var nonFinite = new bool[active];
            Parallel.For(0, active, r =>
            {
                int c = running[r];
                var w = images.AsSpan(r * n, n);
                var q = basis[j].AsSpan(c * n, n);
                double a = Dot.Product(q, w);
                if (!double.IsFinite(a)) { nonFinite[r] = true; return; }
                alpha[c].Add(a);
                if (last) return;
                // The three-term recurrence first, so that the sweeps only remove rounding; then full reorthogonalisation
                // against every basis vector so far by modified Gram–Schmidt (each q_i is read twice back to back, so it
                // streams from memory once), and a second sweep only when the first cancelled most of w (Kahan–Parlett
                // "twice is enough"), which is when orthogonality is at risk.
                Dot.Axpy(-a, q, w);
                if (j > 0) Dot.Axpy(-beta[c][j - 1], basis[j - 1].AsSpan(c * n, n), w);
                double before = Math.Sqrt(Dot.Product(w, w));
                double b = SweepOut(basis, j, c, n, w);
                if (b < 0.7 * before) b = SweepOut(basis, j, c, n, w);
                scale[c] = Math.Max(scale[c], Math.Abs(a) + b);
                if (b <= 1e-12 * Math.Max(scale[c], double.Epsilon)) { invariant[c] = true; stopped[r] = true; return; }
                beta[c].Add(b);
                var next = basis[j + 1].AsSpan(c * n, n);
                for (int i = 0; i < n; i++) next[i] = w[i] / b;
            });
            int bad = Array.IndexOf(nonFinite, true);
            if (bad >= 0) throw new NumericalException($"Lanczos step {j} of start vector {running[bad]} produced a non-finite Rayleigh quotient");
            running = running.Where((_, r) => !stopped[r]).ToList();
        }
        return Enumerable.Range(0, count).Select(c => new LanczosTridiagonal(alpha[c].ToArray(), beta[c].ToArray(), invariant[c])).ToArray();
    }

    /// <summary>One modified Gram–Schmidt sweep of w against sequence c's basis vectors of steps 0..j; returns ‖w‖ after it.</summary>
    private static double SweepOut(double[][] basis, int j, int c, int n, Span<double> w)
    {
        for (int i = 0; i <= j; i++)
        {
            var b = basis[i].AsSpan(c * n, n);
            Dot.Axpy(-Dot.Product(b, w), b, w);
        }
        return Math.Sqrt(Dot.Product(w, w));
    }
}

/// <summary>
/// The Lanczos coefficients from one start vector: the symmetric tridiagonal T with diagonal α_1..α_j and
/// off-diagonal β_1..β_{j−1}. <see cref="InvariantSubspace"/> is true when the recurrence stopped before the steps asked
/// for because the Krylov space became invariant (then T's spectral measure seen from e_1 is exact).
/// </summary>
public sealed record LanczosTridiagonal(double[] Alpha, double[] Beta, bool InvariantSubspace);

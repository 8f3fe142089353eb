using FimVerify.Numeric.Kernels;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>
/// Householder QR of a wide row block, in compact WY form: the rows × m block P (row i at p[offset + i·ld], m entries) is
/// transformed as P ← P·Q with Q = H₀H₁⋯H_{k−1} = I − V T Vᵀ orthogonal (m×m), which leaves row i with zeros beyond its
/// first i + 1 entries for i &lt; k (P = [L 0], L lower trapezoidal; equivalently Pᵀ = Q [R; 0], LAPACK's dgeqrf of Pᵀ).
/// Reflector i has v_i[c] = 0 for c &lt; i, v_i[i] = 1; V is returned explicitly as the k×m row-major <c>Vt</c> (row i = v_i),
/// T as the k×k upper-triangular row-major <c>T</c>. Recursive (Elmroth–Gustavson): the two halves of the rows are factored in
/// turn and the left half's block reflector is applied to the right half by <see cref="Gemm"/>, so only leaves of
/// <see cref="Leaf"/> rows run the level-2 loop; T's off-diagonal blocks come from T₁₂ = −T₁ (V₁V₂ᵀ) T₂.
/// Deterministic: every sum has a fixed order (<see cref="Dot"/> and <see cref="Gemm"/>), whatever the thread count.
/// </summary>
internal static class HouseholderPanel
{
    /// <summary>Rows factored by the level-2 loop (8 rows of m = 4000 doubles: 256 KiB, in L2).</summary>
    private const int Leaf = 8;

    /// <summary>
    /// Factors the first k rows of the rows × m block (k ≤ rows, k ≤ m) and applies Qᵀ's effect (P ← P·Q) to all its rows.
    /// vt (≥ k·m) and t (≥ k·k) receive V and T; rows ≥ k of the block are transformed but not reduced.
    /// </summary>
    public static void Factor(double[] p, int offset, int ld, int rows, int m, int k, double[] vt, double[] t, int maxDegreeOfParallelism)
    {
        if (k < 0 || k > rows || k > m) throw new ArgumentOutOfRangeException(nameof(k));
        Array.Clear(vt, 0, k * m);
        Array.Clear(t, 0, k * k);
        var f = new Factorisation(p, offset, ld, m, k, vt, t, maxDegreeOfParallelism);
        if (k > 0) f.Recurse(0, k);
        if (rows > k) f.Apply(0, k, k, rows);
    }

    private sealed class Factorisation(double[] p, int offset, int ld, int m, int k, double[] vt, double[] t, int threads)
    {
        private Span<double> Row(int i, int from) => p.AsSpan(offset + i * ld + from, m - from);
        private Span<double> VRow(int i, int from) => vt.AsSpan(i * m + from, m - from);

        public void Recurse(int r0, int r1)
        {
            if (r1 - r0 <= Leaf) { FactorLeaf(r0, r1); return; }
            int h = (r1 - r0) / 2;
            Recurse(r0, r0 + h);
            Apply(r0, r0 + h, r0 + h, r1);
            Recurse(r0 + h, r1);
            MergeT(r0, r0 + h, r1);
        }

        /// <summary>Level-2 Householder on rows [r0, r1), with T's diagonal block (LAPACK dlarfg, dlarf, dlarft).</summary>
        private void FactorLeaf(int r0, int r1)
        {
            Span<double> d = stackalloc double[Leaf];
            for (int i = r0; i < r1; i++)
            {
                var x = Row(i, i);
                double tau = Reflector(x);
                var v = VRow(i, i);
                v[0] = 1;
                x[1..].CopyTo(v[1..]);
                t[i * k + i] = tau;
                if (tau != 0)
                    for (int r = i + 1; r < r1; r++)
                    {
                        var y = Row(r, i);
                        Dot.Axpy(-tau * Dot.Product(y, v), v, y);
                    }
                // T[r0..i, i] = −τ_i · T[r0..i, r0..i] · (V[r0..i] v_i): the products over columns ≥ i, where v_i lives.
                for (int j = r0; j < i; j++) d[j - r0] = Dot.Product(VRow(j, i), v);
                for (int j = r0; j < i; j++)
                {
                    double s = 0;
                    for (int l = j; l < i; l++) s += t[j * k + l] * d[l - r0];
                    t[j * k + i] = -tau * s;
                }
            }
        }

        /// <summary>
        /// Turns x into β·e₁ by H = I − τ v vᵀ (v[0] = 1, v[1..] left in x[1..]) and returns τ (0 when x[1..] is already zero).
        /// The caller keeps the matrix scaled near 1, so the squares neither overflow nor lose anything that matters.
        /// </summary>
        private static double Reflector(Span<double> x)
        {
            if (x.Length <= 1) return 0;
            var tail = x[1..];
            double sigma = Dot.Product(tail, tail);
            if (sigma == 0) return 0;
            double alpha = x[0];
            double beta = -Math.CopySign(Math.Sqrt(alpha * alpha + sigma), alpha);
            double tau = (beta - alpha) / beta;
            double scale = 1 / (alpha - beta);
            for (int c = 0; c < tail.Length; c++) tail[c] *= scale;
            x[0] = beta;
            return tau;
        }

        /// <summary>Rows [t0, t1) ← rows · Q_block with Q_block = I − V T Vᵀ from reflectors [q0, q1): R −= ((R V) T) Vᵀ.</summary>
        public void Apply(int q0, int q1, int t0, int t1)
        {
            int kb = q1 - q0, r = t1 - t0, cols = m - q0;
            if (kb == 0 || r == 0) return;
            var z = new double[r * kb];
            var zt = new double[r * kb];
            var target = p.AsSpan(offset + t0 * ld + q0);
            var v = vt.AsSpan(q0 * m + q0);
            Gemm.Multiply(Op.None, Op.Transpose, r, kb, cols, 1, target, ld, v, m, 0, z, kb, threads);
            Gemm.Multiply(Op.None, Op.None, r, kb, kb, 1, z, kb, t.AsSpan(q0 * k + q0), k, 0, zt, kb, threads);
            Gemm.Multiply(Op.None, Op.None, r, cols, kb, -1, zt, kb, v, m, 1, target, ld, threads);
        }

        /// <summary>T[r0..h, h..r1] = −T₁ (V₁V₂ᵀ) T₂ (V₂ vanishes left of column h).</summary>
        private void MergeT(int r0, int h, int r1)
        {
            int a = h - r0, b = r1 - h, cols = m - h;
            var g = new double[a * b];
            var tg = new double[a * b];
            Gemm.Multiply(Op.None, Op.Transpose, a, b, cols, 1, vt.AsSpan(r0 * m + h), m, vt.AsSpan(h * m + h), m, 0, g, b, threads);
            Gemm.Multiply(Op.None, Op.None, a, b, a, 1, t.AsSpan(r0 * k + r0), k, g, b, 0, tg, b, threads);
            Gemm.Multiply(Op.None, Op.None, a, b, b, -1, tg, b, t.AsSpan(h * k + h), k, 0, t.AsSpan(r0 * k + h), k, threads);
        }
    }
}

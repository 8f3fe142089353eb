using System.Runtime.CompilerServices;
using FimVerify.Symbolic;

namespace FimVerify.Numeric.Kernels;

/// <summary>
/// The ReLU arc-cosine kernel κ(t) = ((π − arccos t)·t + √(1 − t²))/(2π) of Lemma 1, on spans.
/// The SIMD path evaluates arcsin from the exact arcsin series derived by the symbolic layer
/// (24 odd terms, |z| ≤ 1/2, truncation error below 2e-17) with the half-angle reduction
/// arcsin a = π/2 − 2 arcsin √((1 − a)/2) for a &gt; 1/2. Stated accuracy: |κ_SIMD − κ_ref| ≤ 2e-15 on [−1, 1]
/// (tested against the scalar reference, which uses Math.Acos). Inputs are clamped to [−1, 1] so rounding
/// in t = cos θ can never produce NaN.
/// </summary>
public static class ReluKernel
{
    /// <summary>Number of odd arcsin terms used by the SIMD path.</summary>
    public const int ArcsinTerms = 24;

    /// <summary>Coefficients of z^(2n+1), n = 0..23, compiled from the symbolic arcsin series.</summary>
    private static readonly double[] ArcsinOdd = CompileArcsinCoefficients();

    private static double[] CompileArcsinCoefficients()
    {
        var series = StandardSeries.arcsin(2 * ArcsinTerms);
        var c = new double[ArcsinTerms];
        for (int n = 0; n < ArcsinTerms; n++) c[n] = series.Coeffs[2 * n + 1].ToDouble();
        return c;
    }

    /// <summary>Scalar reference: κ(t) from Math.Acos.</summary>
    public static double KappaReference(double t)
    {
        t = Math.Clamp(t, -1.0, 1.0);
        return ((Math.PI - Math.Acos(t)) * t + Math.Sqrt((1.0 - t) * (1.0 + t))) / (2.0 * Math.PI);
    }

    /// <summary>κ applied entrywise: destination[k] = κ(t[k]) (SIMD where available, scalar reference otherwise).</summary>
    public static void Kappa(ReadOnlySpan<double> t, Span<double> destination)
    {
        if (destination.Length < t.Length) throw new ArgumentException("destination is shorter than the input", nameof(destination));
        int done = Lanes512.IsSupported ? KappaSimd<Lanes512>(t, destination)
                 : Lanes256.IsSupported ? KappaSimd<Lanes256>(t, destination) : 0;
        for (int k = done; k < t.Length; k++) destination[k] = KappaReference(t[k]);
    }

    /// <summary>Scalar reference path applied to a span (for tests and machines without SIMD).</summary>
    public static void KappaScalar(ReadOnlySpan<double> t, Span<double> destination)
    {
        for (int k = 0; k < t.Length; k++) destination[k] = KappaReference(t[k]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ArcsinSmall<TV>(TV x) where TV : struct, ILanes<TV>
    {
        // x·P(x²) by Estrin's scheme (|x| ≤ 1/2): pairs of coefficients, then pairs of pairs with y², y⁴, y⁸, y¹⁶.
        // Horner's 23 dependent FMAs made κ latency-bound; Estrin's tree is 5 deep. All terms are positive and y ≤ 1/4,
        // so the regrouping costs no accuracy.
        var y = TV.Multiply(x, x);
        var y2 = TV.Multiply(y, y);
        var y4 = TV.Multiply(y2, y2);
        var y8 = TV.Multiply(y4, y4);
        var y16 = TV.Multiply(y8, y8);
        var c = ArcsinOdd; // 24 coefficients (ArcsinTerms)
        TV q0 = TV.MultiplyAdd(TV.Broadcast(c[1]), y, TV.Broadcast(c[0])), q1 = TV.MultiplyAdd(TV.Broadcast(c[3]), y, TV.Broadcast(c[2]));
        TV q2 = TV.MultiplyAdd(TV.Broadcast(c[5]), y, TV.Broadcast(c[4])), q3 = TV.MultiplyAdd(TV.Broadcast(c[7]), y, TV.Broadcast(c[6]));
        TV q4 = TV.MultiplyAdd(TV.Broadcast(c[9]), y, TV.Broadcast(c[8])), q5 = TV.MultiplyAdd(TV.Broadcast(c[11]), y, TV.Broadcast(c[10]));
        TV q6 = TV.MultiplyAdd(TV.Broadcast(c[13]), y, TV.Broadcast(c[12])), q7 = TV.MultiplyAdd(TV.Broadcast(c[15]), y, TV.Broadcast(c[14]));
        TV q8 = TV.MultiplyAdd(TV.Broadcast(c[17]), y, TV.Broadcast(c[16])), q9 = TV.MultiplyAdd(TV.Broadcast(c[19]), y, TV.Broadcast(c[18]));
        TV q10 = TV.MultiplyAdd(TV.Broadcast(c[21]), y, TV.Broadcast(c[20])), q11 = TV.MultiplyAdd(TV.Broadcast(c[23]), y, TV.Broadcast(c[22]));
        TV r0 = TV.MultiplyAdd(q1, y2, q0), r1 = TV.MultiplyAdd(q3, y2, q2), r2 = TV.MultiplyAdd(q5, y2, q4);
        TV r3 = TV.MultiplyAdd(q7, y2, q6), r4 = TV.MultiplyAdd(q9, y2, q8), r5 = TV.MultiplyAdd(q11, y2, q10);
        TV s0 = TV.MultiplyAdd(r1, y4, r0), s1 = TV.MultiplyAdd(r3, y4, r2), s2 = TV.MultiplyAdd(r5, y4, r4);
        var p = TV.MultiplyAdd(s2, y16, TV.MultiplyAdd(s1, y8, s0));
        return TV.Multiply(p, x);
    }

    /// <summary>κ on one register: the half-angle branch is selected before the polynomial, so each lane pays for one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV KappaLanes<TV>(TV t) where TV : struct, ILanes<TV>
    {
        var one = TV.Broadcast(1.0);
        var half = TV.Broadcast(0.5);
        var halfPi = TV.Broadcast(Math.PI / 2);
        var x = TV.Min(TV.Max(t, TV.Broadcast(-1.0)), one);
        var a = TV.Abs(x);
        var oneMinusA = TV.Subtract(one, a);
        var reduced = TV.Sqrt(TV.Multiply(oneMinusA, half));
        var z = TV.SelectGreater(a, half, reduced, a);
        var series = ArcsinSmall(z);
        // arcsin|x|, with arcsin a = π/2 − 2 arcsin √((1 − a)/2) above 1/2.
        var asinA = TV.SelectGreater(a, half, TV.MultiplyAdd(TV.Broadcast(-2.0), series, halfPi), series);
        var angle = TV.Add(halfPi, TV.CopySign(asinA, x));               // π − arccos x
        var root = TV.Sqrt(TV.Multiply(oneMinusA, TV.Add(one, a)));       // √(1 − x²) without cancellation
        return TV.Multiply(TV.MultiplyAdd(angle, x, root), TV.Broadcast(1.0 / (2.0 * Math.PI)));
    }

    private static int KappaSimd<TV>(ReadOnlySpan<double> t, Span<double> destination) where TV : struct, ILanes<TV>
    {
        int w = TV.Count, k = 0;
        for (; k + w <= t.Length; k += w) TV.Store(KappaLanes(TV.Load(t, k)), destination, k);
        return k;
    }

    /// <summary>
    /// One row of the matrix-free product with κ∘(ŴᵀŴ), over columns [j0, j1): with t_j = Σ_l Ŵ[l, i]·Ŵ[l, j]
    /// (Ŵ row-major d×p with unit columns), returns Σ_j κ(t_j)·u[j] and adds κ(t_j)·u[i] to column[j]
    /// (the mirrored half of a symmetric product). SIMD where available; <see cref="KappaRowScalar"/> is its twin.
    /// </summary>
    public static double KappaRow(ReadOnlySpan<double> unitColumns, int d, int p, int i, int j0, int j1, ReadOnlySpan<double> u, Span<double> column)
    {
        CheckRow(unitColumns, d, p, i, j0, j1, u, column);
        int j = j0;
        double sum = 0;
        unsafe
        {
            fixed (double* w = unitColumns, pu = u, pc = column)
            {
                if (Lanes512.IsSupported) sum = KappaRowSimd<Lanes512>(w, d, p, i, ref j, j1, pu, pc);
                else if (Lanes256.IsSupported) sum = KappaRowSimd<Lanes256>(w, d, p, i, ref j, j1, pu, pc);
            }
        }
        return sum + KappaRowScalar(unitColumns, d, p, i, j, j1, u, column);
    }

    /// <summary>Scalar reference of <see cref="KappaRow"/> (κ from Math.Acos).</summary>
    public static double KappaRowScalar(ReadOnlySpan<double> unitColumns, int d, int p, int i, int j0, int j1, ReadOnlySpan<double> u, Span<double> column)
    {
        CheckRow(unitColumns, d, p, i, j0, j1, u, column);
        double sum = 0, ui = u[i];
        for (int j = j0; j < j1; j++)
        {
            double t = 0;
            for (int l = 0; l < d; l++) t += unitColumns[l * p + i] * unitColumns[l * p + j];
            double k = KappaReference(t);
            sum += k * u[j];
            column[j] += k * ui;
        }
        return sum;
    }

    /// <summary>
    /// A tile of κ∘(ŴᵀŴ): tile[r·ldt + c] = κ(Σ_l Ŵ[l, i0 + r]·Ŵ[l, j0 + c]) for r &lt; rows, c &lt; cols (Ŵ row-major d×p
    /// with unit columns), the kernel values that <see cref="PanelProduct"/> then applies to many vectors at once; with
    /// <paramref name="scales"/> (length p) each entry is multiplied by scales[i0 + r]·scales[j0 + c] (n_i n_j: a tile of J).
    /// SIMD where available; <see cref="KappaTileScalar"/> is its twin.
    /// </summary>
    public static void KappaTile(ReadOnlySpan<double> unitColumns, int d, int p, int i0, int rows, int j0, int cols, Span<double> tile, int ldt,
        ReadOnlySpan<double> scales = default)
    {
        CheckTile(unitColumns, d, p, i0, rows, j0, cols, tile, ldt, scales);
        for (int r = 0; r < rows; r++)
        {
            int done = 0;
            var row = tile.Slice(r * ldt, cols);
            unsafe
            {
                fixed (double* w = unitColumns, t = row, sc = scales)
                {
                    double rowScale = scales.IsEmpty ? 1 : scales[i0 + r];
                    double* columnScales = scales.IsEmpty ? null : sc + j0;
                    if (Lanes512.IsSupported) done = KappaTileRow<Lanes512>(w, d, p, i0 + r, j0, cols, t, rowScale, columnScales);
                    else if (Lanes256.IsSupported) done = KappaTileRow<Lanes256>(w, d, p, i0 + r, j0, cols, t, rowScale, columnScales);
                }
            }
            for (int c = done; c < cols; c++) row[c] = Scaled(KappaReference(Cosine(unitColumns, d, p, i0 + r, j0 + c)), scales, i0 + r, j0 + c);
        }
    }

    private static double Scaled(double kappa, ReadOnlySpan<double> scales, int i, int j) => scales.IsEmpty ? kappa : kappa * scales[i] * scales[j];

    /// <summary>Scalar reference of <see cref="KappaTile"/> (κ from Math.Acos).</summary>
    public static void KappaTileScalar(ReadOnlySpan<double> unitColumns, int d, int p, int i0, int rows, int j0, int cols, Span<double> tile, int ldt,
        ReadOnlySpan<double> scales = default)
    {
        CheckTile(unitColumns, d, p, i0, rows, j0, cols, tile, ldt, scales);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) tile[r * ldt + c] = Scaled(KappaReference(Cosine(unitColumns, d, p, i0 + r, j0 + c)), scales, i0 + r, j0 + c);
    }

    private static double Cosine(ReadOnlySpan<double> unitColumns, int d, int p, int i, int j)
    {
        double t = 0;
        for (int l = 0; l < d; l++) t += unitColumns[l * p + i] * unitColumns[l * p + j];
        return t;
    }

    private static void CheckTile(ReadOnlySpan<double> unitColumns, int d, int p, int i0, int rows, int j0, int cols, Span<double> tile, int ldt,
        ReadOnlySpan<double> scales)
    {
        if (!scales.IsEmpty && scales.Length < p) throw new ArgumentException("scales must hold p entries", nameof(scales));
        if (d < 1 || p < 1 || unitColumns.Length < (long)d * p) throw new ArgumentException("Ŵ must hold d×p entries", nameof(unitColumns));
        if (rows < 0 || cols < 0 || i0 < 0 || j0 < 0 || i0 + rows > p || j0 + cols > p) throw new ArgumentOutOfRangeException(nameof(rows), "tile outside 0..p");
        if (cols > ldt || (rows > 0 && (long)(rows - 1) * ldt + cols > tile.Length)) throw new ArgumentException("the tile buffer is too small", nameof(tile));
    }

    private static unsafe int KappaTileRow<TV>(double* w, int d, int p, int i, int j0, int cols, double* tile, double rowScale, double* columnScales)
        where TV : struct, ILanes<TV>
    {
        int lanes = TV.Count, c = 0;
        var si = TV.Broadcast(rowScale);
        for (; c + lanes <= cols; c += lanes)
        {
            double* col = w + j0 + c;
            var t = TV.Multiply(TV.Broadcast(w[i]), TV.Load(col));
            for (int l = 1; l < d; l++) t = TV.MultiplyAdd(TV.Broadcast(w[(long)l * p + i]), TV.Load(col + (long)l * p), t);
            var k = KappaLanes(t);
            if (columnScales != null) k = TV.Multiply(TV.Multiply(k, si), TV.Load(columnScales + c));
            TV.Store(k, tile + c);
        }
        return c;
    }

    private static void CheckRow(ReadOnlySpan<double> unitColumns, int d, int p, int i, int j0, int j1, ReadOnlySpan<double> u, Span<double> column)
    {
        if (d < 1 || p < 1 || unitColumns.Length < (long)d * p) throw new ArgumentException("Ŵ must hold d×p entries", nameof(unitColumns));
        if (i < 0 || i >= p || j0 < 0 || j1 > p || j0 > j1) throw new ArgumentOutOfRangeException(nameof(i), "row or column range outside 0..p");
        if (u.Length < p || column.Length < p) throw new ArgumentException("u and column must have length p");
    }

    private static unsafe double KappaRowSimd<TV>(double* w, int d, int p, int i, ref int j, int j1, double* u, double* column)
        where TV : struct, ILanes<TV>
    {
        int lanes = TV.Count;
        var ui = TV.Broadcast(u[i]);
        var acc = TV.Broadcast(0);
        for (; j + lanes <= j1; j += lanes)
        {
            var t = TV.Multiply(TV.Broadcast(w[i]), TV.Load(w + j));
            for (int l = 1; l < d; l++) t = TV.MultiplyAdd(TV.Broadcast(w[(long)l * p + i]), TV.Load(w + (long)l * p + j), t);
            var k = KappaLanes(t);
            acc = TV.MultiplyAdd(k, TV.Load(u + j), acc);
            TV.Store(TV.MultiplyAdd(k, ui, TV.Load(column + j)), column + j);
        }
        return TV.Sum(acc);
    }
}

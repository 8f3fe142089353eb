namespace FimVerify.Numeric.Classifiers;

/// <summary>
/// One matrix block (rows × cols, row-major, at the same offset of each of count vectors stored one after another)
/// laid side by side as a single rows × (count·cols) matrix, and back. In this layout count products with a shared
/// left factor, L·M_1 … L·M_count, are one GEMM L·[M_1 … M_count], whose result viewed as (rows·count) × cols
/// has the (row, vector)-major order that a shared right factor multiplies in one GEMM too.
/// </summary>
internal static class SideBySide
{
    public static void Gather(ReadOnlySpan<double> vectors, int count, int offset, int rows, int cols, Span<double> matrix)
    {
        int n = vectors.Length / count, width = count * cols;
        for (int k = 0; k < count; k++)
            for (int i = 0; i < rows; i++)
                vectors.Slice(k * n + offset + i * cols, cols).CopyTo(matrix.Slice(i * width + k * cols, cols));
    }

    /// <summary>The inverse of <see cref="Gather"/>, each entry times scale.</summary>
    public static void Scatter(ReadOnlySpan<double> matrix, int count, int offset, int rows, int cols, Span<double> vectors, double scale = 1)
    {
        int n = vectors.Length / count, width = count * cols;
        for (int k = 0; k < count; k++)
            for (int i = 0; i < rows; i++)
            {
                var source = matrix.Slice(i * width + k * cols, cols);
                var target = vectors.Slice(k * n + offset + i * cols, cols);
                if (scale == 1) source.CopyTo(target);
                else for (int j = 0; j < cols; j++) target[j] = scale * source[j];
            }
    }
}

using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.Operators;

/// <summary>
/// A symmetric linear operator known only through its product u ↦ A u. Every curvature representation
/// (J of the shallow ReLU network, a Fisher block, a dense Gram matrix) implements it, so trace estimators,
/// Lanczos and spectral densities work on all of them alike.
/// </summary>
public interface ISymmetricOperator
{
    /// <summary>The dimension n of the space the operator acts on.</summary>
    int Dimension { get; }

    /// <summary>destination ← A·source. Both spans have length <see cref="Dimension"/>; they never overlap.</summary>
    void Apply(ReadOnlySpan<double> source, Span<double> destination);

    /// <summary>
    /// destination ← A·source for <paramref name="count"/> vectors stored one after another (vector c occupies
    /// [c·n, (c+1)·n) of both spans, n = <see cref="Dimension"/>). Operators whose product is one pass over data (a
    /// kernel tile, a batch of samples) override this so the pass is made once for all vectors, turning many
    /// matrix–vector products into one matrix–matrix product; the default applies the vectors one by one.
    /// </summary>
    void ApplyBlock(ReadOnlySpan<double> source, Span<double> destination, int count)
    {
        int n = Dimension;
        if (count < 0 || source.Length < (long)count * n || destination.Length < (long)count * n)
            throw new ArgumentException("source and destination must hold count vectors of the operator's dimension");
        for (int c = 0; c < count; c++) Apply(source.Slice(c * n, n), destination.Slice(c * n, n));
    }
}

public static class SymmetricOperatorExtensions
{
    /// <summary>
    /// The dense matrix of a (small) operator from its products with unit vectors: the slow twin of every fast operator.
    /// The unit vectors go 64 at a time through <see cref="ISymmetricOperator.ApplyBlock"/>, one pass per 64 columns.
    /// </summary>
    public static SymmetricMatrix Materialize(this ISymmetricOperator op)
    {
        int n = op.Dimension, chunk = Math.Min(n, 64);
        var m = new SymmetricMatrix(n);
        var units = new double[chunk * n];
        var columns = new double[chunk * n];
        for (int first = 0; first < n; first += chunk)
        {
            int count = Math.Min(chunk, n - first);
            for (int c = 0; c < count; c++) units[c * n + first + c] = 1;
            op.ApplyBlock(units.AsSpan(0, count * n), columns.AsSpan(0, count * n), count);
            for (int c = 0; c < count; c++)
            {
                units[c * n + first + c] = 0;
                for (int i = 0; i < n; i++) m[i, first + c] = columns[c * n + i];
            }
        }
        return m;
    }
}

/// <summary>A dense symmetric matrix as an operator.</summary>
public sealed class DenseOperator(SymmetricMatrix matrix) : ISymmetricOperator
{
    public SymmetricMatrix Matrix { get; } = matrix;
    public int Dimension => Matrix.N;

    public void Apply(ReadOnlySpan<double> source, Span<double> destination)
    {
        for (int i = 0; i < Matrix.N; i++) destination[i] = Kernels.Dot.Product(Matrix.Row(i), source);
    }

    /// <summary>All vectors in one GEMM (rows of the source times the symmetric matrix).</summary>
    public void ApplyBlock(ReadOnlySpan<double> source, Span<double> destination, int count)
    {
        int n = Dimension;
        if (count < 0 || source.Length < (long)count * n || destination.Length < (long)count * n)
            throw new ArgumentException("source and destination must hold count vectors of the operator's dimension");
        if (count == 0) return;
        Gemm.Multiply(Op.None, Op.None, count, n, n, 1, source[..(count * n)], n, Matrix.Data, n, 0, destination[..(count * n)], n);
    }
}

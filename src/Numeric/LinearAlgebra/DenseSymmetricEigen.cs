using MathNet.Numerics.LinearAlgebra;

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>All eigenvalues of a dense symmetric matrix, ascending.</summary>
public static class DenseSymmetricEigen
{
    /// <summary>Name of the backend that ran (reports say which).</summary>
    public static string Backend => "MathNet.Numerics managed";

    public static double[] Eigenvalues(SymmetricMatrix a)
    {
        if (a.HasNonFinite()) throw new NumericalException("the matrix has a NaN or infinite entry; its eigenvalues are undefined");
        var m = Matrix<double>.Build.Dense(a.N, a.N, (double[])a.Data.Clone()); // symmetric: row- and column-major agree
        var evd = m.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        Array.Sort(values);
        return values;
    }
}

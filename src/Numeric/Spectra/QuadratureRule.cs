namespace FimVerify.Numeric.Spectra;

/// <summary>
/// A discrete measure Σ_k w_k δ(t − τ_k) on the real line: the Gauss quadrature of one Lanczos probe
/// (nodes τ_k = tridiagonal eigenvalues, weights y_k[0]², summing to 1) or the eigenvalues of a matrix with
/// weights 1/n.
/// </summary>
public sealed record QuadratureRule(double[] Nodes, double[] Weights)
{
    public static QuadratureRule FromEigenvalues(IReadOnlyList<double> eigenvalues)
    {
        if (eigenvalues.Count == 0) throw new ArgumentException("a spectrum needs at least one eigenvalue");
        return new([.. eigenvalues], Enumerable.Repeat(1.0 / eigenvalues.Count, eigenvalues.Count).ToArray());
    }

    /// <summary>Σ_k w_k τ_k^power: for a Lanczos rule of m steps this equals vᵀA^power v exactly when power ≤ 2m − 1.</summary>
    public double Moment(int power)
    {
        double s = 0;
        for (int k = 0; k < Nodes.Length; k++) s += Weights[k] * Math.Pow(Nodes[k], power);
        return s;
    }

    public double TotalWeight => Weights.Sum();
}

using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.Mlps;

/// <summary>
/// How well the top-C eigenspace of a Gram metric A = (1/T) GᵀG (G: CT × P, rows g_{k,t}, such as the FIM's Jacobian or
/// the input Jacobian) is spanned by the C mean gradients E[g_k] = (1/T)Σ_t g_{k,t} = Gᵀu_k, u_k = e_k ⊗ 1/T — the
/// outlier eigenspace claim of MATH.md §2 — computed from the CT × CT dual D = G Gᵀ/T alone: A's unit eigenvectors are
/// Gᵀv_j/√(Tλ_j) for D's eigenpairs, and inner products in parameter space are ⟨Gᵀa, Gᵀb⟩ = T aᵀDb. The cosines of the
/// principal angles are the singular values of (UᵀDU)^{−1/2} UᵀV diag(√λ) (V the top-C eigenvectors of D).
/// </summary>
public static class OutlierEigenspace
{
    /// <summary>The sines of the C principal angles, descending (the first is the largest angle).</summary>
    public static double[] PrincipalAngleSines(SymmetricMatrix dual, int outputs, int samples)
    {
        int n = dual.N, c = outputs;
        if (n != c * samples) throw new ArgumentException($"the dual must be CT × CT = {c * samples}, but is {n}");
        var top = DenseSymmetricEigen.Top(dual, c, computeVectors: true);
        // Uᵀ D U (C × C) and UᵀV (C × C) with u_k the indicator of block k divided by T.
        var uDu = new SymmetricMatrix(c);
        for (int a = 0; a < c; a++)
            for (int b = 0; b < c; b++)
            {
                double s = 0;
                for (int t = 0; t < samples; t++)
                    for (int t2 = 0; t2 < samples; t2++) s += dual[a * samples + t, b * samples + t2];
                uDu[a, b] = s / ((double)samples * samples);
            }
        var uV = new double[c, c];
        for (int a = 0; a < c; a++)
            for (int j = 0; j < c; j++)
            {
                double s = 0;
                for (int t = 0; t < samples; t++) s += top.Vectors![j * n + a * samples + t];
                uV[a, j] = s / samples * Math.Sqrt(Math.Max(top.Values[j], 0));
            }
        var inv = new PsdPseudoInverse(uDu).Inverse();
        // cos² = eig(Xᵀ X) with X = (UᵀDU)^{−1/2} UᵀV diag(√λ): Xᵀ X = (UᵀV diag √λ)ᵀ (UᵀDU)⁻¹ (UᵀV diag √λ).
        var xtx = new SymmetricMatrix(c);
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
            {
                double s = 0;
                for (int a = 0; a < c; a++)
                    for (int b = 0; b < c; b++) s += uV[a, i] * inv[a, b] * uV[b, j];
                xtx[i, j] = s;
            }
        var cos2 = DenseSymmetricEigen.Eigenvalues(xtx); // ascending: the smallest cosine first
        return cos2.Select(v => Math.Sqrt(Math.Max(0, 1 - Math.Min(1, v)))).ToArray();
    }
}

using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Random;
using Xunit;

namespace FimVerify.Numeric.Tests.LinearAlgebra;

/// <summary>
/// The certified top eigenvalues and the positive-definiteness proof they rest on, on matrices with a known spectrum:
/// A = H diag(λ) H with H a product of three Householder reflections (exactly orthogonal up to rounding, O(n²) to form).
/// </summary>
public class CertifiedTopEigenvaluesTests
{
    /// <summary>H diag(λ) H, H = H₁H₂H₃ with H_i = I − 2v_ivᵢᵀ, and H's columns (the eigenvectors, as rows of the result).</summary>
    private static (SymmetricMatrix A, double[] Vectors) WithSpectrum(double[] lambda, long seed)
    {
        int n = lambda.Length;
        var rng = SeedSequence.FromSeed(seed).CreateSampler();
        var q = new double[(long)n * n];
        for (int i = 0; i < n; i++) q[(long)i * n + i] = 1;
        var v = new double[n];
        for (int r = 0; r < 3; r++)
        {
            rng.FillGaussian(v);
            double norm = Math.Sqrt(v.Sum(x => x * x));
            for (int i = 0; i < n; i++) v[i] /= norm;
            // Q ← Q(I − 2vvᵀ): each row x of Q becomes x − 2(x·v)vᵀ.
            for (int i = 0; i < n; i++)
            {
                var row = q.AsSpan(i * n, n);
                double dot = 0;
                for (int k = 0; k < n; k++) dot += row[k] * v[k];
                for (int k = 0; k < n; k++) row[k] -= 2 * dot * v[k];
            }
        }
        // A = Q diag(λ) Qᵀ; Q's columns are the eigenvectors, so the rows of Qᵀ are.
        var scaled = new double[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) scaled[(long)i * n + k] = q[(long)i * n + k] * lambda[k];
        var a = new double[(long)n * n];
        Gemm.Multiply(Op.None, Op.Transpose, n, n, n, 1, scaled, n, q, n, 0, a, n);
        for (int i = 0; i < n; i++)
            for (int k = i + 1; k < n; k++) a[(long)k * n + i] = a[(long)i * n + k] = 0.5 * (a[(long)i * n + k] + a[(long)k * n + i]);
        var vectors = new double[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) vectors[(long)k * n + i] = q[(long)i * n + k];
        return (new SymmetricMatrix(n, a), vectors);
    }

    /// <summary>Three outliers 10, 9, 8 over a bulk spread evenly on [0, 1]: the k = 3 certificate (a gap after k).</summary>
    private static double[] Outliers(int n) =>
        [10, 9, 8, .. Enumerable.Range(0, n - 3).Select(i => 1.0 - (double)i / (n - 4))];

    [Fact]
    public void OutliersAreCertifiedWithinTheirBound()
    {
        var lambda = Outliers(CertifiedTopEigenvalues.MinimumOrder);
        var (a, _) = WithSpectrum(lambda, 11);
        var top = CertifiedTopEigenvalues.TryCompute(a, 3);
        Assert.NotNull(top);
        Assert.True(top.Bound <= 1e-10 * 10, $"bound {top.Bound:R}");
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(top.Values[i] - lambda[i]) <= top.Bound + 1e-12 * 10, $"λ{i + 1} = {lambda[i]} vs {top.Values[i]:R} ± {top.Bound:R}");
    }

    [Fact]
    public void WithoutAGapAfterKTheGapBeforeItCertifies()
    {
        // λ₁ = 10, then a near-double λ₂ = 1, λ₃ = 1 − 10⁻¹³ and a bulk on [0, 1/2]: no gap after k = 2 can be proved, so the
        // certificate is the gap after k − 1 with λ₂ bracketed between its interlacing lower bound and σ.
        int n = CertifiedTopEigenvalues.MinimumOrder;
        double[] lambda = [10, 1, 1 - 1e-13, .. Enumerable.Range(0, n - 3).Select(i => 0.5 - 0.5 * i / (n - 4))];
        var (a, _) = WithSpectrum(lambda, 12);
        // Tolerance 10⁻⁸·λ₁: σ then clears λ₂ by 5·10⁻⁸, above the Cholesky proof's rounding allowance at n = 2000 (≈ 7·10⁻¹⁰ here).
        var top = CertifiedTopEigenvalues.TryCompute(a, 2, relativeTolerance: 1e-8);
        Assert.NotNull(top);
        Assert.True(top.Bound >= 4e-8, $"bound {top.Bound:R}: not the gap-before-k certificate (its σ − θ_k is at least half the tolerance, 5·10⁻⁸)");
        for (int i = 0; i < 2; i++)
            Assert.True(Math.Abs(top.Values[i] - lambda[i]) <= top.Bound + 1e-12 * 10, $"λ{i + 1} = {lambda[i]} vs {top.Values[i]:R} ± {top.Bound:R}");
    }

    [Fact]
    public void BelowTheMinimumOrderThereIsNoCertificate()
    {
        var (a, _) = WithSpectrum(Outliers(200), 13);
        Assert.Null(CertifiedTopEigenvalues.TryCompute(a, 3));
    }

    [Fact]
    public void TheCountingStepRefusesAWrongClaim()
    {
        int n = 300;
        var lambda = Outliers(n);                     // 10, 9, 8, then 1 …
        var (a, vectors) = WithSpectrum(lambda, 14);
        // With the true top-2 eigenvectors: λ₃ = 8 < 8.5 is proved; λ₃ < 7.5 is false and refused.
        Assert.True(CertifiedTopEigenvalues.ProvesBelow(a, vectors, 2, 8.5));
        Assert.False(CertifiedTopEigenvalues.ProvesBelow(a, vectors, 2, 7.5));
        // With the top-3 eigenvectors: λ₄ = 1 < 1.01 is proved, λ₄ < 0.99 refused.
        Assert.True(CertifiedTopEigenvalues.ProvesBelow(a, vectors, 3, 1.01));
        Assert.False(CertifiedTopEigenvalues.ProvesBelow(a, vectors, 3, 0.99));
        // A mutated certificate: vectors for λ₁ and λ₃ in place of λ₁ and λ₂ leave λ₂ = 9 unaccounted for, so "λ₃ < 8.5" (true)
        // cannot be proved from them — the count would otherwise have been wrong.
        var wrong = new double[2 * n];
        vectors.AsSpan(0, n).CopyTo(wrong);
        vectors.AsSpan(2 * n, n).CopyTo(wrong.AsSpan(n));
        Assert.False(CertifiedTopEigenvalues.ProvesBelow(a, wrong, 2, 8.5));
        // Perturbed vectors (an error of 10⁻³ in each entry) still prove a claim with a margin, and not one without.
        var rng = SeedSequence.FromSeed(15).CreateSampler();
        var noisy = vectors.AsSpan(0, 2 * n).ToArray();
        var noise = new double[2 * n];
        rng.FillGaussian(noise);
        for (int i = 0; i < noisy.Length; i++) noisy[i] += 1e-3 / Math.Sqrt(n) * noise[i];
        Assert.True(CertifiedTopEigenvalues.ProvesBelow(a, noisy, 2, 8.5));
        Assert.False(CertifiedTopEigenvalues.ProvesBelow(a, noisy, 2, 7.9));
    }

    [Fact]
    public void CholeskyProvesPositiveDefinitenessOnlyWithAMargin()
    {
        int n = 260; // four 64-row panels and a remainder
        double[] Spectrum(double smallest) => [.. Enumerable.Range(0, n - 1).Select(i => 1.0 + i), smallest];
        SymmetricMatrix Copy(SymmetricMatrix m) => new(m.N, (double[])m.Data.Clone());
        var (positive, _) = WithSpectrum(Spectrum(1e-6), 16);
        var (indefinite, _) = WithSpectrum(Spectrum(-1e-6), 17);
        var (margin, _) = WithSpectrum(Spectrum(0.5), 18);
        Assert.True(PositiveDefiniteCertificate.Holds(Copy(positive)));
        Assert.False(PositiveDefiniteCertificate.Holds(Copy(indefinite)));
        Assert.True(PositiveDefiniteCertificate.Holds(Copy(margin), slack: 0.2));
        Assert.False(PositiveDefiniteCertificate.Holds(Copy(margin), slack: 0.3)); // the shift is twice the slack: 0.6 > 0.5

        // The blocked factor is a Cholesky factor: RᵀR = M (upper triangle, row-major) to rounding.
        var m = Copy(margin);
        Assert.True(PositiveDefiniteCertificate.Holds(m));
        double shift = margin[0, 0] - m[0, 0] * m[0, 0];  // c, recovered from the first pivot
        for (int i = 0; i < n; i += 37)
            for (int j = i; j < n; j += 41)
            {
                double s = 0;
                for (int k = 0; k <= i; k++) s += m[k, i] * m[k, j];
                double expected = margin[i, j] - (i == j ? shift : 0);
                Assert.True(Math.Abs(s - expected) <= 1e-9 * n, $"(RᵀR)[{i},{j}] = {s:R} vs {expected:R}");
            }
    }
}

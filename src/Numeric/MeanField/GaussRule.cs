namespace FimVerify.Numeric.MeanField;

/// <summary>
/// A Gauss quadrature rule: nodes and weights. Built by Golub–Welsch (eigenvalues of the tridiagonal Jacobi matrix of
/// the three-term recurrence give the nodes), then each node is polished by Newton on the orthonormal
/// recurrence and the weights are the Christoffel numbers 1/Σ_k p_k(x)², which are accurate even where
/// Golub–Welsch's eigenvector weights lose relative precision.
/// </summary>
public sealed record GaussRule(double[] Nodes, double[] Weights)
{
    private static readonly Dictionary<(string, int), GaussRule> Cache = [];

    /// <summary>Probabilists' Gauss–Hermite: Σ w_i f(x_i) ≈ ∫ f(z) e^{−z²/2}/√(2π) dz (weights sum to 1).</summary>
    public static GaussRule Hermite(int n)
    {
        if (n < 2 || n % 2 != 0 || n > 256) throw new ArgumentOutOfRangeException(nameof(n), "Gauss–Hermite orders are even and between 2 and 256");
        lock (Cache)
        {
            if (Cache.TryGetValue(("hermite", n), out var r)) return r;
            // Orthonormal He_k: p_{k+1} = (x p_k − √k p_{k−1})/√(k+1); Jacobi off-diagonal √k, diagonal 0.
            r = Build(n, k => 0.0, k => Math.Sqrt(k), totalMass: 1.0);
            Cache[("hermite", n)] = r;
            return r;
        }
    }

    /// <summary>Gauss–Legendre on [−1, 1] with weights summing to 2.</summary>
    public static GaussRule Legendre(int n)
    {
        if (n < 1 || n > 512) throw new ArgumentOutOfRangeException(nameof(n), "Gauss–Legendre orders lie between 1 and 512");
        lock (Cache)
        {
            if (Cache.TryGetValue(("legendre", n), out var r)) return r;
            // Orthonormal Legendre w.r.t. dx/2: off-diagonal k/√(4k²−1).
            r = Build(n, k => 0.0, k => k / Math.Sqrt(4.0 * k * k - 1), totalMass: 2.0);
            Cache[("legendre", n)] = r;
            return r;
        }
    }

    private static GaussRule Build(int n, Func<int, double> diagonal, Func<int, double> offDiagonal, double totalMass)
    {
        // The Jacobi matrix is tridiagonal: its eigenvalues by implicit QL in O(n²) (a dense solver took 40 ms at n = 256, much of
        // a short command's run); Newton then polishes each node on the recurrence itself.
        var alpha = new double[n];
        var beta = new double[Math.Max(0, n - 1)];
        for (int k = 0; k < n; k++)
        {
            alpha[k] = diagonal(k);
            if (k + 1 < n) beta[k] = offDiagonal(k + 1);
        }
        var nodes = LinearAlgebra.TridiagonalEigen.Decompose(alpha, beta).Values.OrderBy(x => x).ToArray();
        var weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            double x = nodes[i];
            for (int it = 0; it < 8; it++)
            {
                var (p, dp, _) = Evaluate(n, x, diagonal, offDiagonal);
                double step = p / dp;
                x -= step;
                if (Math.Abs(step) <= 1e-16 * Math.Max(1, Math.Abs(x))) break;
            }
            nodes[i] = x;
            weights[i] = 1 / Evaluate(n, x, diagonal, offDiagonal).sumSquares;
        }
        double mass = weights.Sum();
        for (int i = 0; i < n; i++) weights[i] *= totalMass / mass; // Christoffel numbers are for unit mass
        // Symmetric weight functions: enforce exact symmetry of the rule.
        for (int i = 0; i < n / 2; i++)
        {
            double x = 0.5 * (nodes[n - 1 - i] - nodes[i]), w = 0.5 * (weights[i] + weights[n - 1 - i]);
            nodes[i] = -x; nodes[n - 1 - i] = x; weights[i] = weights[n - 1 - i] = w;
        }
        if (n % 2 == 1) nodes[n / 2] = 0;
        return new GaussRule(nodes, weights);
    }

    /// <summary>p_n(x), p_n′(x) and Σ_{k<n} p_k(x)² for the orthonormal family of the recurrence.</summary>
    private static (double p, double dp, double sumSquares) Evaluate(int n, double x, Func<int, double> a, Func<int, double> b)
    {
        double pPrev = 0, p = 1, dPrev = 0, d = 0, sum = 0;
        for (int k = 0; k < n; k++)
        {
            sum += p * p;
            double bNext = b(k + 1), bk = k == 0 ? 0 : b(k);
            double pNext = ((x - a(k)) * p - bk * pPrev) / bNext;
            double dNext = ((x - a(k)) * d + p - bk * dPrev) / bNext;
            pPrev = p; p = pNext; dPrev = d; d = dNext;
        }
        return (p, d, sum);
    }
}

using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>The group of Theorem 2 a direction belongs to (and so its eigenvalue level).</summary>
public enum DirectionGroup
{
    /// <summary>v⁽⁰⁾, level (2d+1)/(4π).</summary>
    Mean,
    /// <summary>The rows W_l, level 1/4.</summary>
    Linear,
    /// <summary>v^(α,β) with α &lt; β, level 1/(2πd).</summary>
    Pair,
    /// <summary>v^(γ), level 1/(2πd); they sum to zero, so they span d − 1 dimensions.</summary>
    Diagonal,
}

/// <summary>One named direction vector in R^p.</summary>
public sealed record DirectionVector(string Name, DirectionGroup Group, double[] Values);

/// <summary>
/// The direction vectors of MATH.md §1 for a weight matrix W (d×p): v⁽⁰⁾_i = n_i/√d; the rows W_l;
/// v^(α,β)_i = √d W_αi W_βi / n_i; v^(γ) = (v^(γ,γ) − v⁽⁰⁾)/√2. The order is v⁽⁰⁾, W_1..W_d, v^(α,β) (α &lt; β,
/// lexicographic), v^(1)..v^(d): M = (d+1)(d+2)/2 vectors in all.
/// </summary>
public sealed class DirectionVectors
{
    public int D { get; }
    public int P { get; }
    public IReadOnlyList<DirectionVector> All { get; }

    public DirectionVector Mean => All[0];
    public IEnumerable<DirectionVector> InGroup(DirectionGroup g) => All.Where(v => v.Group == g);

    /// <summary>M = (d+1)(d+2)/2, the number of vectors.</summary>
    public static int Count(int d) => (d + 1) * (d + 2) / 2;

    private DirectionVectors(int d, int p, IReadOnlyList<DirectionVector> all) { D = d; P = p; All = all; }

    public static DirectionVectors Of(ShallowReluNetwork net)
    {
        int d = net.D, p = net.P;
        var n = net.ColumnNorms;
        foreach (var x in n)
            if (!(x > 0)) throw new NumericalException("a column of W is zero, so its direction (and v^(α,β)) is undefined");
        double sd = Math.Sqrt(d);
        var list = new List<DirectionVector>(Count(d));
        var v0 = new double[p];
        for (int i = 0; i < p; i++) v0[i] = n[i] / sd;
        list.Add(new DirectionVector("v0", DirectionGroup.Mean, v0));
        for (int l = 0; l < d; l++) list.Add(new DirectionVector($"W{l + 1}", DirectionGroup.Linear, net.Row(l).ToArray()));
        for (int a = 0; a < d; a++)
            for (int b = a + 1; b < d; b++)
                list.Add(new DirectionVector($"v({a + 1},{b + 1})", DirectionGroup.Pair, PairVector(net, a, b)));
        for (int g = 0; g < d; g++)
        {
            var vgg = PairVector(net, g, g);
            var v = new double[p];
            for (int i = 0; i < p; i++) v[i] = (vgg[i] - v0[i]) / Math.Sqrt(2.0);
            list.Add(new DirectionVector($"v({g + 1})", DirectionGroup.Diagonal, v));
        }
        return new DirectionVectors(d, p, list);
    }

    /// <summary>v^(α,β)_i = √d W_αi W_βi / n_i (0-based α, β; α = β allowed).</summary>
    public static double[] PairVector(ShallowReluNetwork net, int alpha, int beta)
    {
        double sd = Math.Sqrt(net.D);
        var v = new double[net.P];
        for (int i = 0; i < net.P; i++) v[i] = sd * net.Weight(alpha, i) * net.Weight(beta, i) / net.ColumnNorms[i];
        return v;
    }

    /// <summary>The M×M Gram matrix of the vectors (entries G_ab = v_a · v_b), pairwise sums in index order.</summary>
    public SymmetricMatrix Gram()
    {
        int m = All.Count;
        var g = new SymmetricMatrix(m);
        for (int a = 0; a < m; a++)
            for (int b = a; b < m; b++)
                g[a, b] = g[b, a] = Kernels.Dot.Product(All[a].Values, All[b].Values);
        return g;
    }
}

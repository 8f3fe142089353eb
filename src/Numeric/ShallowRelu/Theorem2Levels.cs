using FimVerify.Symbolic;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>
/// Theorem 2's group coefficients at dimension d, as the symbolic layer derives them with d symbolic
/// (<see cref="Theorem2Coefficients"/>: κ's series regrouped by the vector identities Σ_γ v^(γ,γ) = d v⁽⁰⁾ and Σ_γ v^(γ) = 0),
/// evaluated exactly in Q[π, 1/π] at d and only then rounded: (2d+1)/(4π) for v⁽⁰⁾, 1/4 for the W_k, 1/(2πd) for the
/// v^(α,β) and v^(γ). Nothing here re-types them; tests hold them against the stated values.
/// </summary>
public static class Theorem2Levels
{
    private static readonly Lazy<Theorem2Derivation> Derivation = new(Theorem2Coefficients.derive);

    // Per d: the four coefficients in the order of DirectionGroup (a trial asks for them again and again).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, double[]> ByDimension = new();

    private static double At(RankOneGroup group, int d)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), "d must be at least 1");
        var final = Derivation.Value.Final;
        if (!final.ContainsKey(group)) throw new InvalidOperationException($"the derivation left no coefficient for {group}");
        return final[group].AtDimension(d).ToDouble();
    }

    /// <summary>The coefficient of a direction group in the main part.</summary>
    public static double Of(DirectionGroup group, int d) =>
        ByDimension.GetOrAdd(d, k => [At(RankOneGroup.V0Outer, k), At(RankOneGroup.RowsOuter, k), At(RankOneGroup.PairsOuter, k), At(RankOneGroup.GammasOuter, k)])[(int)group];
}

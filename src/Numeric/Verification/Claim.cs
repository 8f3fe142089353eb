namespace FimVerify.Numeric.Verification;

/// <summary>How a claim's probability is stated, which fixes the test applied to its failure count.</summary>
public enum BoundKind
{
    /// <summary>"The inequality fails with probability at most Bound" (a theorem's guarantee): one-sided test.</summary>
    AtMost,
    /// <summary>"The inequality fails with probability exactly Bound" (an exact distributional result): two-sided test.</summary>
    Exactly,
}

/// <summary>
/// A named inequality evaluated once per independent trial, with the probability bound its source states for its
/// failure. A bound ≥ 1 is vacuous (nothing can refute it); a bound of 0 makes the claim deterministic (one
/// failure refutes it). The same record serves every theorem (shallow networks, deep networks, spectral densities).
/// </summary>
public sealed record Claim(string Name, string Statement, double Bound, BoundKind Kind = BoundKind.AtMost)
{
    public bool Vacuous => Kind == BoundKind.AtMost && Bound >= 1;

    /// <summary>A deterministic identity or inequality: it must hold in every trial.</summary>
    public static Claim Always(string name, string statement) => new(name, statement, 0.0);

    public Claim Validated()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("a claim needs a name");
        if (!double.IsFinite(Bound) || Bound < 0) throw new NumericalException($"the bound of claim '{Name}' is {Bound}, not a probability bound");
        if (Kind == BoundKind.Exactly && Bound > 1) throw new NumericalException($"the exact probability of claim '{Name}' is {Bound} > 1");
        return this;
    }
}

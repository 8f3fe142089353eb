namespace FimVerify.Numeric.Verification;

/// <summary>Whether an inequality is settled by what is known of its quantity.</summary>
public enum Certainty
{
    Holds,
    Fails,
    /// <summary>The quantity's interval straddles the threshold.</summary>
    Undecided,
}

/// <summary>
/// An interval certain to contain a quantity (e.g. an eigenvalue of J bracketed by a low-rank truncation and a bound on the
/// remainder), and the inequalities it settles: x ≥ threshold holds when the whole interval is at or above it, fails when the
/// whole interval is below it, and is undecided otherwise.
/// </summary>
public readonly record struct CertifiedInterval(double Lower, double Upper)
{
    public CertifiedInterval Validated() =>
        double.IsNaN(Lower) || double.IsNaN(Upper) || Lower > Upper ? throw new NumericalException($"[{Lower}, {Upper}] is not an interval") : this;

    /// <summary>x ≥ threshold.</summary>
    public Certainty AtLeast(double threshold) => Lower >= threshold ? Certainty.Holds : Upper < threshold ? Certainty.Fails : Certainty.Undecided;

    /// <summary>x &gt; y for y in <paramref name="other"/>.</summary>
    public Certainty Exceeds(CertifiedInterval other) => Lower > other.Upper ? Certainty.Holds : Upper <= other.Lower ? Certainty.Fails : Certainty.Undecided;

    /// <summary>All hold → Holds; any fails → Fails; otherwise Undecided (a conjunction of inequalities).</summary>
    public static Certainty All(IEnumerable<Certainty> parts)
    {
        bool undecided = false;
        foreach (var c in parts)
        {
            if (c == Certainty.Fails) return Certainty.Fails;
            undecided |= c == Certainty.Undecided;
        }
        return undecided ? Certainty.Undecided : Certainty.Holds;
    }
}

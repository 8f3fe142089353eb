namespace FimVerify.Numeric.Verification;

/// <summary>How the limit of a statistic relates to the claim's target.</summary>
public enum LimitRelation
{
    /// <summary>The limit equals the target (two-sided: FAIL when the confidence interval excludes it).</summary>
    TendsTo,
    /// <summary>The limit is at least the target (FAIL when the upper confidence bound is below it).</summary>
    AtLeast,
    /// <summary>The limit is at most the target (FAIL when the lower confidence bound is above it).</summary>
    AtMost,
}

/// <summary>
/// The finite-size model through which a sweep is extrapolated: E[value at size x] = limit + a·x^(−<see cref="Exponent"/>) (a fitted),
/// or, with no exponent, E[value] = limit at every size. The exponent is stated, never fitted (a fitted exponent is poorly
/// identified by a handful of sizes and would make the interval meaningless); <see cref="Reason"/> says why it is the leading
/// correction. <see cref="VarianceExponent"/> v fixes the weights of the fit, trials·x^v (per-trial variance ∝ x^(−v)): the
/// weights do not depend on the data, so the variance estimate of the fitted limit is unbiased whatever v is; a wrong v costs
/// efficiency, not validity.
/// </summary>
public sealed record FiniteSizeModel(double? Exponent, string Reason, double VarianceExponent = 1)
{
    /// <summary>limit + a/x^exponent.</summary>
    public static FiniteSizeModel PowerLaw(double exponent, string reason, double varianceExponent = 1)
    {
        if (!(exponent > 0) || !double.IsFinite(exponent)) throw new ArgumentOutOfRangeException(nameof(exponent), "the finite-size exponent must be positive");
        return new FiniteSizeModel(exponent, reason, varianceExponent);
    }

    /// <summary>The value's mean is the limit at every size (no finite-size term).</summary>
    public static FiniteSizeModel Constant(string reason, double varianceExponent = 0) => new(null, reason, varianceExponent);

    /// <summary>Fitted parameters: the limit, and the finite-size coefficient when there is an exponent.</summary>
    public int Parameters => Exponent is null ? 1 : 2;

    /// <summary>The model in words, e.g. "limit + a·x^(−1)".</summary>
    public string Formula => Exponent is double e
        ? $"limit + a·x^(−{e.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)})"
        : "limit (no finite-size term)";
}

/// <summary>
/// An asymptotic claim: a per-trial statistic measured over a sweep of sizes x tends (as x → ∞) to <see cref="Target"/> (or its
/// limit is at least / at most it). Decided by <see cref="LimitVerdict.Decide"/>: the limit is estimated through
/// <see cref="Model"/> with a confidence interval at the false-alarm rate, and the decision reports the smallest error of the
/// limit it detects with probability ≥ 0.9. <see cref="Resolution"/> is the largest such error the claim accepts (in the
/// statistic's units): a sweep that cannot detect an error that large is UNDERPOWERED. Without one, the sweep must at least
/// detect an error of |Target| (tell the limit from 0) when the target is not 0, and nothing is required when it is.
/// </summary>
public sealed record LimitClaim(string Name, string Statement, double Target, FiniteSizeModel Model,
    LimitRelation Relation = LimitRelation.TendsTo, double? Resolution = null)
{
    /// <summary>The resolution in force: <see cref="Resolution"/>, else |Target| (∞ for a target of 0).</summary>
    public double RequiredResolution => Resolution ?? (Target != 0 ? Math.Abs(Target) : double.PositiveInfinity);

    /// <summary>"tends to 1", "≥ 0", …</summary>
    public string RelationText => Relation switch
    {
        LimitRelation.AtLeast => $"limit ≥ {Target.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}",
        LimitRelation.AtMost => $"limit ≤ {Target.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}",
        _ => $"tends to {Target.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}",
    };

    public LimitClaim Validated()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("a claim needs a name");
        if (!double.IsFinite(Target)) throw new NumericalException($"the target of limit claim '{Name}' is {Target}");
        if (Resolution is double r && !(r > 0)) throw new ArgumentOutOfRangeException(nameof(Resolution), $"the resolution of limit claim '{Name}' must be positive");
        return this;
    }
}

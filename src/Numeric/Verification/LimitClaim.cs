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
/// The finite-size model through which a sweep is extrapolated: E[value at size x] = limit + Σ_j a_j·x^(−γ_j) over the stated
/// exponents γ_1 &lt; γ_2 &lt; … (the a_j fitted), or, with no exponent, E[value] = limit at every size. The exponents are stated, never
/// fitted (a fitted exponent is poorly identified by a handful of sizes and would make the interval meaningless); <see cref="Reason"/>
/// says why they are the leading corrections and why the next one is negligible at the sizes swept. One term (<see cref="PowerLaw"/>)
/// is the usual model; several (<see cref="Corrections"/>) are for a statistic whose expansion converges slowly at the smallest
/// sizes (an edge at √(T/M) with T/M = 0.4), at the price of a wider interval. <see cref="VarianceExponent"/> v fixes the weights
/// of the fit, trials·x^v (per-trial variance ∝ x^(−v)): the weights do not depend on the data, so the variance estimate of the
/// fitted limit is unbiased whatever v is; a wrong v costs efficiency, not validity.
/// </summary>
public sealed record FiniteSizeModel
{
    private readonly double[] _exponents;

    /// <summary>limit + a·x^(−exponent), or no finite-size term for a null exponent (the one-term form of the model).</summary>
    public FiniteSizeModel(double? Exponent, string Reason, double VarianceExponent = 1)
        : this(Exponent is double e ? [e] : [], Reason, VarianceExponent)
    {
    }

    private FiniteSizeModel(double[] exponents, string reason, double varianceExponent)
    {
        foreach (double e in exponents)
            if (!(e > 0) || !double.IsFinite(e)) throw new ArgumentOutOfRangeException(nameof(exponents), "every finite-size exponent must be positive and finite");
        if (!double.IsFinite(varianceExponent)) throw new ArgumentOutOfRangeException(nameof(varianceExponent), "the variance exponent must be finite");
        _exponents = exponents.Order().ToArray();
        for (int j = 1; j < _exponents.Length; j++)
            if (_exponents[j] == _exponents[j - 1]) throw new ArgumentException("the finite-size exponents must be distinct (a repeated term is not identifiable)");
        Reason = reason;
        VarianceExponent = varianceExponent;
    }

    /// <summary>limit + a/x^exponent.</summary>
    public static FiniteSizeModel PowerLaw(double exponent, string reason, double varianceExponent = 1)
    {
        if (!(exponent > 0) || !double.IsFinite(exponent)) throw new ArgumentOutOfRangeException(nameof(exponent), "the finite-size exponent must be positive");
        return new FiniteSizeModel(exponent, reason, varianceExponent);
    }

    /// <summary>limit + Σ_j a_j·x^(−exponents_j): several stated corrections (distinct, positive; listed in any order).</summary>
    public static FiniteSizeModel Corrections(IReadOnlyList<double> exponents, string reason, double varianceExponent = 1)
    {
        if (exponents.Count == 0) throw new ArgumentException("a model of corrections needs at least one exponent (Constant states none)", nameof(exponents));
        return new FiniteSizeModel(exponents.ToArray(), reason, varianceExponent);
    }

    /// <summary>The value's mean is the limit at every size (no finite-size term).</summary>
    public static FiniteSizeModel Constant(string reason, double varianceExponent = 0) => new((double?)null, reason, varianceExponent);

    /// <summary>The exponents γ_j of the corrections, increasing (the leading correction first); empty without a finite-size term.</summary>
    public IReadOnlyList<double> Exponents => _exponents;

    /// <summary>The leading (slowest) correction's exponent, or null without a finite-size term.</summary>
    public double? Exponent => _exponents.Length > 0 ? _exponents[0] : null;

    /// <summary>Why these are the corrections (and why the next is negligible).</summary>
    public string Reason { get; init; }

    /// <summary>v in the fit's weights trials·x^v.</summary>
    public double VarianceExponent { get; init; }

    /// <summary>Fitted parameters: the limit and one coefficient per correction.</summary>
    public int Parameters => 1 + _exponents.Length;

    /// <summary>The basis of the fit at size x: 1, x^(−γ_1), x^(−γ_2), ….</summary>
    public double[] Basis(double x)
    {
        var f = new double[Parameters];
        f[0] = 1;
        for (int j = 0; j < _exponents.Length; j++) f[j + 1] = Math.Pow(x, -_exponents[j]);
        return f;
    }

    /// <summary>The model in words, e.g. "limit + a·x^(−1)" or "limit + a·x^(−0.5) + b·x^(−1)".</summary>
    public string Formula => _exponents.Length == 0
        ? "limit (no finite-size term)"
        : "limit" + string.Concat(_exponents.Select((e, j) =>
            $" + {CoefficientName(j)}·x^(−{e.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)})"));

    /// <summary>The name of correction j's coefficient in <see cref="Formula"/>: a, b, c, … .</summary>
    public static string CoefficientName(int j) => j < 26 ? ((char)('a' + j)).ToString() : $"a{j}";

    public bool Equals(FiniteSizeModel? other) => other is not null && _exponents.SequenceEqual(other._exponents)
        && Reason == other.Reason && VarianceExponent.Equals(other.VarianceExponent);

    public override int GetHashCode() => HashCode.Combine(_exponents.Length == 0 ? 0.0 : _exponents[0], _exponents.Length, Reason, VarianceExponent);
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
    /// <summary>
    /// The detectable error in force, on the scale of the limit: <see cref="Resolution"/> is relative to |Target| (absolute for a
    /// target of 0); without one, |Target| — a one-sided claim must at least refute a limit of 0 —, and ∞ for a target of 0 (which
    /// the claim files refuse for limit-at-least: such a claim would pass without power).
    /// </summary>
    public double RequiredResolution => Resolution is double r
        ? (Target != 0 ? r * Math.Abs(Target) : r)
        : Target != 0 ? Math.Abs(Target) : double.PositiveInfinity;

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

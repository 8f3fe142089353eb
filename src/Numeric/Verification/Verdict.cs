namespace FimVerify.Numeric.Verification;

/// <summary>The outcome of confronting a claim with its observed failures.</summary>
public enum Verdict
{
    /// <summary>The observations are consistent with the stated probability (not refuted at the false-alarm rate).</summary>
    Pass,
    /// <summary>The observations refute the stated probability at the false-alarm rate.</summary>
    Fail,
    /// <summary>The stated bound is ≥ 1: it says nothing and cannot be refuted; the failures are still reported.</summary>
    Vacuous,
    /// <summary>
    /// Some trials could not be decided (a certified interval of the quantity straddled the threshold), and counting them as
    /// failures or as successes leads to different verdicts: the observations settle nothing either way.
    /// </summary>
    Undecided,
    /// <summary>
    /// No possible outcome of the trials could have refuted the claim at the false-alarm rate (too few trials for the stated
    /// bound, or a limit estimate whose resolution is coarser than the claim requires): a PASS here would say nothing, so it is
    /// never shown as PASS. Not a failure (exit code 0 unless --strict); the verdict carries what would give power.
    /// </summary>
    Underpowered,
}

/// <summary>
/// A claim with its tally and decision. <see cref="Interval"/> is [one-sided lower bound, one-sided upper bound] of
/// the failure probability, each at confidence 1 − α (for exact-probability claims, α/2 per side).
/// </summary>
public sealed record ClaimVerdict(Claim Claim, long Failures, long Trials, double Alpha, (double Lower, double Upper) Interval, Verdict Verdict)
{
    public double ObservedRate => (double)Failures / Trials;

    /// <summary>What these trials could refute (<see cref="ProbabilityPower"/>): set by <see cref="Decide(Claim, long, long, double)"/>.</summary>
    public ProbabilityPower Power { get; init; } = ProbabilityPower.None;

    /// <summary>Trials in which the claim could be neither confirmed nor refuted (counted in neither Failures nor successes).</summary>
    public long Undecided { get; init; }

    /// <summary>
    /// The decision with <paramref name="undecided"/> trials whose outcome is unknown: the verdict when all of them fail and
    /// when none does; if the two agree, that verdict (each is a valid decision at rate α for its completion of the data),
    /// else <see cref="Verdict.Undecided"/>. The interval runs from the lower bound with the certain failures to the upper
    /// bound with every undecided trial counted as a failure. A claim no count could refute is UNDERPOWERED either way.
    /// </summary>
    public static ClaimVerdict Decide(Claim claim, long failures, long undecided, long trials, double alpha)
    {
        if (undecided < 0 || failures + undecided > trials) throw new ArgumentOutOfRangeException(nameof(undecided), "undecided trials must lie in [0, trials − failures]");
        var fewest = Decide(claim, failures, trials, alpha);
        if (undecided == 0) return fewest;
        var most = Decide(claim, failures + undecided, trials, alpha);
        var verdict = fewest.Verdict == most.Verdict ? fewest.Verdict : Verdict.Undecided;
        return fewest with { Interval = (fewest.Interval.Lower, most.Interval.Upper), Verdict = verdict, Undecided = undecided };
    }

    /// <summary>
    /// The decision rule. AtMost: FAIL when P(X ≥ f | n, bound) &lt; α, i.e. the one-sided Clopper–Pearson lower
    /// bound exceeds the bound; under the claim this happens with probability ≤ α. Exactly: FAIL when the exact
    /// probability lies outside the two-sided Clopper–Pearson interval at level 1 − α. VACUOUS when the bound ≥ 1.
    /// UNDERPOWERED instead of PASS when no count of the n trials would be a FAIL (<see cref="ProbabilityPower.CanFail"/>).
    /// </summary>
    public static ClaimVerdict Decide(Claim claim, long failures, long trials, double alpha)
    {
        claim.Validated();
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), "at least one trial is needed");
        if (failures < 0 || failures > trials) throw new ArgumentOutOfRangeException(nameof(failures), "failures must lie in [0, trials]");
        if (alpha is <= 0 or >= 0.5 || double.IsNaN(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), "the false-alarm rate must lie in (0, 0.5)");
        var power = ProbabilityPower.Of(claim, trials, alpha);
        Verdict Unrefuted() => power.CanFail ? Verdict.Pass : Verdict.Underpowered;
        if (claim.Kind == BoundKind.Exactly)
        {
            var ci = ClopperPearson.Interval(failures, trials, alpha);
            bool refuted = ClopperPearson.UpperTail(failures, trials, claim.Bound) < alpha / 2
                        || ClopperPearson.LowerTail(failures, trials, claim.Bound) < alpha / 2;
            return new ClaimVerdict(claim, failures, trials, alpha, ci, refuted ? Verdict.Fail : Unrefuted()) { Power = power };
        }
        var interval = (ClopperPearson.Lower(failures, trials, alpha), ClopperPearson.Upper(failures, trials, alpha));
        if (claim.Vacuous) return new ClaimVerdict(claim, failures, trials, alpha, interval, Verdict.Vacuous) { Power = power };
        bool fail = ClopperPearson.UpperTail(failures, trials, claim.Bound) < alpha;
        return new ClaimVerdict(claim, failures, trials, alpha, interval, fail ? Verdict.Fail : Unrefuted()) { Power = power };
    }

    /// <summary>The smallest bound these observations do not refute (the one-sided lower confidence bound).</summary>
    public double SmallestConsistentBound => Interval.Lower;
}

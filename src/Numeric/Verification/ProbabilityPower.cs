namespace FimVerify.Numeric.Verification;

/// <summary>
/// What the decision rule of a probability claim (<see cref="ClaimVerdict.Decide(Claim, long, long, double)"/>) can refute with
/// a given number of trials, false-alarm rate α and stated bound b: a property of the design, not of the observed counts.
/// <list type="bullet">
/// <item><see cref="MinFailuresToFail"/>: the smallest failure count that is a FAIL (AtMost: the smallest f with
///   P(X ≥ f | n, b) &lt; α; Exactly: the same at α/2), or null when no count of the n trials can refute the claim;</item>
/// <item><see cref="MaxFailuresToFail"/>: for an exact probability, the largest count that refutes it from below
///   (P(X ≤ f | n, b) &lt; α/2), or null;</item>
/// <item><see cref="RateRefutedWithPower"/>: the smallest true failure rate that yields at least
///   <see cref="MinFailuresToFail"/> failures with probability ≥ <see cref="Level"/> (0.9), i.e. is refuted that often;</item>
/// <item><see cref="TrialsForPower"/>: a number of trials at which the <see cref="Alternative"/> rate is refuted with probability
///   ≥ 0.9 (the power of an exact binomial test is saw-toothed in n: this is the first n of the crossing found by doubling and
///   bisection, with the power there ≥ 0.9 and below 0.9 one trial earlier); null when it exceeds <see cref="MaxTrials"/> or no
///   alternative exists;</item>
/// <item><see cref="TrialsToRefute"/>: the fewest trials at which some count refutes the claim at all (b^n &lt; α for AtMost).</item>
/// </list>
/// The alternative is min(2b, (1 + b)/2): twice the stated bound, or halfway from it to certain failure when that is smaller
/// (for b = 0, a deterministic claim, one failure refutes and the alternative is not needed: 1 trial gives power). A claim with
/// no refuting count is UNDERPOWERED: its PASS could not have been a FAIL.
/// </summary>
public sealed record ProbabilityPower(long? MinFailuresToFail, long? MaxFailuresToFail, double? RateRefutedWithPower, double? Alternative,
    long? TrialsForPower, long? TrialsToRefute)
{
    /// <summary>The probability of refutation that counts as power.</summary>
    public const double Level = 0.9;

    /// <summary>Searches for trials stop here (the incomplete beta function stays accurate far beyond).</summary>
    public const long MaxTrials = 1_000_000_000;

    /// <summary>Some count of the trials would refute the claim.</summary>
    public bool CanFail => MinFailuresToFail is not null || MaxFailuresToFail is not null;

    /// <summary>The power of a vacuous claim: nothing can refute it at any number of trials.</summary>
    public static ProbabilityPower None { get; } = new(null, null, null, null, null, null);

    /// <summary>The power of <paramref name="claim"/>'s decision with <paramref name="trials"/> trials at false-alarm rate <paramref name="alpha"/>.</summary>
    public static ProbabilityPower Of(Claim claim, long trials, double alpha)
    {
        claim.Validated();
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), "at least one trial is needed");
        if (alpha is <= 0 or >= 0.5 || double.IsNaN(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), "the false-alarm rate must lie in (0, 0.5)");
        if (claim.Vacuous) return None;
        double b = claim.Bound;
        bool exact = claim.Kind == BoundKind.Exactly;
        double side = exact ? alpha / 2 : alpha;
        long? upper = SmallestRefutingCount(trials, b, side);
        long? lower = exact ? LargestRefutingCountBelow(trials, b, side) : null;
        double? rate = upper is long k ? RateReachingCount(k, trials, Level) : null;
        double? alternative = b > 0 && b < 1 ? Math.Min(2 * b, (1 + b) / 2) : null;
        long? toRefute = FewestTrialsToRefute(b, side, exact);
        long? forPower = b == 0 ? 1 : alternative is double q ? TrialsReachingPower(b, side, exact, q) : null;
        return new ProbabilityPower(upper, lower, rate, alternative, forPower, toRefute);
    }

    /// <summary>The probability that the decision refutes the claim when the true failure rate is <paramref name="rate"/>.</summary>
    public static double Refutation(Claim claim, long trials, double alpha, double rate)
    {
        if (rate is < 0 or > 1 || double.IsNaN(rate)) throw new ArgumentOutOfRangeException(nameof(rate), "a rate lies in [0, 1]");
        var power = Of(claim, trials, alpha);
        double p = power.MinFailuresToFail is long k ? ClopperPearson.UpperTail(k, trials, rate) : 0;
        if (power.MaxFailuresToFail is long j) p += ClopperPearson.LowerTail(j, trials, rate);
        return Math.Min(1, p);
    }

    /// <summary>min{f ≥ 1 : P(X ≥ f | n, b) &lt; a}, or null when even f = n does not refute (the tail decreases in f).</summary>
    internal static long? SmallestRefutingCount(long n, double b, double a)
    {
        if (!(ClopperPearson.UpperTail(n, n, b) < a)) return null;
        long lo = 0, hi = n; // invariant: tail(lo) ≥ a (tail(0) = 1), tail(hi) < a
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (ClopperPearson.UpperTail(mid, n, b) < a) hi = mid; else lo = mid;
        }
        return hi;
    }

    /// <summary>max{f ≤ n − 1 : P(X ≤ f | n, b) &lt; a}, or null when even f = 0 does not refute (the tail increases in f).</summary>
    internal static long? LargestRefutingCountBelow(long n, double b, double a)
    {
        if (!(ClopperPearson.LowerTail(0, n, b) < a)) return null;
        long lo = 0, hi = n; // invariant: lower tail(lo) < a, lower tail(hi) = 1 ≥ a
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (ClopperPearson.LowerTail(mid, n, b) < a) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>The smallest q with P(X ≥ k | n, q) ≥ level (the tail increases in q), from the side where the level is reached.</summary>
    internal static double RateReachingCount(long k, long n, double level)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (ClopperPearson.UpperTail(k, n, mid) >= level) hi = mid; else lo = mid;
        }
        return hi;
    }

    private static double PowerAt(long n, double b, double a, bool exact, double q)
    {
        double p = SmallestRefutingCount(n, b, a) is long k ? ClopperPearson.UpperTail(k, n, q) : 0;
        if (exact && LargestRefutingCountBelow(n, b, a) is long j) p += ClopperPearson.LowerTail(j, n, q);
        return p;
    }

    /// <summary>The fewest trials with a refuting count: b^n &lt; a (all fail), or for exact claims also (1 − b)^n &lt; a (none fails).</summary>
    private static long? FewestTrialsToRefute(double b, double a, bool exact)
    {
        if (b == 0) return 1;
        static long? Solve(double r, double a)
        {
            if (r <= 0) return 1;
            if (r >= 1) return null;
            // n > ln a / ln r, checked against the tail itself so that rounding cannot move it.
            double n0 = Math.Floor(Math.Log(a) / Math.Log(r));
            if (n0 >= MaxTrials) return null;
            long n = Math.Max(1, (long)n0 - 1);
            while (!(Math.Pow(r, n) < a)) n++;
            while (n > 1 && Math.Pow(r, n - 1) < a) n--;
            return n;
        }
        var upper = Solve(b, a);
        var lower = exact ? Solve(1 - b, a) : null;
        return upper is null ? lower : lower is null ? upper : Math.Min(upper.Value, lower.Value);
    }

    private static long? TrialsReachingPower(double b, double a, bool exact, double q)
    {
        long lo = 0, hi = 1; // power(lo) < level (power(0) = 0), find hi with power(hi) ≥ level
        while (PowerAt(hi, b, a, exact, q) < Level)
        {
            lo = hi;
            if (hi >= MaxTrials) return null;
            hi = Math.Min(MaxTrials, 2 * hi);
        }
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (PowerAt(mid, b, a, exact, q) >= Level) hi = mid; else lo = mid;
        }
        return hi;
    }
}

namespace FimVerify.Numeric.Verification;

/// <summary>
/// The smallest constants the observations do not refute. For a claim with bound C·D/(δ²p) and f failures in n
/// trials, every C below C_min = L·δ²p/D is refuted at false-alarm rate α, where L is the one-sided Clopper–Pearson
/// lower bound of the failure rate (C_min = 0 when nothing failed). For a claim whose inequality carries a slack ξ,
/// each trial records the ξ it needed; the smallest consistent ξ is the smallest value at which the resulting failure
/// count is not refuted at the stated bound.
/// </summary>
public static class ConsistentConstants
{
    /// <summary>C_min = (one-sided lower bound of the failure rate) · δ²p / D.</summary>
    public static double SmallestC(long failures, long trials, double alpha, double delta, long p, double entryCount) =>
        ClopperPearson.Lower(failures, trials, alpha) * delta * delta * p / entryCount;

    /// <summary>
    /// The smallest ξ whose failure count {k : needed_k &gt; ξ} is consistent with the bound at rate α; 0 when the bound is
    /// vacuous (any ξ is consistent) or when no trial needed slack.
    /// </summary>
    public static double SmallestXi(IReadOnlyList<double> needed, double bound, double alpha)
    {
        if (needed.Count == 0) throw new ArgumentException("no trials");
        if (bound >= 1) return 0.0;
        var sorted = needed.OrderByDescending(x => x).ToArray();
        long n = sorted.Length;
        // Largest failure count still consistent with the bound.
        long allowed = 0;
        while (allowed < n && ClopperPearson.UpperTail(allowed + 1, n, bound) >= alpha) allowed++;
        // With ξ equal to the (allowed+1)-th largest need, at most `allowed` trials exceed it.
        return allowed >= n ? 0.0 : Math.Max(0.0, sorted[allowed]);
    }
}

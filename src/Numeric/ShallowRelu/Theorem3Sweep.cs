using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>One claim's failure counts across a p-sweep with the trend decision.</summary>
public sealed record ClaimTrend(string Claim, TrendResult Trend);

/// <summary>
/// The p-sweep of Theorem 3: the claims' bounds scale as 1/p, so each claim's failure rate must not decay slower than
/// 1/p (TrendCheck with exponent 1; trials left undecided by certified intervals are counted both ways). Every p uses its own
/// run of the same addressed trials.
/// </summary>
public static class Theorem3Sweep
{
    public sealed record Result(IReadOnlyList<Theorem3Report> Reports, IReadOnlyList<ClaimTrend> Trends);

    /// <summary>The experiment at one sweep point: the default slacks ξ of d, J evaluated or not.</summary>
    public static Theorem3Parameters PointParameters(int d, double delta, int p, bool withJ, Lemma2Constant constant) =>
        Theorem3Parameters.WithDefaultSlack(d, p, delta, constant) with { WithJ = withJ };

    /// <summary>
    /// Runs the trials of <paramref name="shard"/> (all by default) at every p; trial k of every p uses (seed, "theorem3", k).
    /// Progress: one stage per p.
    /// </summary>
    public static Result Run(int d, double delta, IReadOnlyList<int> ps, long trials, long seed, double alpha, bool withJ, Lemma2Constant constant,
        Shard shard = default, IProgress<ProgressStep>? progress = null)
    {
        if (ps.Count < 2) throw new ArgumentException("a sweep needs at least two values of p");
        var reports = ps.Select(p => Theorem3Verification.Run(PointParameters(d, delta, p, withJ, constant), trials, seed, alpha, shard, progress)).ToList();
        return FromReports(reports, alpha);
    }

    /// <summary>The sweep's verdicts from trial logs (one per point, e.g. the union of shards), as <see cref="Run"/> derives them.</summary>
    public static Result Analyse(IReadOnlyList<Theorem3Parameters> points, IReadOnlyList<TrialLog> logs, long seed, double alpha)
    {
        if (points.Count < 2 || logs.Count != points.Count) throw new ArgumentException("a sweep needs at least two points, each with its log");
        return FromReports(points.Select((prm, i) => Theorem3Verification.Analyse(prm, logs[i], seed, alpha, Shard.All)).ToList(), alpha);
    }

    private static Result FromReports(IReadOnlyList<Theorem3Report> reports, double alpha)
    {
        // Claims common to every p (the eigenvalue claims exist only where J is dense).
        var names = reports.Select(r => r.Results.Select(x => x.Verdict.Claim.Name).ToHashSet())
            .Aggregate((a, b) => { a.IntersectWith(b); return a; });
        var trends = reports[0].Results.Select(x => x.Verdict.Claim)
            .Where(c => names.Contains(c.Name) && c.Kind == BoundKind.AtMost)
            .Select(c => new ClaimTrend(c.Name, TrendCheck.DecaysAtLeastLike(
                reports.Select(r => (r.Parameters.P, r.Results.First(x => x.Verdict.Claim.Name == c.Name).Verdict))
                       .Select(x => new SweepPoint(x.P, x.Verdict.Failures, x.Verdict.Trials) { Undecided = x.Verdict.Undecided }).ToList(), 1.0, alpha)))
            .ToList();
        return new Result(reports, trends);
    }
}

namespace FimVerify.Numeric.Verification;

/// <summary>One claim's failure counts across a p-sweep with the trend decision.</summary>
public sealed record ClaimTrend(string Claim, TrendResult Trend);

/// <summary>
/// The p-sweep of Theorem 3: the claims' bounds scale as 1/p, so each claim's failure rate must not decay slower than
/// 1/p (TrendCheck with exponent 1). Every p uses its own run of the same addressed trials.
/// </summary>
public static class Theorem3Sweep
{
    public sealed record Result(IReadOnlyList<Theorem3Report> Reports, IReadOnlyList<ClaimTrend> Trends);

    public static Result Run(int d, double delta, IReadOnlyList<int> ps, long trials, long seed, double alpha, bool withJ, Models.Lemma2Constant constant)
    {
        if (ps.Count < 2) throw new ArgumentException("a sweep needs at least two values of p");
        var reports = ps.Select(p =>
        {
            var prm = Theorem3Parameters.WithDefaultSlack(d, p, delta, constant) with { WithJ = withJ };
            return Theorem3Verification.Run(prm, trials, seed, alpha);
        }).ToList();
        // Claims common to every p (the eigenvalue claims exist only where J is dense).
        var names = reports.Select(r => r.Results.Select(x => x.Verdict.Claim.Name).ToHashSet())
            .Aggregate((a, b) => { a.IntersectWith(b); return a; });
        var trends = reports[0].Results.Select(x => x.Verdict.Claim)
            .Where(c => names.Contains(c.Name) && c.Kind == BoundKind.AtMost)
            .Select(c => new ClaimTrend(c.Name, TrendCheck.DecaysAtLeastLike(
                reports.Select(r => r.Results.First(x => x.Verdict.Claim.Name == c.Name).Verdict)
                       .Select((v, k) => new SweepPoint(ps[k], v.Failures, v.Trials)).ToList(), 1.0, alpha)))
            .ToList();
        return new Result(reports, trends);
    }
}

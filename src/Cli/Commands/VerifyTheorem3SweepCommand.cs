using System.Globalization;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Sharding;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.ShallowRelu;

namespace FimVerify.Cli.Commands;

/// <summary>`verify theorem3-sweep`: failure rates of the Theorem 3 claims across p, with the 1/p trend decision.</summary>
public sealed class VerifyTheorem3SweepCommand : ILongRunningCommand
{
    public string Path => "verify theorem3-sweep";
    public string Summary => "Theorem 3 across a p-sweep: each claim's failure rate must not decay slower than 1/p.";
    public string Help => $"""
        Usage: fimverify verify theorem3-sweep --p-list P1,P2,… [--d D] [--delta δ] [--trials K] [--seed S] [--alpha A]
                                               [--lemma2-only] [--shard i/N] [--partial FILE] [--strict] [--format text|json] [--quiet]
          --p-list      at least two distinct values of p (each ≥ d), e.g. 50,100,200,400 (required)
          --d D         input dimension, at least 2 (default 3);  --delta δ  > 0 (default 0.2)
          --trials K    trials per p (trial k of every p uses the stream (S, "theorem3", k); default 200)
          --seed S      run seed (default 1);  --alpha A  false-alarm rate, 1e-300 … 0.25 (default 1e-6)
          --lemma2-only evaluate only the claims that need W alone (Lemma 2 and the trace), not J: much faster
        {ShardOptions.Synopsis}
        {ProgressReporter.Synopsis}
        Rule: p·q(p) must not increase significantly between any two sweep points (one-sided Clopper–Pearson bounds,
        Bonferroni over the pairs at rate α); the least-squares slope of log q on log p is printed for information.
        Exit code 0 when no trend is refuted, 1 when one is, 2 on bad input.
        Example: fimverify verify theorem3-sweep --d 3 --delta 0.2 --p-list 50,100,200,400,800 --trials 400 --lemma2-only
        Sharded: … --shard 0/4 --partial part-0.json on each of 4 machines, then `fimverify merge part-*.json` prints
                 the unsharded output (trial k of every p is in shard k mod N; see docs/sharding.md)
        """;

    public int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        int d = args.Int("--d", 3, 2, 1000);
        double delta = args.Double("--delta", 0.2, 0);
        string list = args.OptionalString("--p-list") ?? throw new UsageException("The option --p-list is required (e.g. --p-list 50,100,200).");
        long trials = args.Long("--trials", 200, 1, 100_000_000);
        long seed = args.Long("--seed", 1);
        double alpha = args.FalseAlarmRate("--alpha", 1e-6, 0.25);
        bool lemma2Only = args.Flag("--lemma2-only");
        bool strict = args.Flag("--strict");
        var sharding = ShardOptions.Read(args);
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        var progress = ProgressReporter.Read(args, stderr);
        args.EnsureAllUsed();
        var ps = list.Split(',').Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
            : throw new UsageException($"The option --p-list needs whole numbers separated by commas, but got '{s}'.")).ToList();
        if (ps.Count < 2) throw new UsageException("The option --p-list needs at least two values of p.");
        if (ps.Any(p => p < d)) throw new UsageException($"Every p in --p-list must be at least d = {d}.");
        if (ps.Any(p => p > 1_000_000)) throw new UsageException("Every p in --p-list must be at most 10⁶.");
        if (ps.Distinct().Count() != ps.Count)
            throw new UsageException($"The values in --p-list must be distinct, but {ps.GroupBy(p => p).First(g => g.Count() > 1).Key} appears twice: a trend needs two different sizes.");
        sharding.Validate(trials);

        var constant = Theorem3Verification.ConstantFor(d);
        long mine = sharding.Shard.CountOf(trials);
        ResourceLimits.Check(ps.Select(p => ExperimentCosts.Theorem3(Theorem3Sweep.PointParameters(d, delta, p, !lemma2Only, constant), mine))
                .Aggregate(ResourceEstimate.None, (a, b) => a.Then(b))     // the points run one after another, their logs all kept
                .With(new ResourceEstimate(CheckedSize.Multiply(mine, ps.Count, ExperimentCosts.TrialLogBytes), 0, 0)),
            $"verify theorem3-sweep at d = {d}, p = {string.Join(",", ps)} with {mine} trial(s) each",
            lemma2Only ? "reduce --d, the p's or --trials, or shard the trials" : "reduce --d, the p's or --trials, add --lemma2-only, or shard the trials");
        var r = progress.Run(sink => Theorem3Sweep.Run(d, delta, ps, trials, seed, alpha, !lemma2Only, constant, sharding.Shard, sink));
        // The verdicts first: a file that cannot be written afterwards loses no result.
        Theorem3SweepOutput.Write(r, format, stdout);
        if (sharding.PartialPath is not null) Theorem3SweepPartial.Write(sharding.PartialPath, r, trials);
        return Theorem3SweepOutput.ExitCode(r, strict);
    }
}

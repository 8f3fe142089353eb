using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Sharding;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Resources;

namespace FimVerify.Cli.Commands;

/// <summary>`verify theorem3`: Lemma 2, Theorem 3's five inequalities and the eigenvalue claims over independent trials.</summary>
public sealed class VerifyTheorem3Command : ILongRunningCommand
{
    public string Path => "verify theorem3";
    public string Summary => "Lemma 2 / Theorem 3 over K random W: failure counts vs the stated C·D/(δ²p), smallest consistent C and ξ.";
    public string Help => """
        Usage: fimverify verify theorem3 [--d D] [--p P] [--delta δ] [--trials K] [--seed S] [--alpha A]
                                         [--xi-pair X] [--xi-diag X] [--shard i/N] [--partial FILE] [--lemma2-only]
                                         [--strict] [--format text|json] [--quiet]
          --d D         input dimension, at least 2 (default 3)
          --p P         hidden units, at least d (default 1000; up to p = 2000 the claims on J use J itself; above, certified
                        intervals from a rank-r truncation of J, O(p r²) per trial: a trial whose interval
                        straddles a threshold leaves that claim undecided, and the verdict says UNDECIDED
                        when that could change it)
          --delta δ     the δ of Lemma 2 / Theorem 3, > 0 (default 0.5)
          --trials K    independent draws of W (trial k uses the stream (S, "theorem3", k); default 100)
          --seed S      run seed (default 1)
          --alpha A     false-alarm rate of each FAIL decision, 1e-300 … 0.25 (default 1e-6)
          --xi-pair X   ξ(d−2) for the v^(α,β) claims (default 2/(d+2), the exact offset of E‖v^(α,β)‖² from 1)
          --xi-diag X   ξ(d−1) for the v^(γ) claims (default 3/(d+2), the exact offset of E‖v^(γ)‖² from 1)
          --shard i/N   run only the trials k with k mod N = i (results per trial do not depend on the sharding)
          --partial F   also write this shard's per-trial outcomes to F (JSON, fimverify-partial/2) for `fimverify merge`
          --lemma2-only evaluate only the claims that need W alone (Lemma 2 and the trace): no J, fast at any p
          --strict      exit 1 also when a claim is UNDERPOWERED (no failure count of these trials could refute it) or UNDECIDED
          --format F    text (default) or json: {"claims":[{"name","bound","vacuous","failures","trials","ci","verdict",…}],…}
          --quiet       no progress on stderr (by default bars on a terminal, plain lines when redirected)
        Bound = C·D/(δ²p), D = (d+1)(d+2)(d²+3d+4)/8, C = max per-column variance of the Gram entries (derived exactly by
        the symbolic layer; ours, not the paper's). Decision: FAIL when the one-sided Clopper–Pearson lower bound of the
        failure rate exceeds the bound at rate α; VACUOUS when the bound ≥ 1; UNDERPOWERED when no failure count of the
        trials could refute it ("fails at" shows the smallest refuting count, or the trials that would give one). The trace
        claim is also tested two-sided against its exact probability P(χ²_{dp} > dp(1+δ)), computed in log space, printed as 10^x.
        Exit code 0 when no claim fails, 1 when one does (or with --strict one is UNDERPOWERED/UNDECIDED), 2 on bad input.
        Example: fimverify verify theorem3 --d 3 --p 1000 --delta 0.5 --trials 200 --seed 1
                 fimverify verify theorem3 --d 3 --p 100000 --delta 0.5 --trials 200   (non-vacuous, every claim)
        Sharded: fimverify verify theorem3 --d 3 --p 1000 --delta 0.5 --trials 200 --shard 0/4 --partial part-0.json
                 (then `fimverify merge part-*.json` prints the unsharded verdicts; see docs/sharding.md)
        """;

    public int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        int d = args.Int("--d", 3, 2, 1000);
        int p = args.Int("--p", 1000, 1, 10_000_000);
        double delta = args.Double("--delta", 0.5, 0);
        long trials = args.Long("--trials", 100, 1, 100_000_000);
        long seed = args.Long("--seed", 1);
        double alpha = args.FalseAlarmRate("--alpha", 1e-6, 0.25);
        double? xiPair = args.Has("--xi-pair") ? args.Double("--xi-pair", 0, -1e-300) : null;
        double? xiDiag = args.Has("--xi-diag") ? args.Double("--xi-diag", 0, -1e-300) : null;
        var sharding = ShardOptions.Read(args);
        bool lemma2Only = args.Flag("--lemma2-only");
        bool strict = args.Flag("--strict");
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        var progress = ProgressReporter.Read(args, stderr);
        args.EnsureAllUsed();
        if (p < d) throw new UsageException($"The option --p must be at least d = {d}, but got {p}.");
        if ((long)d * p > 200_000_000) throw new UsageException($"d·p = {(long)d * p} exceeds the 2·10⁸ weights one trial may hold.");

        sharding.Validate(trials);
        var constant = Theorem3Verification.ConstantFor(d);
        var prm = Theorem3Parameters.WithDefaultSlack(d, p, delta, constant);
        prm = prm with { XiPair = xiPair ?? prm.XiPair, XiDiagonal = xiDiag ?? prm.XiDiagonal, WithJ = !lemma2Only };
        ResourceLimits.Check(ExperimentCosts.Theorem3(prm, sharding.Shard.CountOf(trials)), $"verify theorem3 at d = {d}, p = {p} with {sharding.Shard.CountOf(trials)} trial(s)",
            lemma2Only ? "reduce --d, --p or --trials, or shard the trials" : "reduce --d, --p or --trials, add --lemma2-only, or shard the trials");
        var report = progress.Run(sink => Theorem3Verification.Run(prm, trials, seed, alpha, sharding.Shard, sink));
        // The verdicts first: a file that cannot be written afterwards loses no result.
        Theorem3ReportOutput.Write(report, Theorem3ReportOutput.EigenBackendFor(report.Parameters), format, stdout);
        if (sharding.PartialPath is not null) Theorem3Partial.Write(sharding.PartialPath, report, trials);
        return ClaimReport.ExitCode(report.Results.Select(r => r.Verdict), strict);
    }
}

using FimVerify.Numeric.Resources;
using FimVerify.Cli.Claims;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Sharding;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.LinearAlgebra;

namespace FimVerify.Cli.Commands;

/// <summary>`verify claims FILE.toml`: the user's claims about random networks' Fisher matrices, property-tested by the claim engine.</summary>
public sealed class VerifyClaimsCommand : ILongRunningCommand
{
    public string Path => "verify claims";
    public string Summary => "Your own claims (a TOML claim file): a statistic of a random network's FIM, NTK or J against a prediction.";
    public string Help => $"""
        Usage: fimverify verify claims FILE.toml [--format text|json] [--strict] [--seed S]
                                                 [--shard i/N --partial FILE] [--quiet]
          FILE.toml     a claim file: [[claim]] tables, each a model (mlp, softmax-mlp, shallow-relu), a matrix (fim, ntk,
                        fim-mean-subtracted, ntk-mean-subtracted, input, fim-block:l; j, main, remainder), a statistic
                        (lambda-max, eigenvalue:k, mean-top:k, mean, second-moment, trace, rayleigh:G), a relation (<=, >=,
                        <, > with a probability, or ratio-tends-to-1 over a sweep) and a prediction, an expression of the
                        model's symbols (M, T, C, L, P, alpha, kappa1, kappa2, kappa1p, kappa2p; d, p, C, D, xi_pair,
                        xi_diag) and the file's [constants]; see docs/claims.md
          --format F    text (default) or json
          --strict      exit 1 also when a claim is UNDERPOWERED (its trials could not have refuted it) or UNDECIDED
          --seed S      run seed (default: the file's seed, else 1); trial k of claim c at size x uses the stream (S, c, x, k)
        {ShardOptions.Synopsis.TrimEnd()}
                           (a shard writes its trials and decides nothing: `fimverify merge` of all parts decides)
        {ProgressReporter.Synopsis.TrimEnd()}
        Inequalities: the failure count at each size against the stated probability (one-sided Clopper–Pearson at α/sizes;
        VACUOUS when the bound is ≥ 1, UNDERPOWERED when no count of the trials could refute it, UNDECIDED when certified
        bounds leave trials open). Limits: the ratio statistic/predicted estimated at size → ∞ through a stated finite-size
        model, with a confidence interval at α (FAIL when it excludes 1, UNDERPOWERED when the sweep cannot detect an error
        of the claim's resolution). Memory and work are estimated before any trial runs; a claim too big is refused.
        Exit code 0 when no claim fails, 1 when one does (or, with --strict, is UNDERPOWERED or UNDECIDED), 2 on bad input.
        Example: fimverify verify claims examples/claims/theorem31-relu.toml
                 fimverify verify claims claims/theorem3.toml --format json
        """;

    public int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        bool strict = args.Flag("--strict");
        long? seed = args.Has("--seed") ? args.Long("--seed", 1) : null;
        var sharding = ShardOptions.Read(args);
        var progress = ProgressReporter.Read(args, stderr);
        args.EnsureAllUsed(allowedPositionals: 1);
        if (args.Positionals.Count == 0) throw new UsageException("verify claims needs a claim file (see --help).");

        var plan = ClaimPlan.Create(TomlClaimReader.Load(args.Positionals[0]), seed);
        sharding.Validate(plan.Trials);
        try { plan.CheckBudget(ResourceLimits.Current, sharding.Shard); }
        catch (ClaimDefinitionException e) { throw new UsageException(e.Message); }
        var outcomes = progress.Run(sink => plan.Run(sharding.Shard, sink));
        if (sharding.IsSharded || sharding.PartialPath is not null)
        {
            if (sharding.PartialPath is null) throw new UsageException("A shard of a claim file needs --partial FILE: its trials are only of use to `fimverify merge`.");
            ClaimsPartial.Write(sharding.PartialPath, plan, sharding.Shard, outcomes);
            if (sharding.IsSharded)
            {
                stdout.WriteLine($"shard {sharding.Shard.Index}/{sharding.Shard.Count}: {outcomes.Count} of {plan.Trials} trials written to {System.IO.Path.GetFullPath(sharding.PartialPath)}; `fimverify merge` of all parts decides the claims");
                return Dispatcher.Holds;
            }
        }
        var result = ClaimAnalysis.Decide(plan, outcomes);
        ClaimResultOutput.Write(result, DenseSymmetricEigen.Backend, format, stdout);
        return ClaimResultOutput.ExitCode(result, strict);
    }
}

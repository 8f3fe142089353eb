using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Sharding;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Commands;

/// <summary>`merge`: combines the partial files of a sharded `verify theorem3` run into the unsharded verdicts.</summary>
public sealed class MergeCommand : ICommand
{
    public string Path => "merge";
    public string Summary => "Combine the partial files of a sharded verify theorem3 run into the verdicts of the unsharded run.";
    public string Help => """
        Usage: fimverify merge PART... [--format text|json]
          PART        partial files written by `verify theorem3 ... --shard i/N --partial PART`
          --format F  text (default) or json, the same output `verify theorem3` gives unsharded
        The parts must come from the same experiment with identical parameters (d, p, δ, α, seed, trials, ξ, C, …);
        their trials must be disjoint and together be exactly 0 … K−1. Every trial's outcome depends only on
        (seed, trial), so the merged verdicts, failure counts and smallest constants equal those of one unsharded run.
        Exit code 0 when no claim fails, 1 when one does, 2 on bad input (a part unreadable, mismatched, overlapping or missing).
        Example: fimverify merge part-0.json part-1.json part-2.json --format json
        See docs/sharding.md for Slurm job arrays and CI matrices.
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        var files = args.Positionals.ToList();
        args.EnsureAllUsed(allowedPositionals: int.MaxValue);
        if (files.Count == 0) throw new UsageException("merge needs at least one partial file (see --help).");

        var parts = files.Select(PartialResultFile.Read).ToList();
        var first = parts[0];
        var owner = new Dictionary<long, string>();
        foreach (var part in parts)
        {
            if (!ReferenceEquals(part, first)) RequireSameParameters(first, part);
            foreach (long k in part.Log.Outcomes.Keys)
                if (!owner.TryAdd(k, part.File))
                    throw new UsageException($"The part file '{part.File}' overlaps '{owner[k]}': both hold trial {k}, so the shards are not disjoint.");
        }
        for (long k = 0; k < first.Trials; k++)
            if (!owner.ContainsKey(k))
                throw new UsageException($"The part files ({string.Join(", ", files)}) do not cover trial {k} of 0…{first.Trials - 1}: a shard is missing (trial {k} belongs to shard {k % first.Shard.Count}/{first.Shard.Count} in the sharding of '{first.File}').");

        var log = parts.Skip(1).Aggregate(first.Log, (all, part) => all.Merge(part.Log));
        var report = Theorem3Verification.Analyse(first.Parameters, log, first.Seed, first.Alpha, Shard.All);
        Theorem3ReportOutput.Write(report, format, stdout);
        return ClaimReport.ExitCode(report.Results.Select(r => r.Verdict));
    }

    private static void RequireSameParameters(Theorem3Part reference, Theorem3Part part)
    {
        var theirs = part.ParametersJson.ToDictionary(kv => kv.Key, kv => kv.Value);
        var ours = reference.ParametersJson.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (name, value) in ours)
        {
            if (!theirs.TryGetValue(name, out var other))
                throw new UsageException($"The part file '{part.File}' lacks the parameter {name} that '{reference.File}' has.");
            if (other != value)
                throw new UsageException($"The part file '{part.File}' has {name} = {Compact(other)}, but '{reference.File}' has {Compact(value)}: parts of one run need identical parameters.");
        }
        foreach (var name in theirs.Keys.Where(n => !ours.ContainsKey(n)))
            throw new UsageException($"The part file '{part.File}' has the parameter {name} that '{reference.File}' lacks.");
    }

    private static string Compact(string rawJson) =>
        string.Join(' ', rawJson.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
}

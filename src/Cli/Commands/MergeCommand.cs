using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Sharding;

namespace FimVerify.Cli.Commands;

/// <summary>`merge`: combines the partial files of a sharded run into the output of the unsharded run.</summary>
public sealed class MergeCommand : ILongRunningCommand
{
    public string Path => "merge";
    public string Summary => "Combine the partial files of a sharded run (report, verify theorem3, theorem3-sweep, fim-stats, verify claims) into the unsharded output.";
    public string Help => $"""
        Usage: fimverify merge PART... [--out DIR] [--junit FILE] [--strict] [--format text|json] [--quiet]
          PART        partial files written by a trial-based command run with --shard i/N --partial PART:
                      {string.Join(", ", ShardedExperiments.All.Select(e => e.Tag))}
          --out DIR   for report parts: the report folder to write (default fimverify-report)
          --junit F   for report parts: also write JUnit XML, as `report --junit` does
          --format F  text (default) or json, the same output the command gives unsharded
          --strict    exit 1 also when a claim is UNDERPOWERED or UNDECIDED, as the command's own --strict
          --quiet     no progress on stderr while a report's own sections run
        The parts must come from one run: the same experiment with identical parameters (for verify theorem3: d, p, δ, α,
        seed, trials, ξ, C, …) and the same eigen-solver backend; their trials must be disjoint and together be exactly
        0 … K−1. Every trial's result depends only on (seed, trial), so the merged output (verdicts, failure counts,
        means, smallest constants) is byte for byte that of one unsharded run, exit code included.
        Exit code 0 when no claim fails, 1 when one does, 2 on bad input (a part unreadable, mismatched, overlapping or missing).
        The parts of a sharded `report` hold only the trial-based sections' trials; merge runs the other sections
        (derivations, Lemma 1, Theorem 2, densities) once itself and writes the report as `report` would.
        Example: fimverify merge part-0.json part-1.json part-2.json --format json
                 fimverify merge report-part-*.json --out fimverify-report --junit junit.xml
        See docs/sharding.md for Slurm job arrays and CI matrices.
        """;

    public int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        string? outDir = args.OptionalString("--out");
        string? junit = args.OptionalString("--junit");
        bool strict = args.Flag("--strict");
        var progress = ProgressReporter.Read(args, stderr);
        var files = args.Positionals.ToList();
        args.EnsureAllUsed(allowedPositionals: int.MaxValue);
        if (files.Count == 0) throw new UsageException("merge needs at least one partial file (see --help).");
        var parts = files.Select(PartialResultFile.Read).ToList();
        var experiment = PartialMerge.Check(parts);
        return experiment.Merge(parts, new MergeOptions(format, outDir, junit, progress) { Strict = strict }, stdout);
    }
}

using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Report;
using FimVerify.Cli.Report.Suite;
using FimVerify.Cli.Sharding;

namespace FimVerify.Cli.Commands;

/// <summary>`report`: runs the default suite and writes report.md, report.html, plots and results.json.</summary>
public sealed class ReportCommand : ILongRunningCommand
{
    public string Path => "report";
    public string Summary => "Run every claim FimVerify knows and write a report (Markdown, HTML, plots, results.json, JUnit).";
    public string Help => """
        Usage: fimverify report [--suite FILE] [--claims FILE.toml] [--out DIR] [--quick] [--seed S] [--only ID,ID…] [--junit FILE]
                                [--strict] [--format text|json] [--shard i/N --partial FILE] [--quiet]
          --suite FILE  a user suite, .toml or .json: run fields (seed, quick) and one table per section with its
                        parameters, e.g. [lemma1] p = 150; only the sections it names run (docs/report.md)
          --claims F    add a section for a claim file of your own (docs/claims.md), decided as `verify claims F --seed S`
                        would with the report's seed; each of its decisions is a JUnit test case (sharded with the rest)
          --out DIR     output folder (default fimverify-report); created if missing
          --quick       smaller sizes, for a CI smoke run
          --seed S      run seed (default 1); the same seed gives the same numbers on any thread count
          --only IDS    run only these sections (comma-separated ids, see the table of contents)
          --junit FILE  also write JUnit XML with one test case per claim (UNDERPOWERED and UNDECIDED are skipped, with the reason)
          --strict      exit 1 also when a section is UNDERPOWERED or UNDECIDED (a verdict that is not a decision)
          --format F    text (default) prints a summary table; json prints results.json
          --shard i/N   run only the trials g with g mod N = i of the trial-based sections (theorem3, mean-field, claims),
                        numbered across sections, and write them to --partial FILE; no report is written:
                        `fimverify merge` of all N parts (with --out, --junit) writes the report the unsharded run writes
          --quiet       no progress on stderr (by default bars on a terminal, plain lines per section when redirected)
        Exit code 0 when no claim fails, 1 when one does (or, with --strict, is UNDERPOWERED or UNDECIDED), 2 on bad input;
        a shard exits 0 (the merge decides).
        Example: fimverify report --quick --out /tmp/fv --junit /tmp/fv/junit.xml
        Sharded: fimverify report --shard 0/4 --partial report-0.json   (… 3/4), then
                 fimverify merge report-*.json --out fimverify-report   (see docs/sharding.md)
        """;

    public int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        string? suitePath = args.OptionalString("--suite");
        string? claimsPath = args.OptionalString("--claims");
        bool outGiven = args.Has("--out");
        string outDir = args.String("--out", "fimverify-report");
        bool quick = args.Flag("--quick");
        long? seed = args.Has("--seed") ? args.Long("--seed", 1) : null;
        string? only = args.OptionalString("--only");
        string? junit = args.OptionalString("--junit");
        bool strict = args.Flag("--strict");
        var sharding = ShardOptions.Read(args);
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        var progress = ProgressReporter.Read(args, stderr);
        args.EnsureAllUsed();

        bool shard = sharding.IsSharded || sharding.PartialPath is not null;
        IReadOnlyList<IReportPart>? extra = claimsPath is null ? null : [new Report.Parts.ClaimsPart(UserClaimsId, Claims.TomlClaimReader.LoadDocument(claimsPath))];
        var plan = ReportPlan.Create(suitePath is null ? null : SuiteFile.Load(suitePath), seed, quick, only, extra);
        if (shard) return RunShard(plan, sharding, outGiven || junit is not null, format, stdout, progress);

        using var folder = ReportFolder.Open(outDir, junit);
        var sections = SectionRunner.RunAll(plan.Prepare(folder.Staging), progress);
        return ReportFiles.Write(sections, plan, folder, junit, format, stdout, Numeric.LinearAlgebra.DenseSymmetricEigen.Backend, strict);
    }

    /// <summary>The section id of `--claims FILE`.</summary>
    public const string UserClaimsId = "claims";

    /// <summary>One shard: the trial-based sections' trials of the shard, written to the partial file; no report.</summary>
    private static int RunShard(ReportPlan plan, ShardOptions sharding, bool reportOutputs, OutputFormat format, TextWriter stdout, ProgressReporter progress)
    {
        string partial = sharding.PartialPath
            ?? throw new UsageException("A report shard needs --partial FILE: its trials are only of use to `fimverify merge`.");
        if (reportOutputs) throw new UsageException("A report shard writes only its partial file: give --out and --junit to `fimverify merge`.");
        var trials = ReportTrials.Of(plan, plan.Context(".", sharding.Shard.Count));
        if (trials.Sections.Count == 0)
            throw new UsageException($"None of the selected sections ({string.Join(", ", plan.Parts.Select(p => p.Id))}) runs trials, so there is nothing to shard: run `fimverify report` without --shard.");
        sharding.Validate(trials.Trials);
        var (outcomes, runs) = trials.Run(sharding.Shard, progress);
        ReportPartial.Write(partial, plan, trials, sharding.Shard, outcomes);
        var shard = $"{sharding.Shard.Index}/{sharding.Shard.Count}";
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("shard", shard); w.WriteString("partial", partial); w.WriteNumber("trials", trials.Trials);
                w.WriteStartArray("sections");
                foreach (var r in runs)
                {
                    w.WriteStartObject();
                    w.WriteString("id", r.Section.Part.Id); w.WriteNumber("trials", r.Section.Trials.Trials); w.WriteNumber("ran", r.Ran);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }));
        }
        else
        {
            var table = new ResultTable(new("section", -runs.Max(r => r.Section.Part.Title.Length)), new("trials run", 6, "  ", Numeric: true),
                new("of trials", 0, " of ", " trials", Numeric: true), new("time", 8, " ", Numeric: true));
            foreach (var r in runs) table.Add(r.Section.Part.Title, $"{r.Ran}", $"{r.Section.Trials.Trials}", ReportFiles.Seconds(r.Seconds));
            table.WriteTo(stdout);
            var others = plan.Parts.Where(p => runs.All(r => r.Section.Part != p)).Select(p => p.Id).ToList();
            stdout.WriteLine($"shard {shard} written to {System.IO.Path.GetFullPath(partial)}; `fimverify merge` of all parts writes the report"
                + (others.Count > 0 ? $" (and runs {string.Join(", ", others)} once)" : ""));
        }
        return Dispatcher.Holds;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Report;
using FimVerify.Cli.Report.Suite;

namespace FimVerify.Cli.Commands;

/// <summary>`report`: runs the default suite and writes report.md, report.html, plots and results.json.</summary>
public sealed class ReportCommand : ICommand
{
    public string Path => "report";
    public string Summary => "Run every claim FimVerify knows and write a report (Markdown, HTML, plots, results.json, JUnit).";
    public string Help => """
        Usage: fimverify report [--suite FILE] [--out DIR] [--quick] [--seed S] [--only ID,ID…] [--junit FILE] [--format text|json]
          --suite FILE  a user suite, .toml or .json: run fields (seed, quick) and one table per section with its
                        parameters, e.g. [lemma1] p = 150; only the sections it names run (docs/report.md)
          --out DIR     output folder (default fimverify-report); created if missing
          --quick       smaller sizes, for a CI smoke run
          --seed S      run seed (default 1); the same seed gives the same numbers on any thread count
          --only IDS    run only these sections (comma-separated ids, see the table of contents)
          --junit FILE  also write JUnit XML with one test case per section
          --format F    text (default) prints a summary table; json prints results.json
        Exit code 0 when every claim holds, 1 when one fails, 2 on bad input.
        Example: fimverify report --quick --out /tmp/fv --junit /tmp/fv/junit.xml
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        string? suitePath = args.OptionalString("--suite");
        string outDir = args.String("--out", "fimverify-report");
        bool quickFlag = args.Flag("--quick");
        bool seedGiven = args.Has("--seed");
        long seedOption = args.Long("--seed", 1);
        string? only = args.OptionalString("--only");
        string? junit = args.OptionalString("--junit");
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        args.EnsureAllUsed();

        var suite = suitePath is null ? null : SuiteFile.Load(suitePath);
        suite?.EnsureKnownRunFields();
        // Command-line options win over the suite's run fields.
        long seed = seedGiven || suite is null ? seedOption : suite.Seed(seedOption);
        bool quick = quickFlag || (suite?.Quick(false) ?? false);
        var parts = ReportSuite.Default();
        if (suite is not null && suite.Sections.Count > 0)
        {
            foreach (var s in suite.Sections)
                if (parts.All(p => p.Id != s.Id))
                    throw suite.Error(s.Line, $"unknown section [{s.Id}]; the sections are {string.Join(", ", parts.Select(p => p.Id))}.");
            parts = parts.Where(p => suite.Sections.Any(s => s.Id == p.Id)).ToList();
        }
        if (only is not null)
        {
            var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = wanted.Where(w => parts.All(p => p.Id != w)).ToList();
            if (unknown.Count > 0)
                throw new UsageException($"Unknown section '{unknown[0]}' in --only; the sections are {string.Join(", ", parts.Select(p => p.Id))}.");
            parts = parts.Where(p => wanted.Contains(p.Id)).ToList();
        }
        try { Directory.CreateDirectory(outDir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot create the output folder '{outDir}': {e.Message}");
        }
        if (junit is not null && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(junit)) is { } junitDir && !Directory.Exists(junitDir))
            throw new UsageException($"The folder of the JUnit file '{junit}' does not exist.");

        var context = new ReportContext(outDir, quick, seed);
        var prepared = parts
            .Select(p => (p, p.Prepare(context, new PartSettings(suite, suite?.Sections.FirstOrDefault(s => s.Id == p.Id)))))
            .ToList();
        var sections = ProgressReporter.RunAll(prepared, Console.Error);
        string header = $"fimverify {Dispatcher.Version}, seed {seed}, {(quick ? "quick sizes" : "default sizes")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
        File.WriteAllText(System.IO.Path.Combine(outDir, "report.md"), MarkdownReport.Render(sections, header));
        File.WriteAllText(System.IO.Path.Combine(outDir, "report.html"), HtmlReport.Render(sections, header));
        var json = ResultsJson(sections, seed, quick);
        File.WriteAllText(System.IO.Path.Combine(outDir, "results.json"), json);
        if (junit is not null) JunitReport.Render(sections).Save(junit);

        if (format == OutputFormat.Json) stdout.WriteLine(json);
        else
        {
            int width = sections.Max(s => s.Title.Length);
            foreach (var s in sections) stdout.WriteLine($"{s.Title.PadRight(width)}  {MarkdownReport.Word(s.Verdict),-8} {s.Seconds,6:F1} s");
            stdout.WriteLine($"report written to {System.IO.Path.GetFullPath(outDir)} (report.md, report.html, results.json)");
        }
        return sections.Any(s => s.Verdict == SectionVerdict.Fail) ? Dispatcher.ClaimFailed : Dispatcher.Holds;
    }

    private static string ResultsJson(IReadOnlyList<ReportSection> sections, long seed, bool quick)
    {
        var root = new JsonObject
        {
            ["fimverify"] = Dispatcher.Version,
            ["seed"] = seed,
            ["quick"] = quick,
            ["sections"] = new JsonArray(sections.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["title"] = s.Title,
                ["verdict"] = MarkdownReport.Word(s.Verdict),
                ["seconds"] = Math.Round(s.Seconds, 3),
                ["results"] = s.Results.DeepClone(),
            }).ToArray()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}

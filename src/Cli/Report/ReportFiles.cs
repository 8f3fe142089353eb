using System.Text.Json;
using System.Text.Json.Nodes;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Files;

namespace FimVerify.Cli.Report;

/// <summary>
/// Writes a report's files (report.md, report.html, results.json, optionally JUnit) and prints its summary; shared by
/// `report` and by `merge` of a sharded report, so both write the same report.
/// </summary>
public static class ReportFiles
{
    /// <summary>
    /// Prints the summary (or results.json with --format json) first, so the verdicts stand even if a file cannot be written,
    /// then writes the report into the folder's staging area, publishes it and writes the JUnit file; returns the exit code.
    /// </summary>
    /// <param name="eigenBackend">The dense eigen-solvers that ran (for a merge, the one the shards' trials ran on).</param>
    /// <param name="strict">Exit 1 also when a section is UNDERPOWERED or UNDECIDED (a verdict that is not a decision).</param>
    public static int Write(IReadOnlyList<ReportSection> sections, ReportPlan plan, ReportFolder folder, string? junit, OutputFormat format, TextWriter stdout,
        string eigenBackend, bool strict = false)
    {
        if (sections.Count == 0) throw new UsageException("The report has no section to write.");
        string header = $"fimverify {Dispatcher.Version}, seed {plan.Seed}, {(plan.Quick ? "quick sizes" : "default sizes")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; "
            + $"dense eigenvalues by {eigenBackend}.";
        var json = ResultsJson(sections, plan.Seed, plan.Quick, eigenBackend);
        if (format == OutputFormat.Json) stdout.WriteLine(json);
        else
        {
            var table = new ResultTable(new("section", -sections.Max(s => s.Title.Length)), new("verdict", -8, "  "), new("time", 8, " ", Numeric: true));
            foreach (var s in sections) table.Add(s.Title, MarkdownReport.Word(s.Verdict), Seconds(s.Seconds));
            table.WriteTo(stdout);
        }
        stdout.Flush();
        File.WriteAllText(folder.PathFor("report.md"), MarkdownReport.Render(sections, header));
        File.WriteAllText(folder.PathFor("report.html"), HtmlReport.Render(sections, header));
        File.WriteAllText(folder.PathFor("results.json"), json);
        folder.Publish();
        if (junit is not null)
        {
            try { OutputFile.Write(junit, $"the JUnit file '{junit}'", JunitReport.Render(sections).Save); }
            catch (UnusableFileException e) { throw new UsageException(e.Message + "; the report folder was written."); }
        }
        if (format != OutputFormat.Json)
            stdout.WriteLine($"report written to {Path.GetFullPath(folder.Directory)} (report.md, report.html, results.json)");
        return sections.Any(s => s.Verdict == SectionVerdict.Fail || strict && s.Verdict is SectionVerdict.Underpowered or SectionVerdict.Undecided)
            ? Dispatcher.ClaimFailed : Dispatcher.Holds;
    }

    /// <summary>A duration as "12.3 s" (a table cell, padded by the table).</summary>
    public static string Seconds(double seconds) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds:F1} s");

    private static string ResultsJson(IReadOnlyList<ReportSection> sections, long seed, bool quick, string eigenBackend)
    {
        var root = new JsonObject
        {
            ["fimverify"] = Dispatcher.Version,
            ["seed"] = seed,
            ["quick"] = quick,
            ["eigenBackend"] = eigenBackend,
            ["sections"] = new JsonArray(sections.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["title"] = s.Title,
                ["verdict"] = MarkdownReport.Word(s.Verdict),
                ["seconds"] = Math.Round(s.Seconds, 3),
                ["claims"] = DecisionJson.Array(s.Claims),
                ["results"] = s.Results.DeepClone(),
            }).ToArray()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}

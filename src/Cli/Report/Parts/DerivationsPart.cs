using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Inputs;
using FimVerify.Cli.Report.Suite;
using FimVerify.Symbolic;

namespace FimVerify.Cli.Report.Parts;

/// <summary>
/// The derivation files in examples/derivations/, checked step by step. A file whose name starts with "wrong-" is a
/// deliberately wrong derivation: it passes when the checker finds a FALSE step in it (the checker's power).
/// </summary>
public sealed class DerivationsPart : IReportPart
{
    public string Id => "derivations";
    public string Title => "Derivation files checked step by step (examples/derivations)";

    public SectionWork Prepare(ReportContext context, PartSettings settings)
    {
        string folder = settings.String("folder", "") is { Length: > 0 } f ? f : Locate();
        if (folder.Length > 0 && !Directory.Exists(folder))
            throw new CommandLine.UsageException($"The derivations folder '{folder}' does not exist.");
        int points = settings.Int("points", 24, 1, 1000);
        settings.EnsureAllUsed();
        // Every file is read and parsed now, so a malformed one is refused (FILE:LINE:COLUMN) before any section runs.
        var files = (folder.Length > 0 ? Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            .Select(f => (Name: Path.GetFileName(f), Parsed: DerivationFileInput.Read(f, Path.GetFileName(f)))).ToList();
        return _ => Run(context, folder, points, files);
    }

    /// <summary>examples/derivations of the source tree: from the working directory or above the executable.</summary>
    private static string Locate()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "examples", "derivations");
                if (Directory.Exists(candidate)) return candidate;
            }
        return "";
    }

    private ReportSection Run(ReportContext context, string folder, int points, IReadOnlyList<(string Name, DerivationFile Parsed)> files)
    {
        var c = CultureInfo.InvariantCulture;
        if (files.Count == 0)
            return new ReportSection(Id, Title, "No derivation files were found (examples/derivations is part of the source tree).",
                [], ReportTable.Empty, SectionVerdict.Info, [], new JsonObject { ["files"] = 0 });
        var rows = new List<IReadOnlyList<string>>();
        var json = new JsonArray();
        bool holds = true;
        foreach (var (name, parsed) in files)
        {
            bool expectWrong = name.StartsWith("wrong-", StringComparison.Ordinal);
            var outcomes = StepChecker.check(points, (int)(context.Seed % int.MaxValue), parsed);
            int proved = outcomes.Count(o => o.Verdict.IsProved), plausible = outcomes.Count(o => o.Verdict.IsPlausible);
            int wrong = outcomes.Count(o => o.Verdict.IsFalse), undecided = outcomes.Count(o => o.Verdict.IsUndecided);
            bool ok = expectWrong ? wrong > 0 : wrong == 0 && undecided == 0;
            holds &= ok;
            rows.Add([name, outcomes.Length.ToString(c), proved.ToString(c), plausible.ToString(c), wrong.ToString(c), undecided.ToString(c),
                expectWrong ? "FALSE step expected" : "no FALSE step", ok ? "PASS" : "FAIL"]);
            json.Add((JsonNode)new JsonObject { ["file"] = name, ["steps"] = outcomes.Length, ["proved"] = proved, ["plausible"] = plausible, ["false"] = wrong, ["undecided"] = undecided, ["expectedWrong"] = expectWrong, ["pass"] = ok });
        }
        return new ReportSection(Id, Title,
            "Each step is PROVED by canonical symbolic equality (closed forms, assumptions) with its side conditions proved, else PLAUSIBLE "
            + "at random exact rational points inside the assumptions (exactly, in certified interval arithmetic, or within a numerical "
            + "integral's estimated error), else FALSE with a counterexample. "
            + "Files named wrong-*.txt are deliberately wrong: the checker must find their FALSE step.",
            [new("folder", folder), new("points per step", points.ToString(c)), new("seed", context.Seed.ToString(c))],
            new ReportTable(["file", "steps", "proved", "plausible", "false", "undecided", "expectation", "verdict"], rows),
            holds ? SectionVerdict.Pass : SectionVerdict.Fail, [], new JsonObject { ["files"] = json });
    }
}

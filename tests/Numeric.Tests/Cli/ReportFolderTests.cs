using FimVerify.Cli.Report;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// A report folder holds one run: a run replaces the previous run's files and removes the ones it does not write, a run
/// that cannot publish leaves the previous report untouched, and no staging folder is left behind.
/// </summary>
public sealed class ReportFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fimverify-folder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Report(string only, int seed = 1) =>
        CliRunner.Run("report", "--quick", "--only", only, "--seed", $"{seed}", "--quiet", "--out", _dir);

    private string[] Files() => Directory.GetFiles(_dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void ARunReplacesThePreviousRunsFilesAndOnlyThose()
    {
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "the user's own file");
        Assert.Equal(0, Report("kappa-series,lemma1").Code);
        Assert.Contains("lemma1-agreement.png", Files());
        Assert.Equal(0, Report("kappa-series", seed: 2).Code);
        // lemma1's plots were the previous run's: they go; the user's file stays; no staging folder is left.
        Assert.Equal([ReportFolder.ManifestName, "notes.txt", "report.html", "report.md", "results.json"], Files());
        Assert.Empty(Directory.GetDirectories(_dir));
        Assert.Contains("\"seed\": 2", File.ReadAllText(Path.Combine(_dir, "results.json")));
        Assert.Equal(["report.html", "report.md", "results.json"], File.ReadAllLines(Path.Combine(_dir, ReportFolder.ManifestName)));
    }

    [Fact]
    public void ARunThatCannotPublishLeavesThePreviousReportAsItWas()
    {
        Assert.Equal(0, Report("kappa-series").Code);
        string markdown = File.ReadAllText(Path.Combine(_dir, "report.md"));
        // A folder where the report writes a file: the publish is refused before any file moves.
        File.Delete(Path.Combine(_dir, "results.json"));
        Directory.CreateDirectory(Path.Combine(_dir, "results.json"));
        var r = Report("kappa-series", seed: 3);
        Assert.Equal(2, r.Code);
        Assert.Contains("holds a folder named results.json", r.Err);
        Assert.Equal(markdown, File.ReadAllText(Path.Combine(_dir, "report.md")));
        Assert.DoesNotContain(Directory.GetDirectories(_dir), d => Path.GetFileName(d).StartsWith(".fimverify-staging", StringComparison.Ordinal));
    }
}

using FimVerify.Cli.CommandLine;
using FimVerify.Numeric.Files;

namespace FimVerify.Cli.Report;

/// <summary>
/// The report folder of one run. Everything the run writes (plots while the sections run, then report.md, report.html and
/// results.json) goes to a staging folder inside it; <see cref="Publish"/> moves the files into place only once all of them
/// are written, and removes the files of the previous run that this run does not write (they are listed in
/// <see cref="ManifestName"/>). A run that fails, or cannot write, leaves the previous report as it was: the folder never
/// holds files of two runs.
/// </summary>
public sealed class ReportFolder : IDisposable
{
    /// <summary>The list of the files the last published run wrote, one name a line.</summary>
    public const string ManifestName = ".fimverify-report-files";

    private ReportFolder(string directory, string staging) { Directory = directory; Staging = staging; }

    /// <summary>The report folder as given.</summary>
    public string Directory { get; }

    /// <summary>Where this run writes until it is published.</summary>
    public string Staging { get; }

    /// <summary>
    /// Creates the folder if missing and checks, before any section runs, that files can be created in it and that the JUnit
    /// file (if any) can be written.
    /// </summary>
    public static ReportFolder Open(string directory, string? junit)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new UsageException("The option --out needs a folder name.");
        if (File.Exists(directory)) throw new UsageException($"Cannot write the report folder '{directory}': it is a file.");
        try { System.IO.Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot create the output folder '{directory}': {e.Message}");
        }
        try
        {
            OutputFile.EnsureFolderWritable(Path.GetFullPath(directory), $"the report folder '{directory}'");
            if (junit is not null) OutputFile.EnsureWritable(junit, $"the --junit file '{junit}'");
        }
        catch (UnusableFileException e) { throw new UsageException(e.Message + "."); }
        string staging = Path.Combine(directory, $".fimverify-staging-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        System.IO.Directory.CreateDirectory(staging);
        return new ReportFolder(directory, staging);
    }

    /// <summary>A path in the staging folder.</summary>
    public string PathFor(string fileName) => Path.Combine(Staging, fileName);

    /// <summary>
    /// Moves every staged file into the folder, replacing the previous run's, as one transaction: the files it replaces are first
    /// moved aside into the staging folder, and if any move fails every file goes back where it was; then the previous run's
    /// other files (by its manifest) are removed and the manifest rewritten.
    /// </summary>
    public void Publish()
    {
        var files = System.IO.Directory.GetFiles(Staging).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        string manifest = Path.Combine(Directory, ManifestName);
        foreach (var name in files)
            if (System.IO.Directory.Exists(Path.Combine(Directory, name)))
                throw new UsageException($"Cannot write the report into '{Directory}': it holds a folder named {name}, where the report writes a file.");
        var asideDirectory = System.IO.Directory.CreateDirectory(Path.Combine(Staging, ".previous")).FullName;
        var aside = new List<string>();
        var moved = new List<string>();
        try
        {
            foreach (var name in files.Where(n => File.Exists(Path.Combine(Directory, n))))
            {
                File.Move(Path.Combine(Directory, name), Path.Combine(asideDirectory, name));
                aside.Add(name);
            }
            foreach (var name in files)
            {
                File.Move(Path.Combine(Staging, name), Path.Combine(Directory, name));
                moved.Add(name);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var name in moved) TryMove(Path.Combine(Directory, name), Path.Combine(Staging, name));
            foreach (var name in aside) TryMove(Path.Combine(asideDirectory, name), Path.Combine(Directory, name));
            throw new UsageException($"Cannot write the report into '{Directory}' ({e.Message.TrimEnd('.')}); the previous report there is unchanged.");
        }
        try
        {
            var previous = File.Exists(manifest) ? File.ReadAllLines(manifest).Where(l => l.Length > 0 && l == Path.GetFileName(l)).ToList() : [];
            foreach (var stale in previous.Except(files)) OutputFile.TryDelete(Path.Combine(Directory, stale));
            OutputFile.WriteText(manifest, string.Join('\n', files) + "\n", $"the report folder's list of files '{manifest}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"The report was written into '{Directory}', but its list of files could not be updated ({e.Message.TrimEnd('.')}).");
        }
        Dispose();
    }

    private static void TryMove(string from, string to)
    {
        try { File.Move(from, to, overwrite: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Removes the staging folder (after a publish it is empty; after a failure it holds the unpublished files).</summary>
    public void Dispose()
    {
        try { if (System.IO.Directory.Exists(Staging)) System.IO.Directory.Delete(Staging, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}

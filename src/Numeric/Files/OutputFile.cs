namespace FimVerify.Numeric.Files;

/// <summary>
/// The one safe way results are written: every output path is checked before the work starts (<see cref="EnsureWritable"/>),
/// and files are written atomically, to a temporary name in the same folder and then renamed over the target, so a reader
/// (or a failed run) never sees half a file or a file from two runs.
/// </summary>
public static class OutputFile
{
    /// <summary>
    /// Refuses, before any work, a path that could not be written afterwards: an empty name, a missing folder, a folder, a
    /// special file (FIFO, device), or a folder where no file can be created (read-only, /proc).
    /// </summary>
    /// <param name="description">How the path is named in messages, e.g. "the --partial file 'part.json'".</param>
    public static void EnsureWritable(string path, string description)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UnusableFileException($"Cannot write {description}: the name is empty");
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        switch (FileProbe.Of(full).Kind)
        {
            case FileKind.Directory: throw new UnusableFileException($"Cannot write {description}: it is a folder");
            case FileKind.Special: throw new UnusableFileException($"Cannot write {description}: it is not a regular file (a FIFO, device or socket)");
        }
        EnsureFolderWritable(folder, description);
    }

    /// <summary>Refuses a folder that does not exist or where no file can be created.</summary>
    public static void EnsureFolderWritable(string folder, string description)
    {
        if (!Directory.Exists(folder)) throw new UnusableFileException($"Cannot write {description}: the folder '{folder}' does not exist");
        string probe = TemporaryName(Path.Combine(folder, "write-check"));
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write)) { }
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnusableFileException($"Cannot write {description}: no file can be created in '{folder}' ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/> atomically.</summary>
    public static void WriteText(string path, string text, string description) =>
        Write(path, description, stream =>
        {
            var bytes = new System.Text.UTF8Encoding(false).GetBytes(text);
            stream.Write(bytes);
        });

    /// <summary>Writes through <paramref name="write"/> to a temporary file beside <paramref name="path"/>, then renames it over the target.</summary>
    public static void Write(string path, string description, Action<Stream> write) =>
        WriteVia(path, description, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
            write(stream);
            stream.Flush(flushToDisk: true);
        });

    /// <summary>
    /// Writes through <paramref name="save"/>, which writes a file at the path it is given (a library's own Save), to a temporary
    /// file beside <paramref name="path"/> with the same extension, then renames it over the target.
    /// </summary>
    public static void WriteVia(string path, string description, Action<string> save)
    {
        string full = Path.GetFullPath(path);
        string temporary = TemporaryName(full);
        try
        {
            save(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new UnusableFileException($"Cannot write {description} ({e.Message.TrimEnd('.')})");
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>A hidden name beside <paramref name="path"/> no other process uses, with its extension: ".name.PID.RANDOM.tmp.ext".</summary>
    public static string TemporaryName(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".",
            $".{Path.GetFileNameWithoutExtension(path)}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}.tmp{Path.GetExtension(path)}");

    public static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}

using System.Text;
using FimVerify.Numeric.Resources;

namespace FimVerify.Numeric.Files;

/// <summary>
/// The one safe way files are read: only regular files (a FIFO would block, /dev/zero never ends), only up to a size limit
/// stated by the caller, and every refusal one sentence naming the file as the caller describes it ("the part file 'a.json'").
/// </summary>
public static class InputFile
{
    /// <summary>Limits for the kinds of input fimverify reads.</summary>
    public const long DerivationLimit = 1 << 20, SuiteLimit = 1 << 20, PartLimit = 1L << 30, DataLimit = 1L << 30;

    /// <summary>Checks that <paramref name="path"/> is a regular file of at most <paramref name="maxBytes"/>; returns its size.</summary>
    /// <param name="description">How the file is named in messages, e.g. "The part file 'a.json'".</param>
    public static long Check(string path, string description, long maxBytes)
    {
        if (path.Length == 0) throw new UnusableFileException($"{description} has an empty name");
        var (kind, size) = FileProbe.Of(path);
        return kind switch
        {
            FileKind.Missing => throw new UnusableFileException($"{description} does not exist"),
            FileKind.Directory => throw new UnusableFileException($"{description} is a folder, not a file"),
            FileKind.Special => throw new UnusableFileException($"{description} is not a regular file (a FIFO, device or socket), so it is not read"),
            _ when size > maxBytes => throw new UnusableFileException(
                $"{description} holds {CheckedSize.Format.Bytes(size)}, more than the {CheckedSize.Format.Bytes(maxBytes)} such a file may have"),
            _ => size,
        };
    }

    /// <summary>The text of a regular file of at most <paramref name="maxBytes"/> bytes (UTF-8, a BOM dropped).</summary>
    public static string ReadText(string path, string description, long maxBytes)
    {
        Check(path, description, maxBytes);
        using var stream = OpenChecked(path, description);
        // Read at most one byte past the limit: a file that grew since the check is refused, not read without end.
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > maxBytes)
                throw new UnusableFileException($"{description} grew past the {CheckedSize.Format.Bytes(maxBytes)} such a file may have while it was read");
        }
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>A read stream on a regular file of at most <paramref name="maxBytes"/> bytes (for binary formats).</summary>
    public static FileStream OpenRead(string path, string description, long maxBytes)
    {
        Check(path, description, maxBytes);
        return OpenChecked(path, description);
    }

    private static FileStream OpenChecked(string path, string description)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnusableFileException($"{description} cannot be read ({e.Message.TrimEnd('.')})");
        }
    }
}

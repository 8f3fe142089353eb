using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace FimVerify.Numeric.Files;

/// <summary>What a path names on the file system, as far as reading and writing it safely is concerned.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    /// <summary>A FIFO, a character or block device or a socket: reading may block forever (a FIFO) or never end (/dev/zero).</summary>
    Special,
}

/// <summary>
/// The kind and size of a path, following symbolic links. .NET reports FIFOs and devices as normal files of length 0, so on
/// Linux the type comes from statx(2), whose buffer layout is the same on every architecture; elsewhere from .NET alone.
/// </summary>
public static class FileProbe
{
    public static (FileKind Kind, long Size) Of(string path)
    {
        if (Directory.Exists(path)) return (FileKind.Directory, 0);
        if (!File.Exists(path)) return (FileKind.Missing, 0);
        if (OperatingSystem.IsLinux() && Statx(path) is (int mode, long size))
            return ((mode & 0xF000) == 0x8000 ? FileKind.Regular : FileKind.Special, size);
        return (FileKind.Regular, new FileInfo(path).Length);
    }

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1, StatxSize = 0x200;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int NativeStatx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    /// <summary>stx_mode (offset 28, 16 bits) and stx_size (offset 40, 64 bits) of struct statx, or null if statx is unavailable.</summary>
    private static (int Mode, long Size)? Statx(string path)
    {
        var buffer = new byte[256];
        try
        {
            if (NativeStatx(AtFdCwd, path, 0, StatxType | StatxSize, buffer) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
        return (BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28)), (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(40)));
    }
}

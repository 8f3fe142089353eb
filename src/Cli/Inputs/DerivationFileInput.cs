using FimVerify.Cli.CommandLine;
using FimVerify.Numeric.Files;
using FimVerify.Symbolic;

namespace FimVerify.Cli.Inputs;

/// <summary>
/// A derivation file read as `check` and the report's derivations section read it: a regular file of at most
/// <see cref="InputFile.DerivationLimit"/>, parsed, every problem one sentence "FILE:LINE:COLUMN: …" (exit code 2).
/// </summary>
public static class DerivationFileInput
{
    /// <param name="shownAs">The file's name in messages (the path as given, or a name inside a folder).</param>
    public static DerivationFile Read(string path, string shownAs)
    {
        string text;
        try { text = InputFile.ReadText(path, $"The derivation file '{shownAs}'", InputFile.DerivationLimit); }
        catch (UnusableFileException e) { throw new UsageException(e.Message + "."); }
        try { return DerivationFileModule.parse(text); }
        catch (DerivationFileException e) { throw new UsageException($"{shownAs}:{e.Data0.Line}:{e.Data0.Column}: {e.Data0.Message.TrimEnd('.')}."); }
    }
}

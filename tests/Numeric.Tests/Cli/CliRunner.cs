using FimVerify.Cli;
using FimVerify.Cli.CommandLine;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>Runs fimverify in-process with every command, capturing exit code, stdout and stderr.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = Dispatcher.Run(CommandCatalog.All(), args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Bad input: exit code 2, nothing on stdout, one sentence on stderr (with --quiet, so no progress precedes it).</summary>
    public static void AssertUsageError(params string[] args)
    {
        var (code, output, error) = Run([.. args, "--quiet"]);
        Xunit.Assert.Equal(2, code);
        Xunit.Assert.Equal("", output);
        Xunit.Assert.StartsWith("fimverify: ", error);
        Xunit.Assert.Single(error.TrimEnd().Split('\n'));
    }
}

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
}

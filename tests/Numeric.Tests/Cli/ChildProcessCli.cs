using System.Diagnostics;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// Runs fimverify as its own process (the fimverify.dll beside the tests), so what only a process shows is checked: the exit
/// code the shell sees, a stack trace the runtime prints for an unhandled exception, a heap limit (DOTNET_GCHeapHardLimit),
/// a hang (killed at the timeout). The FIMVERIFY_* limits of the environment are cleared unless given.
/// </summary>
internal static class ChildProcessCli
{
    public sealed record Result(int Code, string Out, string Err, TimeSpan Elapsed, bool TimedOut)
    {
        public override string ToString() => $"exit {Code}{(TimedOut ? " (timed out)" : "")} after {Elapsed.TotalSeconds:F1} s; stderr: {Err.Trim()}; stdout: {Out[..Math.Min(Out.Length, 400)]}";
    }

    public static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "fimverify.dll");

    /// <summary>The `dotnet` host that runs the tests (the SDK names it in DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string Host => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>A heap limit for DOTNET_GCHeapHardLimit (hexadecimal bytes).</summary>
    public static string HeapLimit(long bytes) => "0x" + bytes.ToString("X");

    public static Result Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, double timeoutSeconds = 120)
    {
        var start = new ProcessStartInfo(Host)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Executable);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var name in new[] { "FIMVERIFY_MEMORY_LIMIT", "FIMVERIFY_TIME_LIMIT", "FIMVERIFY_PLAIN", "DOTNET_GCHeapHardLimit" })
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        bool exited = process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds));
        if (!exited)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
        }
        process.WaitForExit(); // drains the redirected streams
        return new Result(exited ? process.ExitCode : -1, output.Result, error.Result, clock.Elapsed, !exited);
    }

    public static Result Run(params string[] args) => Run(args, null);

    /// <summary>Signs of a crash the user must never see: a runtime stack trace, an unhandled exception, an internal error.</summary>
    public static bool ShowsACrash(string stderr) =>
        stderr.Contains("   at ", StringComparison.Ordinal) || stderr.Contains("Unhandled exception", StringComparison.Ordinal)
        || stderr.Contains("internal error", StringComparison.Ordinal) || stderr.Contains("Stack overflow", StringComparison.Ordinal)
        || stderr.Contains("Out of memory", StringComparison.Ordinal) || stderr.Contains("ran out of memory", StringComparison.Ordinal);

    /// <summary>A refusal as the user sees it: exit 2, nothing on stdout, one sentence on stderr starting with "fimverify: ".</summary>
    public static void AssertRefused(Result r, string expected)
    {
        Xunit.Assert.True(r.Code == 2, r.ToString());
        Xunit.Assert.False(ShowsACrash(r.Err), r.ToString());
        var lines = r.Err.TrimEnd().Split('\n');
        Xunit.Assert.StartsWith("fimverify: ", lines[^1]);
        Xunit.Assert.Contains(expected, lines[^1]);
    }
}

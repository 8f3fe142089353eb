using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace FimVerify.Numeric.Tests.LinearAlgebra;

/// <summary>A fact that needs Debian's reference LAPACK and BLAS files (liblapack3, libblas3); skipped with the package names otherwise.</summary>
public sealed class ReferenceLapackFactAttribute : FactAttribute
{
    public const string Lapack = "/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3", Blas = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3";

    public ReferenceLapackFactAttribute()
    {
        if (!File.Exists(Lapack) || !File.Exists(Blas)) Skip = "reference LAPACK/BLAS not installed (apt-get install liblapack3 libblas3)";
    }
}

/// <summary>
/// Which dense eigen-solver runs when the LAPACK that loads sits on the reference BLAS: our two-stage path from order 128, since
/// reference dsyevd is several times slower. Static initialisation reads the environment, so each case runs the CLI in a child
/// process with the reference libraries first on the library path.
/// </summary>
public class EigenBackendPolicyTests
{
    private static string Theorem3Backend(IDictionary<string, string> environment)
    {
        var cli = typeof(FimVerify.Cli.Dispatcher).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { cli, "verify", "theorem3", "--d", "3", "--p", "300", "--delta", "0.5", "--trials", "1", "--format", "json", "--quiet" })
            start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd(), error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return JsonDocument.Parse(output).RootElement.GetProperty("eigenBackend").GetString()!;
    }

    [ReferenceLapackFact]
    public void OnTheReferenceBlasEigenvaluesFromOrder128GoToOurTwoStagePath()
    {
        string dir = Directory.CreateTempSubdirectory("fimverify-reflapack-").FullName;
        try
        {
            // liblapack.so.3 resolves its libblas.so.3 through LD_LIBRARY_PATH first: the reference one, whatever the alternatives say.
            File.CreateSymbolicLink(Path.Combine(dir, "libblas.so.3"), ReferenceLapackFactAttribute.Blas);
            File.CreateSymbolicLink(Path.Combine(dir, "liblapack.so.3"), ReferenceLapackFactAttribute.Lapack);
            var reference = new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = dir, ["FIMVERIFY_LAPACK"] = Path.Combine(dir, "liblapack.so.3") };
            Assert.StartsWith("two-stage (ours", Theorem3Backend(reference));
            Assert.StartsWith("two-stage (ours", Theorem3Backend(new Dictionary<string, string> { ["FIMVERIFY_LAPACK"] = "managed" }));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void WithOpenBlasOrder300StaysWithDsyevd()
    {
        // Only meaningful where OpenBLAS loads; elsewhere the same call must still name a backend that ran.
        string backend = Theorem3Backend(new Dictionary<string, string>());
        if (FimVerify.Numeric.LinearAlgebra.NativeLapack.HasOptimisedBlas) Assert.StartsWith("LAPACK dsyevd", backend);
        else Assert.StartsWith("two-stage (ours", backend);
    }
}

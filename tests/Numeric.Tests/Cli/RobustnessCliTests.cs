using System.Runtime.InteropServices;
using FimVerify.Numeric.Resources;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// Issue 14's cases, each in a child process (<see cref="ChildProcessCli"/>) under a 1 GB heap: what crashed with a stack
/// trace, hung or blew up memory, printed an impossible value or lost its results now ends in one sentence and exit code 2,
/// before the work starts where the work was the problem.
/// </summary>
public sealed class RobustnessCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fimverify-robust-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Children run under a 1 GB heap, as a small machine: the policy must see the limit and refuse what does not fit.</summary>
    private static readonly Dictionary<string, string> SmallMachine = new() { ["DOTNET_GCHeapHardLimit"] = ChildProcessCli.HeapLimit(1L << 30) };

    private static ChildProcessCli.Result Run(params string[] args) => ChildProcessCli.Run(args, SmallMachine, timeoutSeconds: 60);

    /// <summary>A request refused before its work: exit 2 with the expected words, quickly (the work would take minutes or more).</summary>
    private static void RefusedBeforeWork(string expected, params string[] args)
    {
        var r = Run(args);
        ChildProcessCli.AssertRefused(r, expected);
        Assert.Equal("", r.Out);
        Assert.True(r.Elapsed.TotalSeconds < 30, r.ToString());
    }

    private static readonly string[] MeanField = ["--depth", "2", "--sigma-w2", "1", "--sigma-b2", "0"];

    public static TheoryData<string, string[]> Crashes => new()
    {
        { "--only needs at least one section", ["report", "--only", ""] },
        { "--only needs at least one section", ["report", "--only", ","] },
        { "exponent 1267650600228229401496703205376 is too large", ["derive", "order-params", "--activation", "expr:2^(2^100)", .. MeanField] },
        { "exponent 1267650600228229401496703205376 is too large", ["derive", "order-params", "--activation", "expr:x^(2^100)", .. MeanField] },
        { "more than the 2.1e+9 one array can hold", ["fim-stats", "--activation", "relu", "--depth", "2", "--width", "4000", "--widths", "1000,1000",
            "--samples", "10", "--outputs", "1", "--sigma-w2", "2", "--sigma-b2", "0"] },
        { "more than the 2.1e+9 one array can hold", ["density", "--hidden", "100000,100000"] },
        { "needs an array of 2.5e+11 numbers", ["verify", "theorem3", "--d", "1000", "--p", "1000", "--delta", "0.5", "--trials", "1", "--lemma2-only"] },
    };

    [Theory]
    [MemberData(nameof(Crashes))]
    public void WhatCrashedIsOneSentenceAndExitCode2(string expected, string[] args) => RefusedBeforeWork(expected, args);

    public static TheoryData<string, string[]> Blowups => new()
    {
        { "verify theorem2 at d = 1000, p = 1000 needs about", ["verify", "theorem2", "--d", "1000", "--p", "1000"] },
        { "spectrum shallow at d = 1000, p = 1000 needs about", ["spectrum", "shallow", "--d", "1000", "--p", "1000", "--top", "5"] },
        { "density with N = 1000000", ["density", "--samples", "1000000"] },
        { "of memory", ["density", "--exact-limit", "20000", "--method", "exact", "--hidden", "140,100"] },
        { "verify ngd-scales at depth 10, widths 4000, N = 200", ["verify", "ngd-scales", "--depth", "10", "--width", "4000", "--samples", "200", "--trials", "100"] },
        { "verify lemma1 at d = 5, p = 2000 with 100000000 samples needs about", ["verify", "lemma1", "--p", "2000", "--samples", "100000000"] },
        // Simplifying the derivative 1000(1 + x)^999 took over a minute; the degree is estimated before any work.
        { "'(1+x)^1000' is too large to differentiate: multiplying out would raise a sum to degree 999, beyond the symbolic engine's budget of degree 256",
            ["derive", "order-params", "--activation", "expr:(1+x)^1000", .. MeanField] },
    };

    [Theory]
    [MemberData(nameof(Blowups))]
    public void WhatBlewUpIsRefusedWithItsEstimate(string expected, string[] args) => RefusedBeforeWork(expected, args);

    [Fact]
    public void SuitesWithTheLargestDocumentedSizesAreRefusedWithTheirEstimate()
    {
        // The claim engine holds C·T ≤ 4000 and 2·10⁸ weights a network (structural limits, refused by the claim file's line); within
        // them, the largest sizes are refused by their estimate.
        string meanField = Write("mean-field.toml", "[mean-field]\ndepth = 20\nsamples = 200\noutputs = 20\ntrials = 100\nmin_width = 1000\nmax_width = 2000\n");
        RefusedBeforeWork("[mean-field] with these fields: theorem31.toml:29: instance 'tanh' needs about", "report", "--suite", meanField, "--out", Path.Combine(_dir, "r1"));
        string tooWide = Write("too-wide.toml", "[mean-field]\ndepth = 20\nmin_width = 2000\nmax_width = 4000\n");
        RefusedBeforeWork("[mean-field] with these fields: theorem31.toml:43: key 'instance' of claim 'tanh.mean': a network of width M = 4000 has", "report", "--suite", tooWide, "--out", Path.Combine(_dir, "r1"));
        string density = Write("density.json", "{\"density\": {\"samples\": 100000, \"hidden\": 1000, \"probes\": 10000, \"steps\": 10000}}");
        RefusedBeforeWork("[density] with N = 100000", "report", "--suite", density, "--out", Path.Combine(_dir, "r2"));
        Assert.False(File.Exists(Path.Combine(_dir, "r1", "report.md")));
    }

    [Fact]
    public void DeriveOrderParamsAtDepth1000FinishesInSeconds()
    {
        // It took over a minute (every block's check summed all L layers again); now about 4 s. The timeout is generous.
        var r = Run(["derive", "order-params", "--activation", "relu", "--depth", "1000", "--sigma-w2", "2", "--sigma-b2", "0"]);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("derivation: ", r.Out);
    }

    [Fact]
    public void AMalformedFileInASuitesDerivationsFolderIsRefusedWithItsPosition()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "derivations")).FullName;
        File.WriteAllText(Path.Combine(folder, "good.txt"), "symbol x\nx + x = 2*x\n");
        File.WriteAllText(Path.Combine(folder, "bad.txt"), "symbol x\nx + = 2\n");
        string suite = Write("derivations.toml", $"[derivations]\nfolder = \"{folder}\"\n");
        RefusedBeforeWork("bad.txt:2:", "report", "--suite", suite, "--out", Path.Combine(_dir, "r"));
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [Fact]
    public void FifosAndDevicesAreNeverRead()
    {
        if (!OperatingSystem.IsLinux()) return;
        string fifo = Path.Combine(_dir, "pipe.toml");
        Assert.Equal(0, MakeFifo(fifo, Convert.ToUInt32("600", 8)));
        foreach (var special in new[] { fifo, "/dev/zero" })
        {
            // A FIFO would block the reader forever, /dev/zero would fill the memory: both must be refused at once.
            RefusedBeforeWork("is not a regular file", "check", special);
            RefusedBeforeWork("is not a regular file", "merge", special);
            RefusedBeforeWork("is not a regular file", "report", "--suite", special);
        }
        RefusedBeforeWork("does not exist", "check", Path.Combine(_dir, "missing.txt"));
        RefusedBeforeWork("is a folder", "merge", _dir);
        string big = Path.Combine(_dir, "big.txt");
        using (var f = File.Create(big)) f.SetLength(2 << 20);
        RefusedBeforeWork("more than the 1 MB such a file may have", "check", big);
    }

    public static TheoryData<string, string[]> ImpossibleValues => new()
    {
        { "the broadening width σ = 1E+300 is more than 100 times the largest eigenvalue", ["density", "--sigma", "1e300", "--samples", "40", "--probes", "2", "--steps", "8"] },
        { "α = Σ α_l α_(l−1) = Infinity", ["derive", "order-params", "--activation", "relu", "--depth", "3", "--sigma-w2", "2", "--sigma-b2", "0", "--widths", "1e300,1e300,1e300"] },
        { "passes no signal through the hidden layers", ["fim-stats", "--activation", "expr:0", "--depth", "2", "--width", "20", "--samples", "4", "--outputs", "1", "--sigma-w2", "1", "--sigma-b2", "0"] },
        { "must be distinct", ["verify", "theorem3-sweep", "--p-list", "50,50", "--trials", "2", "--lemma2-only"] },
    };

    [Theory]
    [MemberData(nameof(ImpossibleValues))]
    public void ImpossibleValuesAreNeverPrintedAsResults(string expected, string[] args)
    {
        var r = Run(args);
        ChildProcessCli.AssertRefused(r, expected);
        Assert.DoesNotContain("PASS", r.Out);
    }

    [Fact]
    public void OutputPathsAreCheckedBeforeTheWork()
    {
        string[] theorem3 = ["verify", "theorem3", "--d", "3", "--p", "30", "--trials", "4", "--lemma2-only"];
        RefusedBeforeWork("Cannot write the --partial file '/proc/part.json'", [.. theorem3, "--partial", "/proc/part.json"]);
        RefusedBeforeWork("Cannot write the --partial file '': the name is empty", [.. theorem3, "--partial", ""]);
        RefusedBeforeWork("is a folder", [.. theorem3, "--partial", _dir]);
        RefusedBeforeWork("Cannot write the --junit file '/proc/junit.xml'", "report", "--only", "kappa-series", "--out", Path.Combine(_dir, "r"), "--junit", "/proc/junit.xml");
        RefusedBeforeWork("Cannot write the report folder '/proc'", "report", "--only", "kappa-series", "--out", "/proc");
        RefusedBeforeWork("Cannot write the --plot file '/proc/plot.png'", "density", "--plot", "/proc/plot.png");
    }

    [Fact]
    public void LimitsFromTheEnvironmentAreReadOrRefused()
    {
        var bad = ChildProcessCli.Run(["verify", "theorem2", "--p", "20"], new Dictionary<string, string> { ["FIMVERIFY_MEMORY_LIMIT"] = "lots" });
        ChildProcessCli.AssertRefused(bad, "FIMVERIFY_MEMORY_LIMIT must be a size such as 512M or 8G, but is 'lots'");
        var tight = ChildProcessCli.Run(["verify", "theorem2", "--p", "400"], new Dictionary<string, string> { ["FIMVERIFY_MEMORY_LIMIT"] = "1M" });
        ChildProcessCli.AssertRefused(tight, "more than the 1 MB it may use (set by FIMVERIFY_MEMORY_LIMIT)");
        var slow = ChildProcessCli.Run(["verify", "theorem2", "--p", "2000"], new Dictionary<string, string> { ["FIMVERIFY_TIME_LIMIT"] = "1s" });
        ChildProcessCli.AssertRefused(slow, "more than the 1 s limit (set by FIMVERIFY_TIME_LIMIT)");
        var none = ChildProcessCli.Run(["verify", "theorem2", "--p", "30"], new Dictionary<string, string> { ["FIMVERIFY_TIME_LIMIT"] = "none" });
        Assert.True(none.Code == 0, none.ToString());
    }

    /// <summary>
    /// The estimates are upper bounds: a request run under a heap just large enough for the policy to accept it (its estimate
    /// is 80% of what is left) completes. Two experiments whose arrays differ in kind: Gram duals and Monte Carlo sums.
    /// </summary>
    [Theory]
    [InlineData("fim-stats", "--activation", "tanh", "--depth", "3", "--width", "400", "--samples", "300", "--outputs", "4", "--sigma-w2", "2", "--sigma-b2", "0.1", "--quiet")]
    [InlineData("verify", "lemma1", "--d", "5", "--p", "500", "--samples", "2000", "--quiet")]
    public void ARequestTheEstimateAdmitsRunsWithinIt(params string[] args)
    {
        var estimate = args[0] == "fim-stats"
            ? ExperimentCosts.FimStats(new FimVerify.Numeric.MeanField.NetworkShape(3, 2, 0.1), 400, 300, 4, 1)
            : ExperimentCosts.Lemma1(5, 500, 2000);
        long heap = (long)(estimate.Bytes / ResourceLimits.AvailableShare) + (64L << 20);
        var r = ChildProcessCli.Run(args, new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = ChildProcessCli.HeapLimit(heap) });
        Assert.True(r.Code is 0 or 1, $"heap {heap >> 20} MB for an estimate of {estimate.BytesText}: {r}");
        Assert.False(ChildProcessCli.ShowsACrash(r.Err), r.ToString());
        // And a little less than the estimate is refused by the policy, not by the runtime.
        var refused = ChildProcessCli.Run(args, new Dictionary<string, string> { ["FIMVERIFY_MEMORY_LIMIT"] = (estimate.Bytes * 9 / 10).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        ChildProcessCli.AssertRefused(refused, "of memory");
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FimVerify.Numeric.Resources;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// Fuzzing the command line: FsCheck generators over the options of every command (plausible small values, boundaries,
/// huge, negative, non-numeric and empty values, unknown options, stray words) and over derivation-file text (valid lines,
/// corrupted lines, odd white space and line ends, huge exponents, deep nesting). For every invocation: exit code 0, 1 or 2;
/// no stack trace, internal error or exhausted memory on stderr; an exit code 2 explained in one "fimverify: " sentence;
/// bounded time (a 1-second work limit, each run within a generous timeout) and memory (in-process a 512 MB limit, child
/// processes under a 1 GB heap); and no NaN or infinity in a result with exit code 0. The cases come from a fixed seed
/// (FIMVERIFY_FUZZ_SEED picks another); CI runs about three hundred in-process and eight in child processes,
/// FIMVERIFY_FUZZ=long twenty times as many.
/// </summary>
public sealed class CliFuzzTests : IDisposable
{
    private static readonly bool Long = Environment.GetEnvironmentVariable("FIMVERIFY_FUZZ") == "long";
    private static readonly ulong Seed = ulong.TryParse(Environment.GetEnvironmentVariable("FIMVERIFY_FUZZ_SEED"), out ulong s) ? s : 14;
    private static int Cases(int ci) => Long ? 20 * ci : ci;

    /// <summary>What every run may use: about 1 s of work at the nominal rate, 512 MB in-process.</summary>
    private static readonly ResourceLimits Limits = new(512L << 20, "fuzzing", 1, "fuzzing");

    private const double Timeout = 90;

    private readonly string _dir = Directory.CreateTempSubdirectory("fimverify-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ----- values -----

    private static Gen<string> Ints(int lo, int hi) => Gen.Choose(lo, hi).Select(i => i.ToString(CultureInfo.InvariantCulture));

    private static Gen<string> Doubles(params double[] values) => Gen.Elements(values).Select(v => v.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Values no option should take without a clear refusal.</summary>
    private static readonly Gen<string> Nasty = Gen.Elements(
        "0", "-1", "-0", "1e300", "-1e300", "NaN", "Infinity", "-Infinity", "", " ", "abc", "9223372036854775808", "2147483648", "-2147483649",
        "1.5", "1e-320", "5e-324", "0x10", " 7", "٣", "1,2", "1,,2", ",", "--", "1/0", "1/2", "1e999", "100000000", "2147483647", "∞",
        new string('9', 400), "a\tb", "é", "\"", "x;rm", "../..", "/dev/zero", "/proc/self/mem");

    private static Gen<string> Value(Gen<string> plausible) => Gen.Frequency((4, plausible), (1, Nasty));

    private static readonly string[] Activations =
    [
        "relu", "leaky-relu", "leaky-relu:0.1", "linear", "erf", "tanh", "sigmoid", "gelu", "expr:x/(1+exp(-x))", "expr:0", "expr:x^2",
        "expr:sin(x)", "expr:2^(2^100)", "expr:x^(1/3)", "expr:log(x)", "expr:1/x", "expr:exp(x^2)", "expr:((((x))))", "expr:", "expr:y",
        "relu2", "leaky-relu:abc", "leaky-relu:1e300", "expr:x^1000000", "expr:5.*x", "expr:sqrt(-1)*x",
    ];

    /// <summary>An option of a command: its name, the plausible values it is drawn from (null: a switch), whether it is required.</summary>
    private sealed record Option(string Name, Gen<string>? Values, bool Required = false);

    private static Option O(string name, Gen<string> values) => new(name, values);
    private static Option Needed(string name, Gen<string> values) => new(name, values, Required: true);
    private static Option Switch(string name) => new(name, null);

    /// <summary>Paths the generated invocations read and write: fixtures, missing and special paths, output targets.</summary>
    private sealed record Paths(Gen<string> Inputs, Gen<string> Derivations, Gen<string[]> PartSets, Gen<string> Outputs, Gen<string> Folders);

    private Paths Fixtures()
    {
        string Write(string name, string text)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllText(path, text);
            return path;
        }
        string examples = DerivationCommandTests.Example("theorem2-coefficients.txt");
        string good = Write("good.txt", "symbol x\nsymbol y: y > 0\nx + x = 2*x\n= x*2\n");
        string malformed = Write("malformed.txt", "symbol x\nx + = 2\n");
        string binary = Write("binary.txt", "\u0000\u0001\u00ff" + new string('\u0007', 100));
        string suite = Write("suite.toml", "seed = 3\nquick = true\n[kappa-series]\nterms = 20\n[theorem2]\np = 30\n");
        string badSuite = Write("bad.json", "{\"theorem3\": {\"p\": 10, \"d\": 20}} {}");
        string part = Write("part.json", "{\"format\": \"fimverify-partial/2\", \"outcomes\": []}");
        // Real parts of small sharded runs, so merge is reached with parts that fit, overlap, miss a shard or differ.
        string Shard(string name, string[] run)
        {
            string file = Path.Combine(_dir, name + ".json");
            var r = CliRunner.Run([.. run, "--quiet", "--partial", file]);
            Assert.True(r.Code is 0 or 1, r.Err);
            return file;
        }
        string[] theorem3 = ["verify", "theorem3", "--d", "3", "--p", "20", "--trials", "4", "--lemma2-only"];
        string t0 = Shard("t3-0", [.. theorem3, "--shard", "0/2"]), t1 = Shard("t3-1", [.. theorem3, "--shard", "1/2"]);
        string tOther = Shard("t3-seed", [.. theorem3, "--shard", "1/2", "--seed", "9"]);
        string f0 = Shard("fim-0", ["fim-stats", "--activation", "tanh", "--depth", "2", "--width", "10", "--samples", "3", "--outputs", "2",
            "--sigma-w2", "2", "--sigma-b2", "0.1", "--trials", "2", "--shard", "0/2"]);
        string r0 = Shard("report-0", ["report", "--quick", "--only", "theorem3", "--suite", Write("shard.toml", "[theorem3]\np = 20\ntrials = 2\nlarge_p = 30\nlarge_trials = 1\n"), "--shard", "0/1"]);
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "folder")).FullName;
        var missing = Path.Combine(_dir, "missing.txt");
        var common = new[] { missing, folder, "/dev/zero", "/dev/null", "" };
        Directory.CreateDirectory(Path.Combine(_dir, "out"));
        return new Paths(
            Gen.Elements(new[] { suite, badSuite, good }.Concat(common).ToArray()),
            Gen.Elements(new[] { examples, good, malformed, binary }.Concat(common).ToArray()),
            Gen.Elements<string[]>([t0, t1], [t1, t0], [t0], [t0, t1, t0], [t0, tOther], [t0, f0], [r0], [f0], [part], [suite, t0], ["/dev/zero"], [missing], [folder], [t0, ""]),
            Gen.Elements(Path.Combine(_dir, "out", "file.json"), Path.Combine(_dir, "missing-folder", "f.json"), folder, "/proc/x.json", "", "/dev/null"),
            Gen.Elements(Path.Combine(_dir, "out", "report"), folder, "/proc/report", "", good));
    }

    /// <summary>Every command with its options; the plausible values are small, so a run that is not refused is quick.</summary>
    private static Dictionary<string, Option[]> Commands(Paths paths)
    {
        Option Format(params string[] formats) => O("--format", Gen.Elements(formats));
        var seed = O("--seed", Gen.OneOf(Ints(-3, 3), Gen.Elements("9223372036854775807", "-9223372036854775808")));
        var quiet = Switch("--quiet");
        var shard = O("--shard", Gen.Elements("0/2", "1/2", "0/1", "3/3", "1/0", "a/b", "0/1000"));
        var partial = O("--partial", paths.Outputs);
        var activation = Needed("--activation", Gen.Elements(Activations));
        var meanField = new[] { activation, Needed("--depth", Ints(1, 4)), Needed("--sigma-w2", Doubles(0.5, 1, 2, 3)), Needed("--sigma-b2", Doubles(0, 0.1, 0.64)),
            O("--widths", Gen.Elements("1,1", "1,2", "1,1,1", "0.5,1,2", "1e300,1e300", "1,0", "1,-1", "2")) };
        return new()
        {
            ["report"] = [O("--suite", paths.Inputs), O("--out", paths.Folders), Switch("--quick"), seed,
                O("--only", Gen.Elements("kappa-series", "derivations", "kappa-series,theorem2", "theorem2", "", ",", "nope", "theorem3", "density")),
                O("--junit", paths.Outputs), Format("text", "json", "latex"), shard, partial, quiet],
            ["derive jij"] = [O("--terms", Ints(1, 40)), Format("text", "latex", "json")],
            ["derive jij-coefficient"] = [O("--terms", Ints(24, 60)), Format("text", "latex", "json")],
            ["derive theorem2"] = [O("--d", Gen.OneOf(Ints(1, 8), Gen.Elements("100000"))), Format("text", "latex", "json")],
            ["derive moments"] = [O("--d", Gen.OneOf(Ints(1, 8), Gen.Elements("10000"))), Format("text", "latex", "json")],
            ["derive tian"] = [Format("text", "latex", "json")],
            ["check"] = [O("--points", Ints(1, 6)), seed, Format("text", "json")],
            ["verify lemma1"] = [O("--d", Ints(1, 6)), O("--p", Ints(1, 40)), O("--samples", Gen.OneOf(Ints(2, 3000), Gen.Elements("100000000"))), seed,
                O("--alpha", Doubles(1e-3, 0.5, 1e-300, 0.6)), Format("text", "json"), quiet],
            ["verify theorem2"] = [O("--d", Gen.OneOf(Ints(2, 6), Gen.Elements("1000"))), O("--p", Gen.OneOf(Ints(2, 60), Gen.Elements("3000"))), seed, Format("text", "json")],
            ["verify theorem3"] = [O("--d", Gen.OneOf(Ints(2, 5), Gen.Elements("1000"))), O("--p", Gen.OneOf(Ints(2, 80), Gen.Elements("10000000", "100000"))),
                O("--delta", Doubles(0.1, 0.5, 1, 1e300)), O("--trials", Gen.OneOf(Ints(1, 6), Gen.Elements("100000000"))), seed,
                O("--alpha", Doubles(1e-6, 0.25, 1e-300, 5e-324)), O("--xi-pair", Doubles(0, 0.5, -1)), O("--xi-diag", Doubles(0, 0.5)),
                shard, partial, Switch("--lemma2-only"), Format("text", "json"), quiet],
            ["verify theorem3-sweep"] = [O("--d", Ints(2, 4)), O("--delta", Doubles(0.2, 0.5)), Needed("--p-list", Gen.Elements("10,20", "20,40,80", "50,50", "5", "10,1000000", "x,y")),
                O("--trials", Ints(1, 6)), seed, O("--alpha", Doubles(1e-6, 0.3)), Switch("--lemma2-only"), shard, partial, Format("text", "json"), quiet],
            ["merge"] = [O("--out", paths.Folders), O("--junit", paths.Outputs), Format("text", "json"), quiet],
            ["spectrum shallow"] = [O("--d", Ints(2, 5)), O("--p", Gen.OneOf(Ints(2, 60), Gen.Elements("20000", "3001"))), O("--n", Gen.OneOf(Ints(1, 500), Gen.Elements("10000000"))),
                O("--top", Ints(1, 12)), seed, Format("text", "json")],
            ["density"] = [O("--data", Gen.Elements("synthetic", "fashion-mnist")), O("--samples", Gen.OneOf(Ints(1, 40), Gen.Elements("1000000"))),
                O("--hidden", Gen.Elements("4", "4,4", "8,3", "100000,100000", "0", "4,,4")), O("--activation", Gen.Elements("relu", "tanh", "gelu")),
                O("--fisher", Gen.Elements("exact", "mc", "emp", "kfac", "all", "all,kfac", "exact,exact")), O("--blocks", Gen.Elements("full", "layerwise", "all")),
                O("--method", Gen.Elements("slq", "exact")), O("--probes", Ints(1, 4)), O("--steps", Ints(1, 12)), O("--probe-distribution", Gen.Elements("rademacher", "gaussian")),
                O("--sigma", Doubles(0.01, 0.1, 1e300, 1e-300)), O("--grid", Ints(2, 300)), O("--mc-labels", Ints(1, 3)), O("--epochs", Ints(0, 2)),
                O("--batch", Ints(1, 16)), O("--learning-rate", Doubles(0.05, 100)), O("--exact-limit", Gen.OneOf(Ints(0, 400), Gen.Elements("20000"))),
                O("--top", Ints(0, 3)), seed, O("--data-dir", paths.Folders), O("--plot", Gen.Elements(Path.Combine("OUT", "p.png"), Path.Combine("OUT", "p.svg"), "/proc/p.png", "p.txt")),
                Format("text", "json"), quiet],
            ["derive order-params"] = [.. meanField, Switch("--steps"), Format("text", "latex", "json")],
            ["fim-stats"] = [.. meanField, Needed("--width", Gen.OneOf(Ints(2, 40), Gen.Elements("4000", "16000"))), Needed("--samples", Ints(2, 12)), Needed("--outputs", Ints(1, 4)),
                O("--variant", Gen.Elements("regression", "softmax", "mean-subtracted", "ntk", "ntk-mean-subtracted", "blocks", "input")),
                seed, O("--trials", Ints(1, 3)), shard, partial, Format("text", "json"), quiet],
            ["verify ngd-scales"] = [Needed("--depth", Ints(2, 4)), Needed("--width", Gen.Elements("10", "10,20", "20,40,80", "4000", "3", "10,10")), Needed("--samples", Ints(2, 12)),
                O("--activation", Gen.Elements("relu", "tanh", "erf", "linear", "gelu", "expr:x")), O("--sigma-w2", Doubles(1, 2)), O("--sigma-b2", Doubles(0, 0.1)),
                O("--trials", Ints(1, 2)), seed, Format("text", "json"), quiet],
        };
    }

    /// <summary>
    /// One invocation: a command and a random subset of its options. Half are clean (every required option, plausible values:
    /// they reach the work), half are dirty (any subset, a value in five drawn from <see cref="Nasty"/>, sometimes noise).
    /// </summary>
    private static Gen<string[]> Invocations(Dictionary<string, Option[]> commands, Paths paths, string caseFolder) =>
        from name in Gen.Elements(commands.Keys.ToArray())
        from clean in Gen.Elements(true, false)
        from chosen in Gen.CollectToArray(commands[name], o => clean && o.Required ? Gen.Constant<Option?>(o)
            : Gen.Elements(true, false).Select(take => take ? o : null))
        from values in Gen.CollectToArray(chosen.OfType<Option>(), o => o.Values is null ? Gen.Constant<string?>(null)
            : (clean ? o.Values : Value(o.Values)).Select(v => (string?)v))
        from positional in name == "check" ? paths.Derivations.Select(p => new[] { p }) : name == "merge" ? paths.PartSets : Gen.Constant(Array.Empty<string>())
        from noise in clean ? Gen.Constant(Array.Empty<string>()) : Gen.Frequency((3, Gen.Constant(Array.Empty<string>())),
            (1, Gen.Elements<string[]>(["--bogus"], ["--help"], ["stray"], ["--seed", "1", "--seed", "2"], ["--plain"], ["-h"], ["--quiet", "yes"], ["--format="])))
        select Build(name, chosen.OfType<Option>().ToArray(), values, positional, noise, caseFolder);

    private static string[] Build(string name, Option[] options, string?[] values, string[] positional, string[] noise, string caseFolder)
    {
        var args = new List<string>(name.Split(' '));
        args.AddRange(positional);
        for (int k = 0; k < options.Length; k++)
        {
            args.Add(options[k].Name);
            if (values[k] is string v) args.Add(v.Replace("OUT", caseFolder));
        }
        // A report or merge without --out would write into the working folder: give each case its own.
        if (name is "report" or "merge" && !options.Any(o => o.Name == "--out")) args.AddRange(["--out", Path.Combine(caseFolder, "report")]);
        args.AddRange(noise);
        return [.. args];
    }

    // ----- derivation text -----

    /// <summary>The usual head of a file: symbols with and without assumptions and a definition.</summary>
    private static readonly string[] Preamble = ["title: fuzz", "symbol x", "symbol y: y > 0", "symbol t: 0 < t < pi", "symbol n: n >= 1", "let u = x^2"];

    /// <summary>Steps over those symbols: identities, false ones, chains, derivatives, comments, blank lines.</summary>
    private static readonly string[] Steps =
    [
        "x + x = 2*x", "= 2*x", "= x*2 + 0", "(x+1)^2 = x^2 + 2*x + 1", "sin(x)^2 + cos(x)^2 = 1", "derivative x: x^3 = 3*x^2",
        "sqrt(x^2) = x", "exp(log(y)) = y", "(x^2 - 1)/(x - 1) = x + 1", "arcsin(sin(t)) = t", "erf(x) = -erf(-x)", "1/(x - x) = 0",
        "y^(1/3)*y^(2/3) = y", "u = x*x   # by definition", "2.5e-3*x = x/400", "5.*x = 5*x", "n*(n+1)/2 = (n^2 + n)/2", "# a comment", "",
        "cos(t)^2 = 1 - sin(t)^2", "x^2 >= 0", "log(y^2) = 2*log(y)", "(x + y)^12 = (y + x)^12", "derivative t: sin(t) = cos(t)", "x = x + 1e-30",
    ];

    /// <summary>What an editor or a careless hand inserts into a line.</summary>
    private static readonly string[] Fragments =
    [
        "(", ")", "^", "/", "=", "#", "\t", "\r", "é", "\u0000", new string('9', 60), "2^(2^100)", "x^1000000", new string('(', 60), ".", "5.",
        "1e99999", "1e-10000", "pi", "symbol", "let", "derivative", ":", "<", "<=", "sqrt(", ")^(1/1000001)", "0^-1", "log(0)", "∞", "symbol x",
    ];

    private static Gen<string> Corrupted(string line) =>
        Gen.OneOf(
            from fragment in Gen.Elements(Fragments)
            from at in Gen.Choose(0, 40)
            select line.Insert(Math.Min(at, line.Length), fragment),
            from at in Gen.Choose(0, 40)
            select line.Length == 0 ? line : line.Remove(Math.Min(at, line.Length - 1), 1));

    /// <summary>
    /// A file: most often the preamble then steps (half the files untouched, the others with a line or two corrupted), sometimes
    /// lines in any order; joined by \n, \r\n or \r.
    /// </summary>
    private static Gen<string> DerivationText =>
        from ordered in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from steps in Gen.Choose(1, 8).SelectMany(n => Gen.ListOf(Gen.Elements(Steps), n))
        from shuffled in Gen.Shuffle(Preamble.Concat(steps))
        from lines in Gen.Constant(ordered ? Preamble.Concat(steps).ToList() : shuffled.ToList())
        from corrupt in Gen.Elements(0, 0, 1, 2)
        from positions in Gen.ListOf(Gen.Choose(0, lines.Count - 1), corrupt)
        from replacements in Gen.CollectToArray(positions, k => Corrupted(lines[k]))
        from end in Gen.Elements("\n", "\r\n", "\r")
        select string.Join(end, Apply(lines, positions, replacements)) + end;

    private static IEnumerable<string> Apply(List<string> lines, IList<int> positions, string[] replacements)
    {
        var result = lines.ToArray();
        for (int k = 0; k < positions.Count; k++) result[positions[k]] = replacements[k];
        return result;
    }

    // ----- running and judging -----

    private sealed record Outcome(string[] Args, int Code, string Out, string Err, bool TimedOut, double Seconds = 0);

    private static string Show(string[] args) => string.Join(" ", args.Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));

    /// <summary>Why an outcome breaks the rules, or null.</summary>
    private static string? Violation(Outcome o)
    {
        if (o.TimedOut) return $"did not finish within {Timeout} s";
        if (o.Code is not (0 or 1 or 2)) return $"exit code {o.Code}";
        if (ChildProcessCli.ShowsACrash(o.Err)) return $"a crash on stderr: {o.Err.Trim()}";
        if (o.Code == 2 && !o.Err.TrimEnd().Split('\n')[^1].StartsWith("fimverify: ", StringComparison.Ordinal)) return $"exit 2 without a sentence: {o.Err.Trim()}";
        bool help = o.Args.Contains("--help") || o.Args.Contains("-h");
        if (o.Code == 0 && !help && Regex.IsMatch(o.Out, @"\bNaN\b|Infinity|∞")) return $"a non-finite value in a result: {o.Out[..Math.Min(o.Out.Length, 600)]}";
        return null;
    }

    private static Outcome InProcess(string[] args)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = Task.Run(() =>
        {
            using var _ = ResourceLimits.Use(Limits);
            try { return CliRunner.Run(args); }
            catch (Exception e) { return (Code: -2, Out: "", Err: "escaped the dispatcher:   at " + e); }
        });
        return run.Wait(TimeSpan.FromSeconds(Timeout))
            ? new Outcome(args, run.Result.Code, run.Result.Out, run.Result.Err, false, clock.Elapsed.TotalSeconds) : new Outcome(args, -1, "", "", true, Timeout);
    }

    private static void AssertNoViolations(IEnumerable<Outcome> outcomes)
    {
        if (Environment.GetEnvironmentVariable("FIMVERIFY_FUZZ_LOG") is { Length: > 0 } log)
            File.AppendAllLines(log, outcomes.Select(o => $"{o.Code}\t{o.Seconds:F2}\t{Show(o.Args)}\t{o.Err.Trim().Split('\n')[^1]}"));
        var bad = outcomes.Select(o => (o, why: Violation(o))).Where(x => x.why is not null).ToList();
        Assert.True(bad.Count == 0, $"{bad.Count} invocation(s) broke the rules (seed {Seed}):\n"
            + string.Join("\n", bad.Take(10).Select(x => $"  fimverify {Show(x.o.Args)}\n    → {x.why}")));
    }

    private string CaseFolder(string kind, int k) => Directory.CreateDirectory(Path.Combine(_dir, $"{kind}-{k}")).FullName;

    private string[][] Sample(string kind, int count, ulong seed)
    {
        var paths = Fixtures();
        var commands = Commands(paths);
        // One folder per case, so no case sees another's outputs; the generator names it by index.
        var cases = Gen.Sample(Invocations(commands, paths, Path.Combine(_dir, kind + "-CASE")), count, new Rnd(seed), 20);
        return cases.Select((args, k) => args.Select(a => a.Replace(kind + "-CASE", $"{kind}-{k}")).ToArray()).ToArray();
    }

    [Fact]
    public void EveryCommandUnderGeneratedOptionsInProcess()
    {
        var cases = Sample("in", Cases(200), Seed);
        for (int k = 0; k < cases.Length; k++) CaseFolder("in", k);
        var outcomes = cases.AsParallel().WithDegreeOfParallelism(2).Select(InProcess).ToList();
        AssertNoViolations(outcomes);
        // The generator reaches all three exit codes, and refusals for resources, not only for syntax.
        Assert.Contains(outcomes, o => o.Code == 0);
        Assert.Contains(outcomes, o => o.Code == 2 && o.Err.Contains("needs ", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryCommandUnderGeneratedOptionsInAChildProcess()
    {
        var cases = Sample("child", Cases(8), Seed + 1);
        for (int k = 0; k < cases.Length; k++) CaseFolder("child", k);
        var environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = ChildProcessCli.HeapLimit(1L << 30), ["FIMVERIFY_TIME_LIMIT"] = "1s" };
        var outcomes = cases.AsParallel().WithDegreeOfParallelism(2).Select(args =>
        {
            var r = ChildProcessCli.Run(args, environment, Timeout);
            return new Outcome(args, r.Code, r.Out, r.Err, r.TimedOut, r.Elapsed.TotalSeconds);
        }).ToList();
        AssertNoViolations(outcomes);
    }

    [Fact]
    public void CheckUnderGeneratedDerivationText()
    {
        var texts = Gen.Sample(DerivationText, Cases(100), new Rnd(Seed + 2), 20);
        var files = texts.Select((text, k) =>
        {
            string file = Path.Combine(_dir, $"derivation-{k}.txt");
            File.WriteAllText(file, text, new UTF8Encoding(false));
            return file;
        }).ToList();
        var outcomes = files.AsParallel().WithDegreeOfParallelism(2).Select((string file) => InProcess(new[] { "check", file, "--points", "3" })).ToList();
        AssertNoViolations(outcomes);
        // The generator reaches every verdict: no FALSE step (0), a FALSE step (1), a malformed file (2).
        Assert.Contains(outcomes, o => o.Code == 0);
        Assert.Contains(outcomes, o => o.Code == 1);
        Assert.Contains(outcomes, o => o.Code == 2);
    }
}

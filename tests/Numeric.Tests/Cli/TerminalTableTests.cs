using System.Text.RegularExpressions;
using FimVerify.Cli;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using Spectre.Console;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>
/// Result tables: the plain layout is the columns' C# format strings (so a redirected stdout keeps its bytes; the other CLI
/// tests pin every command's plain text), and on a terminal (here a Spectre console on a StringWriter with ANSI colours)
/// the same cells are drawn in a bordered table with coloured verdicts, or the plain text when the terminal is too
/// narrow for a table without broken words; --plain and FIMVERIFY_PLAIN give the plain text on a terminal too.
/// One class, so the tests that set FIMVERIFY_PLAIN never run beside the others here.
/// </summary>
public sealed class TerminalTableTests : IDisposable
{
    private const string Esc = "\u001b";

    private readonly string _dir = Directory.CreateTempSubdirectory("fimverify-tables-").FullName;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(TerminalOutput.PlainVariable, null);
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A terminal <paramref name="width"/> columns wide with 16 ANSI colours, writing to <paramref name="text"/>.</summary>
    private static TerminalOutput Terminal(StringWriter text, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Standard, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = width;
        return new TerminalOutput(text, console);
    }

    private static (int Code, string Out) RunOnTerminal(int width, params string[] args)
    {
        var text = new StringWriter();
        int code = Dispatcher.Run(CommandCatalog.All(), args, Terminal(text, width), new StringWriter());
        return (code, text.ToString());
    }

    private static string WithoutEscapes(string s) => Regex.Replace(s, Esc + @"\[[0-9;]*m", "");

    /// <summary>The cells of the drawn table's rows (header first), from the lines between its vertical borders.</summary>
    private static List<string[]> DrawnRows(string output) =>
        WithoutEscapes(output).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith('│'))
            .Select(l => l.Trim('│').Split('│').Select(c => c.Trim()).ToArray()).ToList();

    private static ResultTable Sample() =>
        new ResultTable(new ResultColumn("claim", -8), new ResultColumn("n", 4, Numeric: true), new ResultColumn("verdict", -10, " "), new ResultColumn("note", 0, " (", ")"))
            { Indent = "  ", PlainHeader = true, Caption = "a caption" }
            .Add("a.one", "12", "PASS", "")
            .AddSection("a group")
            .Add("a.two", "3", "FAIL", "see x")
            .Add("b", "456", "VACUOUS", "")
            .Add("c", "7", "UNDECIDED", "")
            .Add("d", "8", "INFO", "");

    [Fact]
    public void ThePlainLayoutIsTheColumnsFormatStrings()
    {
        var o = new StringWriter();
        Sample().WriteTo(o);
        string Line(string a, string n, string v, string note) => note.Length == 0 ? $"  {a,-8}{n,4} {v,-10}" : $"  {a,-8}{n,4} {v,-10} ({note})";
        string[] expected =
        [
            Line("claim", "n", "verdict", "note"), Line("a.one", "12", "PASS", ""), "  a group", Line("a.two", "3", "FAIL", "see x"),
            Line("b", "456", "VACUOUS", ""), Line("c", "7", "UNDECIDED", ""), Line("d", "8", "INFO", ""), "  a caption",
        ];
        Assert.Equal(string.Join(Environment.NewLine, expected) + Environment.NewLine, o.ToString());
        Assert.Throws<ArgumentException>(() => Sample().Add("too", "few"));
    }

    [Fact]
    public void TheTerminalDrawsTheSameCellsWithColouredVerdicts()
    {
        var text = new StringWriter();
        Sample().WriteTo(Terminal(text, 120));
        string output = text.ToString();
        var rows = DrawnRows(output);
        Assert.Equal(["claim", "n", "verdict", "note"], rows[0]);
        Assert.Equal(
            [["a.one", "12", "PASS", ""], ["a group", "", "", ""], ["a.two", "3", "FAIL", "see x"], ["b", "456", "VACUOUS", ""], ["c", "7", "UNDECIDED", ""], ["d", "8", "INFO", ""]],
            rows.Skip(1).ToList());
        Assert.Contains("╭", output); // a bordered table, not the plain text
        Assert.Contains("a caption", output);
        Assert.Contains("│  12 │", WithoutEscapes(output)); // numbers right-justified
        // Standard ANSI colours: green 32, bright red 91, bright yellow 93, dim 2.
        Assert.Contains($"{Esc}[32mPASS{Esc}[0m", output);
        Assert.Contains($"{Esc}[91mFAIL{Esc}[0m", output);
        Assert.Contains($"{Esc}[93mVACUOUS{Esc}[0m", output);
        Assert.Contains($"{Esc}[93mUNDECIDED{Esc}[0m", output);
        Assert.Contains($"{Esc}[2mINFO{Esc}[0m", output);
        Assert.DoesNotContain($"m12{Esc}", output); // other cells are not coloured
    }

    [Fact]
    public void AnEmptyTableDrawsNothingOnATerminal()
    {
        var text = new StringWriter();
        new ResultTable(new ResultColumn("verdict"), new ResultColumn("claim", 0, "  ")).WriteTo(Terminal(text, 120));
        Assert.Equal("", text.ToString());
    }

    /// <summary>The rows of a plain table whose cells hold no run of two spaces: its cells are what two or more spaces separate.</summary>
    private static List<string[]> PlainRows(IEnumerable<string> lines) =>
        lines.Select(l => Regex.Split(l.Trim(), @"\s{2,}")).ToList();

    [Fact]
    public void ACommandDrawsTheCellsOfItsPlainTable()
    {
        string[] args = ["verify", "theorem2", "--d", "3", "--p", "40", "--seed", "2"];
        var plain = CliRunner.Run(args);
        var drawn = RunOnTerminal(120, args);
        Assert.Equal(plain.Code, drawn.Code);
        var plainLines = plain.Out.TrimEnd().Split(Environment.NewLine);
        int header = Array.FindIndex(plainLines, l => l.StartsWith("  claim ", StringComparison.Ordinal));
        // The lines before the table are the same text; the table's cells are the same cells.
        Assert.StartsWith(string.Join(Environment.NewLine, plainLines[..header]) + Environment.NewLine, drawn.Out);
        Assert.Equal(PlainRows(plainLines[header..]), DrawnRows(drawn.Out));
        Assert.Contains($"{Esc}[32mPASS{Esc}[0m", drawn.Out);
    }

    [Fact]
    public void TheLayerTableOfOrderParametersIsDrawnWithTheSameNumbers()
    {
        string[] args = ["derive", "order-params", "--activation", "tanh", "--depth", "3", "--sigma-w2", "3", "--sigma-b2", "0.64"];
        var plainLines = CliRunner.Run(args).Out.Split(Environment.NewLine);
        var drawn = RunOnTerminal(120, args);
        Assert.Equal(PlainRows(plainLines[1..6]), DrawnRows(drawn.Out)); // header and layers 0…3
        Assert.Equal(plainLines[0], drawn.Out.Split(Environment.NewLine)[0]);
    }

    [Fact]
    public void ANarrowTerminalWrapsTextButNeverANameANumberOrAVerdict()
    {
        string[] args = ["verify", "theorem3", "--d", "3", "--p", "60", "--delta", "0.5", "--trials", "10", "--seed", "1", "--lemma2-only", "--quiet"];
        var plain = CliRunner.Run(args);
        var plainRows = PlainRows(plain.Out.Split(Environment.NewLine).SkipWhile(l => !l.StartsWith("  claim ", StringComparison.Ordinal)).Skip(1)
            .Where(l => l.Length > 0)).ToList();
        Assert.Equal(8, plainRows.Count);
        // Name, failures, interval, bound and verdict of each claim; the last column is text and may wrap.
        var expected = plainRows.Select(r => string.Join(" | ", r[..5])).ToList();
        foreach (int width in new[] { 120, 95 })
        {
            var drawn = RunOnTerminal(width, args);
            Assert.Contains("╭", drawn.Out);
            var lines = WithoutEscapes(drawn.Out).Split(Environment.NewLine);
            Assert.All(lines, l => Assert.True(l.Length <= width, $"a line of {l.Length} columns at width {width}: {l}"));
            var drawnRows = DrawnRows(drawn.Out).Where(r => r[0].Length > 0).Skip(1).Select(r => string.Join(" | ", r[..5])).ToList();
            Assert.Equal(expected, drawnRows);
        }
        // Too narrow for the names, numbers and verdicts to stay whole: the plain text, exactly.
        Assert.Equal(plain.Out, RunOnTerminal(60, args).Out);
    }

    [Fact]
    public void PlainOnATerminalIsTheRedirectedText()
    {
        string[] args = ["check", DerivationCommandTests.Example("wrong-coefficient.txt")];
        var plain = CliRunner.Run(args);
        Assert.Equal(1, plain.Code);
        Assert.Contains("╭", RunOnTerminal(120, args).Out);
        Assert.Equal((plain.Code, plain.Out), RunOnTerminal(120, [.. args, "--plain"]));
        Assert.Equal((plain.Code, plain.Out), RunOnTerminal(120, ["--plain", .. args]));
        Environment.SetEnvironmentVariable(TerminalOutput.PlainVariable, "1");
        Assert.Equal((plain.Code, plain.Out), RunOnTerminal(120, args));
        Environment.SetEnvironmentVariable(TerminalOutput.PlainVariable, "0");
        Assert.Contains("╭", RunOnTerminal(120, args).Out);
        Environment.SetEnvironmentVariable(TerminalOutput.PlainVariable, null);
        Assert.Contains("--plain", CliRunner.Run("check", "--help").Out);
        // A redirected stdout is never a terminal: TerminalOutput.For leaves it as it is.
        var redirected = new StringWriter();
        Assert.Same(redirected, TerminalOutput.For(redirected, plain: false));
    }

    [Fact]
    public void AMergeDrawsWhatTheUnshardedRunDraws()
    {
        string[] args = ["verify", "theorem3", "--d", "3", "--p", "60", "--delta", "0.5", "--trials", "9", "--seed", "4", "--lemma2-only", "--quiet"];
        var parts = Enumerable.Range(0, 3).Select(i =>
        {
            string file = Path.Combine(_dir, $"part-{i}.json");
            Assert.Equal(0, CliRunner.Run([.. args, "--shard", $"{i}/3", "--partial", file]).Code);
            return file;
        }).ToArray();
        var unsharded = RunOnTerminal(120, args);
        Assert.Contains("╭", unsharded.Out);
        Assert.Equal(unsharded, RunOnTerminal(120, ["merge", .. parts, "--quiet"]));
    }
}

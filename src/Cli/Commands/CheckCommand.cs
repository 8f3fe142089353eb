using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Inputs;
using FimVerify.Cli.Output;
using FimVerify.Symbolic;

namespace FimVerify.Cli.Commands;

/// <summary>`check FILE`: decides every step of a plain-text derivation file (docs/derivation-files.md).</summary>
public sealed class CheckCommand : ICommand
{
    public string Path => "check";
    public string Summary => "Check a derivation file step by step: PROVED, PLAUSIBLE (random points), or FALSE with a counterexample.";
    public string Help => """
        Usage: fimverify check FILE [--points N] [--seed S] [--format text|json]
          FILE         a derivation file: `symbol` lines with assumptions, `let` definitions, and steps
                       `LHS = RHS` or `= RHS` (continuing a chain), each optionally followed by `# justification`
          --points N   random points per step that is not proved symbolically (1 … 1000, default 24)
          --seed S     seed of the random points (default 1); the same seed gives the same points
          --format F   text (default) or json
        Steps may be equalities or inequalities (< <= > >=) and use gauss, gauss2, integral, sum, product,
        diff, at and the functions listed in docs/derivation-files.md. A step is PROVED when its canonical
        forms agree (closed forms of expectations, integrals and sums; assumptions used) and every side
        condition is proved on the domain, or exhaustively on a small integer domain; otherwise PLAUSIBLE
        when it holds at N exact rational points inside the assumptions (exactly, in certified interval
        arithmetic to about 60 digits, or within a numerical integral's estimated error); FALSE with the
        point where it fails (or where only one side is defined); UNDECIDED with the reason. Each verdict
        names the route that decided it. Exit 0 if no step is FALSE, 1 if one is, 2 if the file is
        malformed (the message gives line and column).
        Example: fimverify check examples/derivations/lemma1-from-theorem1.txt
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        int points = args.Int("--points", 24, 1, 1000);
        int seed = args.Int("--seed", 1, int.MinValue, int.MaxValue);
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        if (args.Positionals.Count == 0) throw new UsageException("Give the derivation file to check (see --help).");
        string file = args.Positionals[0];
        args.EnsureAllUsed(allowedPositionals: 1);
        var parsed = DerivationFileInput.Read(file, file);
        var outcomes = StepChecker.check(points, seed, parsed);

        int falseCount = outcomes.Count(o => o.Verdict.IsFalse);
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("file", file);
                if (parsed.Title is { } title) w.WriteString("title", title.Value);
                w.WriteStartArray("steps");
                foreach (var o in outcomes)
                {
                    w.WriteStartObject();
                    w.WriteNumber("line", o.Step.Line);
                    w.WriteString("step", o.Step.Text);
                    w.WriteString("verdict", Name(o.Verdict));
                    switch (o.Verdict)
                    {
                        case StepVerdict.Proved p:
                            w.WriteString("method", p.Route);
                            break;
                        case StepVerdict.Plausible p:
                            w.WriteNumber("points", p.Points);
                            w.WriteString("method", p.Route);
                            break;
                        case StepVerdict.False f:
                            w.WriteStartObject("counterexample");
                            foreach (var (name, value) in f.Point) w.WriteString(name, value);
                            w.WriteEndObject();
                            w.WriteString("lhs", f.Lhs);
                            w.WriteString("rhs", f.Rhs);
                            w.WriteString("method", f.Route);
                            break;
                        case StepVerdict.Undecided u:
                            w.WriteString("reason", u.Reason);
                            break;
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteNumber("false", falseCount);
                w.WriteEndObject();
            }));
        }
        else
        {
            if (parsed.Title is { } title) stdout.WriteLine(title.Value);
            // Plain text puts a step's detail (its evidence or counterexample) on a line of its own under it.
            var table = new ResultTable(new("line", 3, "line ", ":", Numeric: true), new("verdict", -9, " "), new("step", 0, " "),
                new("detail", 0, Environment.NewLine + new string(' ', 11)));
            foreach (var o in outcomes)
            {
                string detail = o.Verdict switch
                {
                    StepVerdict.Proved p => $"({p.Route})",
                    StepVerdict.Plausible p => $"({p.Points} points: {p.Route})",
                    StepVerdict.False f => (f.Point.IsEmpty ? "" : $"at {string.Join(", ", f.Point.Select(v => $"{v.Item1} = {v.Item2}"))}: ") + $"left {f.Lhs}, right {f.Rhs} ({f.Route})",
                    StepVerdict.Undecided u => $" ({u.Reason})",
                    _ => "",
                };
                table.Add($"{o.Step.Line}", Name(o.Verdict), o.Step.Text, detail.Trim());
            }
            table.WriteTo(stdout);
            int proved = outcomes.Count(o => o.Verdict.IsProved), plausible = outcomes.Count(o => o.Verdict.IsPlausible);
            stdout.WriteLine($"{outcomes.Length} steps: {proved} proved, {plausible} plausible, {falseCount} false, {outcomes.Length - proved - plausible - falseCount} undecided.");
        }
        return falseCount == 0 ? Dispatcher.Holds : Dispatcher.ClaimFailed;
    }

    private static string Name(StepVerdict v) => v switch
    {
        StepVerdict.Plausible => "PLAUSIBLE",
        StepVerdict.False => "FALSE",
        StepVerdict.Undecided => "UNDECIDED",
        _ => "PROVED",
    };
}

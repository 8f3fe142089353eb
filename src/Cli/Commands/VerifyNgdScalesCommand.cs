using System.Globalization;
using System.Text.Json;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.NaturalGradient;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Commands;

/// <summary>`verify ngd-scales`: the isotropic condition Θ̄ = αI of exact and approximate natural gradient (seed 002).</summary>
public sealed class VerifyNgdScalesCommand : ILongRunningCommand
{
    public string Path => "verify ngd-scales";
    public string Summary => "Approximate natural gradient (seed 002): Θ̄ = J G⁺ Jᵀ/N = αI for exact, layer-wise, K-FAC and unit-wise Fishers, and one step with η = 1/α.";
    public string Help => """
        Usage: fimverify verify ngd-scales --depth L --width M[,M2,…] --samples N [--activation A] [--sigma-w2 X] [--sigma-b2 Y]
                                           [--trials K] [--seed S] [--alpha A] [--strict] [--format text|json] [--quiet]
          --depth L        weight layers, 2 … 10 (L − 1 hidden layers, one output: C = 1)
          --width M,…      one or more hidden widths (the input has the same width), N … 4000; two or more decide the trends
          --samples N      training inputs, 2 … 200, at most every width (the rank conditions need N ≤ M)
          --activation A   relu (default), leaky-relu[:slope], linear, erf, tanh, sigmoid, gelu
          --sigma-w2 X     weight variance, default 2;  --sigma-b2 Y  bias variance, default 0.1
          --trials K       networks per width, 1 … 100 (default 4); trial k at width M uses the stream S/"ngd"/M/k
          --seed S         run seed (default 1);  --format F  text (default) or json
          --alpha A        false-alarm rate of each claim (default 0.001)
          --strict         exit 1 also when a claim is UNDERPOWERED (the sizes could not have refuted it) or UNDECIDED
          --quiet          no progress on stderr (by default bars on a terminal, plain lines when redirected)
        Θ̄ is computed through N×N Grams in the zero-damping limit (pseudo-inverses). Ours: α = 1 (exact), L (layer-wise),
        N(L−1) + 1 (K-FAC: the output layer gives 1, not N), 1 + M(L−1)/2 (ReLU unit-wise, as M → ∞) or 1 + M(L−1) (unit-wise
        for activations with φ′ ≠ 0, exactly). Claims: exact cases ‖Θ̄/α − I‖₂ ≤ 1e−8 in every network; the asymptotic ones
        as limits: ‖Θ̄/α − I‖₂, the residual ‖f₁ − y‖/‖f₀ − y‖ of one real step θ − G⁺∇L/α and its largest hidden
        pre-activation change tend to 0 (unit-wise: the linearised step), each estimated through d∞ + a·M^(−1/2) with a t
        interval at α, UNDERPOWERED unless the widths and trials detect a limit of 0.05 (0.1 for the pre-activation change)
        with probability 0.9 (one width cannot). Seed 002's own
        values (K-FAC N·L, unit-wise M(L−1)/2, unit-wise one-step convergence) are checked and printed, not scored.
        Exit code 0 when none of our claims fails, 1 when one does, 2 on bad input.
        Example: fimverify verify ngd-scales --depth 3 --width 100,200,400,800 --samples 10 --seed 1
        """;

    public int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        if (!args.Has("--depth")) throw new UsageException("The option --depth is required.");
        int depth = args.Int("--depth", 0, 2, 10);
        string widthText = args.OptionalString("--width") ?? throw new UsageException("The option --width is required (e.g. --width 100,200,400).");
        if (!args.Has("--samples")) throw new UsageException("The option --samples is required.");
        int samples = args.Int("--samples", 0, 2, 200);
        string activationName = args.String("--activation", "relu");
        double sw = args.Double("--sigma-w2", 2, 0, 1e6);
        double sb = args.Double("--sigma-b2", 0.1, double.NegativeInfinity, 1e6);
        if (sb < 0) throw new UsageException($"The option --sigma-b2 must be non-negative, but got {sb.ToString(CultureInfo.InvariantCulture)}.");
        int trials = args.Int("--trials", 4, 1, 100);
        long seed = args.Long("--seed", 1);
        double alpha = args.Double("--alpha", 1e-3, 0, 0.25);
        bool strict = args.Flag("--strict");
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        var progress = ProgressReporter.Read(args, stderr);
        args.EnsureAllUsed();

        var widths = widthText.Split(',', StringSplitOptions.TrimEntries).Select(s =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v is >= 2 and <= 4000 ? v
            : throw new UsageException($"Every width in --width must be a whole number from 2 to 4000, but got '{s}'.")).Distinct().Order().ToList();
        IActivation activation;
        try
        {
            activation = ActivationCatalog.Parse(activationName);
            NaturalGradientScales.ActiveFraction(activation);
        }
        catch (ArgumentException e) { throw new UsageException(char.ToUpperInvariant(e.Message[0]) + e.Message[1..] + "."); }
        foreach (int m in widths)
            foreach (var metric in NaturalGradientScales.All)
                if (NaturalGradientScales.RankConditionViolation(metric, Enumerable.Repeat(m, depth).Append(1).ToArray(), samples) is string why)
                    throw new UsageException($"The {NaturalGradientScales.Name(metric)} scale is derived for full-rank factors, but {why} at width {m}: use --samples at most the smallest width.");

        ResourceLimits.Check(ExperimentCosts.NaturalGradientSweep(depth, widths.Select(w => (long)w), samples, trials),
            $"verify ngd-scales at depth {depth}, widths {string.Join(",", widths)}, N = {samples} with {trials} trial(s) per width", "reduce --depth, --width, --samples or --trials");
        var r = progress.Run(sink => NaturalGradientSweep.Run(activation, depth, widths, sw, sb, samples, trials, SeedSequence.FromSeed(seed), sink, alpha));
        if (format == OutputFormat.Json) stdout.WriteLine(Json(r, activation, depth, samples, sw, sb, trials, seed, widths));
        else WriteText(stdout, r, activation, depth, samples, sw, sb, trials, seed, widths);
        return ClaimReport.ExitCode(r.Claims.Select(c => c.Verdict), strict);
    }

    private static string G(double v) => double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "—";

    private static void WriteText(TextWriter o, NaturalGradientSweepResult r, IActivation activation, int depth, int samples, double sw, double sb,
        int trials, long seed, List<int> widths)
    {
        o.WriteLine($"Natural gradient in function space (seed 002): {activation.Name}, L = {depth}, N = {samples}, C = 1, σ_w² = {G(sw)}, σ_b² = {G(sb)}, "
            + $"widths {string.Join(", ", widths)}, {trials} trial(s) per width, seed {seed}");
        o.WriteLine("Θ̄ = J G⁺ Jᵀ/N (pseudo-inverse: the zero-damping limit); one step θ ← θ − G⁺∇L/α from initialisation, y ~ N(0, 1)");
        var rows = new ResultTable(new("metric", -11), new("M", 6, Numeric: true), new("α ours", 10, Numeric: true), new("α seed 002", 12, Numeric: true),
            new("mean Θ̄ₙₙ", 12, Numeric: true), new("‖Θ̄/α−I‖₂", 12, Numeric: true), new("linearised", 12, Numeric: true), new("step res.", 12, Numeric: true),
            new("max |Δu|", 10, Numeric: true))
        {
            Indent = "  ", PlainHeader = true,
            Caption = "(distances and linearised residuals: RMS over trials; step residual ‖f₁ − y‖/‖f₀ − y‖ and largest hidden pre-activation change: medians)",
        };
        foreach (var row in r.Rows)
            rows.Add(NaturalGradientScales.Name(row.Metric), $"{row.Width}", G(row.Alpha), G(row.SourceAlpha), G(row.MeanDiagonal),
                G(row.RmsDistance), G(row.RmsLinearResidual), G(row.MedianStepResidual), G(row.MedianLargestPreactivationChange));
        rows.WriteTo(o);
        o.WriteLine("claims (they set the exit code):");
        ClaimTable(r.Claims, sourceCheck: false).WriteTo(o);
        o.WriteLine("seed 002's own statements (checked, not scored):");
        ClaimTable(r.SourceChecks, sourceCheck: true).WriteTo(o);
        if (r.SourceChecks.Any(c => c.Verdict == Verdict.Fail))
            o.WriteLine("  (REFUTED: the sweep contradicts seed 002's statement under the rule shown in --format json; see docs/mean-field.md)");
    }

    private static ResultTable ClaimTable(IReadOnlyList<ClaimDecision> claims, bool sourceCheck)
    {
        var table = new ResultTable(new("verdict", -13), new("claim", 0, " "), new("detail", 0, ": "), new("power", 0, "; ")) { Indent = "  " };
        foreach (var c in claims) table.Add(NaturalGradientSweepResult.Word(c.Verdict, sourceCheck), c.Statement, c.Detail, c.PowerText);
        return table;
    }

    private static string Json(NaturalGradientSweepResult r, IActivation activation, int depth, int samples, double sw, double sb, int trials,
        long seed, List<int> widths) => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("activation", activation.Name);
        w.WriteNumber("depth", depth); w.WriteNumber("samples", samples); w.WriteNumber("outputs", 1);
        w.Number("sigmaW2", sw); w.Number("sigmaB2", sb); w.WriteNumber("trials", trials); w.WriteNumber("seed", seed);
        w.WriteStartArray("widths"); foreach (int m in widths) w.WriteNumberValue(m); w.WriteEndArray();
        w.WriteStartArray("rows");
        foreach (var row in r.Rows)
        {
            w.WriteStartObject();
            w.WriteString("metric", NaturalGradientScales.Name(row.Metric)); w.WriteNumber("width", row.Width);
            w.Number("alpha", row.Alpha);
            if (double.IsFinite(row.SourceAlpha)) w.Number("sourceAlpha", row.SourceAlpha); else w.WriteNull("sourceAlpha");
            w.Number("meanDiagonal", row.MeanDiagonal); w.Number("rmsDistance", row.RmsDistance); w.Number("maxDistance", row.MaxDistance);
            if (double.IsFinite(row.RmsSourceDistance)) w.Number("rmsSourceDistance", row.RmsSourceDistance); else w.WriteNull("rmsSourceDistance");
            w.Number("rmsLinearResidual", row.RmsLinearResidual); w.Number("medianStepResidual", row.MedianStepResidual);
            if (double.IsFinite(row.MedianSourceStepResidual)) w.Number("medianSourceStepResidual", row.MedianSourceStepResidual); else w.WriteNull("medianSourceStepResidual");
            w.Number("medianLargestPreactivationChange", row.MedianLargestPreactivationChange);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteClaims(w, "claims", r.Claims);
        WriteClaims(w, "sourceChecks", r.SourceChecks);
        w.WriteString("verdict", ClaimReport.VerdictWord(r.Claims.Any(c => c.Verdict == Verdict.Fail) ? Verdict.Fail
            : r.Claims.Any(c => c.Verdict == Verdict.Undecided) ? Verdict.Undecided
            : r.Claims.Any(c => c.Verdict == Verdict.Underpowered) ? Verdict.Underpowered : Verdict.Pass));
        w.WriteEndObject();
    });

    private static void WriteClaims(Utf8JsonWriter w, string name, IReadOnlyList<ClaimDecision> claims)
    {
        w.WriteStartArray(name);
        foreach (var c in claims) DecisionJson.Write(w, c);
        w.WriteEndArray();
    }
}

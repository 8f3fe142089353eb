using System.Globalization;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.ShallowRelu;

namespace FimVerify.Cli.Commands;

/// <summary>`verify lemma1`: Lemma 1's closed form for J against a Monte Carlo estimate, entry by entry.</summary>
public sealed class VerifyLemma1Command : ILongRunningCommand
{
    public string Path => "verify lemma1";
    public string Summary => "Lemma 1's J against Monte Carlo over x, entrywise, with a finite-sample (Bernstein) bound at a stated false-alarm rate.";
    public string Help => """
        Usage: fimverify verify lemma1 [--d D] [--p P] [--samples N] [--seed S] [--alpha A] [--strict] [--format text|json] [--quiet]
          --d D        input dimension (default 5)
          --p P        hidden units (default 200, at most 2000)
          --samples N  Monte Carlo inputs x ~ N(0, I_d) (default 200000)
          --seed S     run seed (default 1)
          --alpha A    family-wise false-alarm rate of the decision (default 0.001), at every sample size
          --strict     exit 1 also when the run is UNDERPOWERED
          --quiet      no progress on stderr (by default bars on a terminal, plain lines when redirected)
        Decision: every entry's |Ĵ − J| must lie within Bernstein's bound √(2σ²t/n) + ct/n, t = ln(2m/α) over the m = p(p+1)/2
        entries and both sides, with σ² and c from the exact moments of ReLU(u)ReLU(v) (no central limit theorem). UNDERPOWERED
        when not even an error of 100% of J (in the best-resolved entry) would be detected with probability 0.9 (about
        200 samples or fewer).
        Exit code 0 when consistent, 1 when some entry deviates beyond its bound, 2 on bad input.
        Example: fimverify verify lemma1 --d 5 --p 200 --samples 200000 --seed 1
        """;

    public int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        int d = args.Int("--d", 5, 1, 1000);
        int p = args.Int("--p", 200, 1, 2000);
        long samples = args.Long("--samples", 200_000, 2, 100_000_000);
        long seed = args.Long("--seed", 1);
        double alpha = args.FalseAlarmRate("--alpha", 1e-3, 0.5);
        bool strict = args.Flag("--strict");
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        var progress = ProgressReporter.Read(args, stderr);
        args.EnsureAllUsed();

        ResourceLimits.Check(ExperimentCosts.Lemma1(d, p, samples), $"verify lemma1 at d = {d}, p = {p} with {samples} samples", "reduce --p or --samples");
        var r = progress.Run(sink => Lemma1Check.Run(new Lemma1Parameters(d, p, samples, seed, alpha), sink));
        string verdict = ClaimReport.VerdictWord(r.Verdict);
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("claim", "lemma1");
                w.WriteNumber("d", d); w.WriteNumber("p", p); w.WriteNumber("samples", samples); w.WriteNumber("seed", seed);
                w.Number("alpha", alpha);
                w.WriteNumber("entries", r.EntriesCompared);
                w.Number("deviationLog", r.DeviationLog);
                w.Number("worstRatio", r.WorstRatio);
                w.WriteStartArray("worstEntry"); w.WriteNumberValue(r.WorstRow); w.WriteNumberValue(r.WorstColumn); w.WriteEndArray();
                w.WriteNumber("beyondThreshold", r.EntriesBeyondThreshold);
                w.Number("detectableRelativeError", r.DetectableRelativeError);
                w.WriteStartObject("power");
                w.Number("detectableRelativeError", r.DetectableRelativeError);
                w.Number("medianDetectableRelativeError", r.MedianDetectableRelativeError);
                w.Number("resolution", Lemma1Check.Resolution);
                w.WriteEndObject();
                w.Number("maxDiagonalError", r.MaxDiagonalIdentityError);
                w.Number("maxAsymmetry", r.MaxAsymmetry);
                w.Number("smallestEigenvalue", r.SmallestEigenvalue);
                w.Number("trace", r.Trace);
                w.WriteString("eigenBackend", r.EigenBackend);
                w.WriteString("simd", SimdPath.Active);
                w.WriteString("verdict", verdict);
                w.WriteEndObject();
            }));
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            stdout.WriteLine($"Lemma 1 vs Monte Carlo: d = {d}, p = {p}, {samples} samples, seed {seed}");
            new ResultTable(new("", -24), new("")) { Indent = "  " }
                .Add("entries compared", string.Format(c, "{0} (distinct entries of the symmetric p×p matrix)", r.EntriesCompared))
                .Add("decision", string.Format(c, "|Ĵ − J| ≤ √(2σ²t/n) + ct/n per entry and side, t = ln(2m/α) = {0:F3} (Bernstein, family-wise false-alarm rate {1:G3} at any n)", r.DeviationLog, alpha))
                .Add("worst |Ĵ − J|/bound", string.Format(c, "{0:F3} at entry ({1}, {2})", r.WorstRatio, r.WorstRow, r.WorstColumn))
                .Add("entries beyond", string.Format(c, "{0}", r.EntriesBeyondThreshold))
                .Add("power", string.Format(c, "an error of {0:P1} of J in every entry is detected with probability 0.9 (median entry alone: {1:P1}); required {2:P0}",
                    r.DetectableRelativeError, r.MedianDetectableRelativeError, Lemma1Check.Resolution))
                .Add("max |J_ii − n_i²/2|", string.Format(c, "{0:0.00e+00}", r.MaxDiagonalIdentityError))
                .Add("symmetry, PSD", string.Format(c, "max asymmetry {0:0.00e+00}, smallest eigenvalue {1:0.000e+00} (trace {2:F4}; {3})", r.MaxAsymmetry, r.SmallestEigenvalue, r.Trace, r.EigenBackend))
                .Add("verdict", verdict)
                .WriteTo(stdout);
        }
        return ClaimReport.ExitCode([r.Verdict], strict);
    }
}

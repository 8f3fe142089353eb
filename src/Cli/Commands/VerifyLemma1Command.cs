using System.Globalization;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Commands;

/// <summary>`verify lemma1`: Lemma 1's closed form for J against a Monte Carlo estimate, entry by entry.</summary>
public sealed class VerifyLemma1Command : ILongRunningCommand
{
    public string Path => "verify lemma1";
    public string Summary => "Lemma 1's J against Monte Carlo over x, entrywise, with a CLT tolerance at a stated false-alarm rate.";
    public string Help => """
        Usage: fimverify verify lemma1 [--d D] [--p P] [--samples N] [--seed S] [--alpha A] [--format text|json] [--quiet]
          --d D        input dimension (default 5)
          --p P        hidden units (default 200, at most 2000)
          --samples N  Monte Carlo inputs x ~ N(0, I_d) (default 200000)
          --seed S     run seed (default 1)
          --alpha A    family-wise false-alarm rate of the Bonferroni decision (default 0.001)
          --quiet      no progress on stderr (by default bars on a terminal, plain lines when redirected)
        Exit code 0 when consistent, 1 when some entry deviates beyond the threshold, 2 on bad input.
        Example: fimverify verify lemma1 --d 5 --p 200 --samples 200000 --seed 1
        """;

    public int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        int d = args.Int("--d", 5, 1, 1000);
        int p = args.Int("--p", 200, 1, 2000);
        long samples = args.Long("--samples", 200_000, 2, 100_000_000);
        long seed = args.Long("--seed", 1);
        double alpha = args.FalseAlarmRate("--alpha", 1e-3, 0.5);
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        var progress = ProgressReporter.Read(args, stderr);
        args.EnsureAllUsed();

        ResourceLimits.Check(ExperimentCosts.Lemma1(d, p, samples), $"verify lemma1 at d = {d}, p = {p} with {samples} samples", "reduce --p or --samples");
        var r = progress.Run(sink => Lemma1Check.Run(new Lemma1Parameters(d, p, samples, seed, alpha), sink));
        string verdict = r.Consistent ? "PASS" : "FAIL";
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("claim", "lemma1");
                w.WriteNumber("d", d); w.WriteNumber("p", p); w.WriteNumber("samples", samples); w.WriteNumber("seed", seed);
                w.Number("alpha", alpha);
                w.WriteNumber("entries", r.EntriesCompared);
                w.Number("threshold", r.Threshold);
                w.Number("worstZ", r.WorstStandardizedDeviation);
                w.WriteStartArray("worstEntry"); w.WriteNumberValue(r.WorstRow); w.WriteNumberValue(r.WorstColumn); w.WriteEndArray();
                w.WriteNumber("beyondThreshold", r.EntriesBeyondThreshold);
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
                .Add("decision", string.Format(c, "max |z| ≤ {0:F3} (Bonferroni, family-wise false-alarm rate {1:G3})", r.Threshold, alpha))
                .Add("worst |z|", string.Format(c, "{0:F3} at entry ({1}, {2})", r.WorstStandardizedDeviation, r.WorstRow, r.WorstColumn))
                .Add("entries beyond", string.Format(c, "{0}", r.EntriesBeyondThreshold))
                .Add("max |J_ii − n_i²/2|", string.Format(c, "{0:0.00e+00}", r.MaxDiagonalIdentityError))
                .Add("symmetry, PSD", string.Format(c, "max asymmetry {0:0.00e+00}, smallest eigenvalue {1:0.000e+00} (trace {2:F4}; {3})", r.MaxAsymmetry, r.SmallestEigenvalue, r.Trace, r.EigenBackend))
                .Add("verdict", verdict)
                .WriteTo(stdout);
        }
        return r.Consistent ? 0 : 1;
    }
}

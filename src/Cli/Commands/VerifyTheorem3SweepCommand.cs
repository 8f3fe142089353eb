using System.Globalization;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Commands;

/// <summary>`verify theorem3-sweep`: failure rates of the Theorem 3 claims across p, with the 1/p trend decision.</summary>
public sealed class VerifyTheorem3SweepCommand : ICommand
{
    public string Path => "verify theorem3-sweep";
    public string Summary => "Theorem 3 across a p-sweep: each claim's failure rate must not decay slower than 1/p.";
    public string Help => """
        Usage: fimverify verify theorem3-sweep --d D --delta δ --p-list P1,P2,… --trials K [--seed S] [--alpha A]
                                               [--lemma2-only] [--format text|json]
          --p-list      at least two values of p (each ≥ d), e.g. 50,100,200,400
          --trials K    trials per p (trial k of every p uses the stream (S, "theorem3", k))
          --lemma2-only evaluate only the claims that need W alone (Lemma 2 and the trace), not J: much faster
        Rule: p·q(p) must not increase significantly between any two sweep points (one-sided Clopper–Pearson bounds,
        Bonferroni over the pairs at rate α); the least-squares slope of log q on log p is printed for information.
        Exit code 0 when no trend is refuted, 1 when one is, 2 on bad input.
        Example: fimverify verify theorem3-sweep --d 3 --delta 0.2 --p-list 50,100,200,400,800 --trials 400 --lemma2-only
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        int d = args.Int("--d", 3, 2, 1000);
        double delta = args.Double("--delta", 0.2, 0);
        string list = args.OptionalString("--p-list") ?? throw new UsageException("The option --p-list is required (e.g. --p-list 50,100,200).");
        long trials = args.Long("--trials", 200, 1, 100_000_000);
        long seed = args.Long("--seed", 1);
        double alpha = args.Double("--alpha", 1e-6, 0, 0.25);
        bool lemma2Only = args.Flag("--lemma2-only");
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        args.EnsureAllUsed();
        var ps = list.Split(',').Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
            : throw new UsageException($"The option --p-list needs whole numbers separated by commas, but got '{s}'.")).ToList();
        if (ps.Count < 2) throw new UsageException("The option --p-list needs at least two values of p.");
        if (ps.Any(p => p < d)) throw new UsageException($"Every p in --p-list must be at least d = {d}.");
        if (ps.Any(p => p > 1_000_000)) throw new UsageException("Every p in --p-list must be at most 10⁶.");

        var constant = Theorem3Verification.ConstantFor(d);
        var r = Theorem3Sweep.Run(d, delta, ps, trials, seed, alpha, !lemma2Only, constant);
        var c = CultureInfo.InvariantCulture;
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("d", d); w.Number("delta", delta); w.WriteNumber("trials", trials); w.WriteNumber("seed", seed);
                w.Number("alpha", alpha);
                w.Number("constantC", constant.Value); w.WriteBoolean("constantIsEstimate", constant.IsEstimate);
                w.WriteStartArray("trends");
                foreach (var t in r.Trends)
                {
                    w.WriteStartObject();
                    w.WriteString("name", t.Claim);
                    w.WriteStartArray("points");
                    foreach (var pt in t.Trend.Points)
                    {
                        w.WriteStartObject();
                        w.Number("p", pt.X); w.WriteNumber("failures", pt.Failures); w.WriteNumber("trials", pt.Trials);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    if (double.IsFinite(t.Trend.FittedSlope)) w.Number("fittedSlope", t.Trend.FittedSlope);
                    w.WriteString("rule", t.Trend.Rule);
                    w.WriteString("verdict", t.Trend.Refuted ? "FAIL" : "PASS");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }));
        }
        else
        {
            stdout.WriteLine(string.Format(c, "Theorem 3 p-sweep: d = {0}, δ = {1}, {2} trials per p, seed {3}, α = {4:G3}; C = {5:F4}{6}",
                d, delta, trials, seed, alpha, constant.Value, constant.IsEstimate ? " [ESTIMATE]" : ""));
            stdout.WriteLine("  bound C·D/(δ²p): " + string.Join(", ", ps.Select(p => string.Format(c, "p={0}: {1:G3}", p, constant.Bound(delta, p)))));
            stdout.WriteLine("  rule: " + (r.Trends.FirstOrDefault()?.Trend.Rule ?? ""));
            foreach (var t in r.Trends)
            {
                string rates = string.Join("  ", t.Trend.Points.Select(pt => $"{pt.Failures}/{pt.Trials}"));
                string slope = double.IsFinite(t.Trend.FittedSlope) ? t.Trend.FittedSlope.ToString("F2", c) : "n/a";
                stdout.WriteLine($"  {t.Claim,-24} {rates,-40} slope {slope,-6} {(t.Trend.Refuted ? "FAIL" : "PASS")}");
            }
        }
        return r.Trends.Any(t => t.Trend.Refuted) ? 1 : 0;
    }
}

using FimVerify.Cli.Output;
using FimVerify.Numeric.Verification;
using FimVerify.Numeric.ShallowRelu;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// `verify theorem3` parts: parameters d, p, δ, α, seed, ξ(d−2), ξ(d−1), whether J is evaluated, the dense limit and
/// C(d); each trial's payload is which claims failed and the per-trial measurements (the slacks the smallest
/// consistent ξ is derived from). Verdicts and constants are computed once, by the merge, from the union.
/// </summary>
public sealed class Theorem3Partial : IShardedExperiment
{
    public string Tag => "theorem3";

    public static void Write(string path, Theorem3Report report, long totalTrials)
    {
        var prm = report.Parameters;
        PartialResultFile.Write(path, "theorem3", totalTrials, report.Shard, w =>
        {
            w.WriteNumber("d", prm.D); w.WriteNumber("p", prm.P); w.Number("delta", prm.Delta);
            w.Number("alpha", report.Alpha); w.WriteNumber("seed", report.Seed);
            w.Number("xiPair", prm.XiPair); w.Number("xiDiag", prm.XiDiagonal);
            w.WriteBoolean("withJ", prm.WithJ); w.WriteNumber("denseLimit", prm.DenseLimit);
            w.WriteString("jEigenBackend", Theorem3ReportOutput.EigenBackendFor(prm));
            Theorem3ReportOutput.WriteConstant(w, prm.Constant);
        }, report.Log.Outcomes.Select(kv => (kv.Key, (Action<System.Text.Json.Utf8JsonWriter>)(w => TrialOutcomeJson.WriteOutcome(w, kv.Value)))));
    }

    public int Merge(IReadOnlyList<PartialResult> parts, MergeOptions options, TextWriter stdout)
    {
        options.EnsureNotReportOptions(parts[0]);
        var first = parts[0];
        var (prm, seed, alpha) = first.Read(() =>
        {
            int d = first.Parameter("d").GetInt32();
            var prm = new Theorem3Parameters(d, first.Parameter("p").GetInt32(), first.Parameter("delta").GetDouble(),
                Theorem3Json.ReadConstant(first, d), first.Parameter("xiPair").GetDouble(), first.Parameter("xiDiag").GetDouble(),
                first.Parameter("denseLimit").GetInt32(), first.Parameter("withJ").GetBoolean()).Validated();
            var (seed, alpha) = Theorem3Json.ReadRun(first);
            return (prm, seed, alpha);
        });
        var log = TrialOutcomeJson.MergedLog(parts, new Theorem3Experiment(prm), (_, _, e) => e);
        var report = Theorem3Verification.Analyse(prm, log, seed, alpha, Shard.All);
        Theorem3ReportOutput.Write(report, first.Parameter("jEigenBackend").GetString()!, options.Format, stdout);
        return ClaimReport.ExitCode(report.Results.Select(r => r.Verdict), options.Strict);
    }
}

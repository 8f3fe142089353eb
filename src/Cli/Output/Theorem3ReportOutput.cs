using System.Globalization;
using FimVerify.Numeric.ShallowRelu;

namespace FimVerify.Cli.Output;

/// <summary>
/// Renders a <see cref="Theorem3Report"/> as text or JSON. Shared by `verify theorem3` and `merge`, so a merged
/// run prints exactly what the unsharded run would.
/// </summary>
public static class Theorem3ReportOutput
{
    /// <summary>A probability as 10^x (x to 4 decimals), with its plain value too while a double still holds it.</summary>
    public static string ProbabilityText(double probability, double log10)
    {
        var c = CultureInfo.InvariantCulture;
        string power = string.Format(c, "10^{0:F4}", log10);
        return probability >= 1e-300 ? string.Format(c, "{0:G4} = {1}", probability, power) : power;
    }

    /// <summary>The eigen-solver that runs on J (p×p) or, for certified intervals, on the r×r Gram of J_K's factor.</summary>
    public static string EigenBackendFor(Theorem3Parameters prm) => !prm.WithJ ? "none (J is not evaluated)" :
        Numeric.LinearAlgebra.DenseSymmetricEigen.BackendFor(prm.Certified ? checked((int)TruncatedKernelBounds.RankOf(prm.D, prm.TruncationOrder)) : prm.P);

    /// <summary>How the claims on J are decided: "none", "certified-truncation" (p above the dense limit), "certified-perron"
    /// (J = J_2 + R_2 with the Perron bracket, dense spectra where undecided) or "dense" (every trial's dense spectra).</summary>
    public static string JMethod(Theorem3Parameters prm) =>
        !prm.WithJ ? "none" : prm.Certified ? "certified-truncation" : prm.ExactJ ? "dense" : "certified-perron";

    /// <summary>Trials whose claims on J needed the dense spectra (p up to the dense limit).</summary>
    public static long DenseTrials(Theorem3Report report) => (long)report.Log.Measurement(Theorem3Experiment.DenseMeasurement).Sum();

    /// <param name="eigenBackend">The eigen-solver of <see cref="EigenBackendFor"/> (the merge reports the parts' one).</param>
    public static void Write(Theorem3Report report, string eigenBackend, OutputFormat format, TextWriter stdout)
    {
        var prm = report.Parameters;
        var constant = prm.Constant;
        bool lemma2Only = !prm.WithJ;
        var verdicts = report.Results.Select(r => r.Verdict).ToList();
        var byName = report.Results.ToDictionary(r => r.Verdict.Claim.Name);
        var c = CultureInfo.InvariantCulture;
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("theorem", "theorem3");
                w.WriteNumber("d", prm.D); w.WriteNumber("p", prm.P); w.Number("delta", prm.Delta);
                w.WriteNumber("trials", report.Log.Trials); w.WriteNumber("seed", report.Seed);
                w.WriteString("shard", $"{report.Shard.Index}/{report.Shard.Count}");
                w.Number("alpha", report.Alpha);
                w.Number("entryCountD", report.EntryCount);
                WriteConstant(w, constant);
                w.Number("xiPair", prm.XiPair); w.Number("xiDiag", prm.XiDiagonal);
                w.Number("exactTraceFailureProbability", report.ExactTraceFailureProbability);
                w.Number("exactTraceFailureLog10Probability", report.ExactTraceFailureLog10Probability);
                w.WriteBoolean("eigenvalueClaims", prm.EigenvalueClaims);
                w.WriteString("jMethod", JMethod(prm));
                if (!lemma2Only && !prm.Certified) w.WriteNumber("denseTrials", DenseTrials(report));
                if (!lemma2Only) w.WriteString("eigenBackend", eigenBackend);
                if (prm.Certified)
                {
                    w.WriteNumber("truncationOrder", prm.TruncationOrder);
                    w.WriteNumber("truncationRank", TruncatedKernelBounds.RankOf(prm.D, prm.TruncationOrder));
                    w.Number("largestRemainderBound", report.Log.Measurement("truncation.remainder").Max());
                }
                w.WriteBoolean("lemma2Only", lemma2Only);
                ClaimReport.WriteClaims(w, verdicts, (jw, v) =>
                {
                    var r = byName[v.Claim.Name];
                    if (double.IsFinite(r.SmallestC)) jw.Number("smallestC", r.SmallestC);
                    if (r.SmallestXi is double xi) jw.Number("smallestXi", xi);
                    if (r.XiForZeroFailures is double xz) jw.Number("xiForZeroFailures", xz);
                });
                w.WriteEndObject();
            }));
        }
        else
        {
            stdout.WriteLine(string.Format(c, "Lemma 2 / Theorem 3: d = {0}, p = {1}, δ = {2}, {3} trials (shard {4}/{5}), seed {6}, α = {7:G3}",
                prm.D, prm.P, prm.Delta, report.Log.Trials, report.Shard.Index, report.Shard.Count, report.Seed, report.Alpha));
            stdout.WriteLine(string.Format(c, "  C = {0:F4} ± {1:F4} ({2}; worst entry {3}){4}", constant.Value, constant.StandardError,
                constant.Source, constant.WorstEntry, constant.IsEstimate ? " [ESTIMATE]" : ""));
            stdout.WriteLine(string.Format(c, "  D = {0}, bound C·D/(δ²p) = {1:G4}{2};  ξ(d−2) = {3:G4}, ξ(d−1) = {4:G4}",
                report.EntryCount, prm.Bound, prm.Bound >= 1 ? " (VACUOUS)" : "", prm.XiPair, prm.XiDiagonal));
            stdout.WriteLine($"  exact P(tr J > (d/2)(1+δ)) = P(χ²_{{dp}} > dp(1+δ)) = {ProbabilityText(report.ExactTraceFailureProbability, report.ExactTraceFailureLog10Probability)}");
            if (lemma2Only) stdout.WriteLine("  --lemma2-only: the claims that need J (Rayleigh quotients, eigenvalues) were not evaluated");
            else stdout.WriteLine($"  dense eigenvalues {(prm.Certified ? "of the r×r Gram of J_K's factor" : "of J and R (p × p, where they are needed)")} by {eigenBackend}");
            if (!lemma2Only && !prm.Certified)
                stdout.WriteLine(string.Format(c, "  claims on J by certified intervals (p ≤ {0}): J = J_2 + R_2, main part J_2 by its r×r Gram, ‖R_2‖₂ by Collatz–Wielandt ratios (R_2 ≥ 0 entrywise); dense spectra of J and R in {1} of {2} trials",
                    prm.DenseLimit, DenseTrials(report), report.Log.Trials));
            if (!lemma2Only && prm.Certified)
                stdout.WriteLine(string.Format(c, "  claims on J by certified intervals (p > {0}): J_K = ΦΦᵀ, K = {1}, rank {2}, ‖J − J_K‖₂ ≤ {3:G3} (largest over trials); UNDECIDED where an interval straddles its threshold",
                    prm.DenseLimit, prm.TruncationOrder, TruncatedKernelBounds.RankOf(prm.D, prm.TruncationOrder), report.Log.Measurement("truncation.remainder").Max()));
            ClaimReport.WriteTable(stdout, verdicts, v =>
            {
                var r = byName[v.Claim.Name];
                string s = double.IsFinite(r.SmallestC) ? string.Format(c, "C_min {0:G3}", r.SmallestC) : "";
                if (r.SmallestXi is double xi) s += string.Format(c, "  ξ_min {0:G3} (ξ for 0 failures {1:G3})", xi, r.XiForZeroFailures);
                return s;
            }, "smallest consistent constants");
        }
    }

    /// <summary>C(d) with its provenance as the "constantC" object (also the partial files' form).</summary>
    public static void WriteConstant(System.Text.Json.Utf8JsonWriter w, Numeric.ShallowRelu.Lemma2Constant constant)
    {
        w.WriteStartObject("constantC");
        w.Number("value", constant.Value);
        w.WriteBoolean("estimate", constant.IsEstimate);
        w.Number("standardError", constant.StandardError);
        w.WriteString("source", constant.Source);
        w.WriteString("worstEntry", constant.WorstEntry);
        w.WriteEndObject();
    }
}

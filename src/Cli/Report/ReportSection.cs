using System.Text.Json.Nodes;

namespace FimVerify.Cli.Report;

/// <summary>The outcome word of a report section (and of each JUnit test case).</summary>
public enum SectionVerdict
{
    /// <summary>Every claim of the section holds under its decision rule.</summary>
    Pass,
    /// <summary>A claim is refuted under its decision rule.</summary>
    Fail,
    /// <summary>The stated probability bound is ≥ 1: nothing was claimed, so nothing could fail.</summary>
    Vacuous,
    /// <summary>A derivation or measurement that makes no pass/fail claim.</summary>
    Info,
    /// <summary>
    /// No claim is refuted, but one could not be decided: counting its undecided trials (certified intervals that straddle
    /// the threshold) as failures or as successes gives different verdicts. Not a failure (exit code 0), never shown as PASS.
    /// </summary>
    Undecided,
    /// <summary>
    /// No claim is refuted or undecided, but one could not have been refuted at these sizes (UNDERPOWERED): not a failure
    /// (exit code 0 unless --strict), never shown as PASS.
    /// </summary>
    Underpowered,
}

/// <summary>A table of already-formatted cells.</summary>
public sealed record ReportTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static ReportTable Empty { get; } = new([], []);
}

/// <summary>
/// One section of the report: a theorem or derivation with its statement, parameters, result table, verdict
/// and plots. `Results` carries every number for results.json. <see cref="Claims"/> are the section's decided claims, each a
/// JUnit test case and (unless <see cref="ClaimsInTable"/>, when the result table lists them with their power already) a row of
/// the report's "claims and power" table.
/// </summary>
public sealed record ReportSection(
    string Id,
    string Title,
    string Statement,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    ReportTable Table,
    SectionVerdict Verdict,
    IReadOnlyList<string> Plots,
    JsonObject Results,
    string? Notes = null,
    double Seconds = 0)
{
    public IReadOnlyList<FimVerify.Numeric.Verification.ClaimDecision> Claims { get; init; } = [];

    /// <summary>The result table already shows every claim with its verdict and power.</summary>
    public bool ClaimsInTable { get; init; }
}

using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Report.Suite;

namespace FimVerify.Cli.Report;

/// <summary>
/// The sections one report run selects, in reading order, and the run's seed and size: from the default suite, a user
/// suite and --only. Built the same way by `report` and by `merge` of a sharded report's parts.
/// </summary>
public sealed class ReportPlan
{
    private ReportPlan(SuiteFile? suite, long seed, bool quick, IReadOnlyList<IReportPart> parts)
    {
        Suite = suite; Seed = seed; Quick = quick; Parts = parts;
    }

    public SuiteFile? Suite { get; }
    public long Seed { get; }
    public bool Quick { get; }
    public IReadOnlyList<IReportPart> Parts { get; }

    /// <param name="seed">--seed when given: it wins over the suite's seed (default 1).</param>
    /// <param name="quick">--quick: with the suite's quick, either makes the run quick.</param>
    /// <param name="only">--only: comma-separated section ids, or null for all the suite names.</param>
    /// <param name="extra">Sections added after the suite's whatever --only selects (report --claims FILE).</param>
    /// <param name="claimFiles">The claim files of the claim-file sections by section id, replacing the shipped ones (a merge
    /// rebuilds the sections from the texts its parts stored).</param>
    public static ReportPlan Create(SuiteFile? suite, long? seed, bool quick, string? only, IReadOnlyList<IReportPart>? extra = null,
        IReadOnlyDictionary<string, Numeric.Claims.ClaimDocument>? claimFiles = null)
    {
        var parts = ReportSuite.Default();
        if (claimFiles is not null)
            parts = parts.Select(p => p is Parts.ClaimsPart c && claimFiles.TryGetValue(c.Id, out var d) ? new Parts.ClaimsPart(c.Id, d) : p).ToList();
        if (suite is not null)
        {
            foreach (var (name, v) in suite.RunFields)
                if (parts.Any(p => p.Id == name))
                    throw suite.Error(v.Line, $"section [{name}] must be a table (TOML) or an object (JSON) of its fields, not a single value.");
            suite.EnsureKnownRunFields();
        }
        long runSeed = seed ?? suite?.Seed(1) ?? 1;
        bool runQuick = quick || (suite?.Quick(false) ?? false);
        if (suite is not null && suite.Sections.Count > 0)
        {
            foreach (var s in suite.Sections)
                if (parts.All(p => p.Id != s.Id))
                    throw suite.Error(s.Line, $"unknown section [{s.Id}]; the sections are {string.Join(", ", parts.Select(p => p.Id))}.");
            parts = parts.Where(p => suite.Sections.Any(s => s.Id == p.Id)).ToList();
        }
        if (only is not null)
        {
            var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (wanted.Length == 0)
                throw new UsageException($"The option --only needs at least one section id, but got '{only}'; the sections are {string.Join(", ", parts.Select(p => p.Id))}.");
            var unknown = wanted.Where(w => parts.All(p => p.Id != w)).ToList();
            if (unknown.Count > 0)
                throw new UsageException($"Unknown section '{unknown[0]}' in --only; the sections are {string.Join(", ", parts.Select(p => p.Id))}.");
            parts = parts.Where(p => wanted.Contains(p.Id)).ToList();
        }
        return new ReportPlan(suite, runSeed, runQuick, [.. parts, .. extra ?? []]);
    }

    /// <summary>Fresh settings of a part: its suite section's fields, or the defaults.</summary>
    public PartSettings Settings(IReportPart part) => new(Suite, Suite?.Sections.FirstOrDefault(s => s.Id == part.Id));

    /// <param name="shardCount">The shards the trials are split into (1 unsharded), or 0 for a merge, which runs none of them.</param>
    public ReportContext Context(string outputDirectory, long shardCount = 1) => new(outputDirectory, Quick, Seed) { ShardCount = shardCount };

    /// <summary>
    /// Every part prepared (settings validated, resources reserved, nothing run yet), in reading order; refused when the
    /// sections together need more work than the limit allows.
    /// </summary>
    public List<(IReportPart Part, SectionWork Work)> Prepare(string outputDirectory)
    {
        var context = Context(outputDirectory);
        var prepared = Parts.Select(p => (p, p.Prepare(context, Settings(p)))).ToList();
        RequireTotal(context);
        return prepared;
    }

    /// <summary>Checks what the prepared sections need together (they run one after another).</summary>
    public void RequireTotal(ReportContext context) =>
        Numeric.Resources.ResourceLimits.Check(context.Reserved, $"the report's {Parts.Count} sections together", "run fewer sections (--only) or smaller sizes");
}

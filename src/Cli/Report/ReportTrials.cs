using System.Diagnostics;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Report;

/// <summary>One trial-based section of a plan: its trials and where they start in the report's numbering.</summary>
public sealed record TrialSection(IReportPart Part, SectionTrials Trials, long Offset);

/// <summary>What one shard of a report ran in one section (for its summary).</summary>
public sealed record ShardedSectionRun(TrialSection Section, long Ran, double Seconds);

/// <summary>
/// The trials of a report's trial-based sections, numbered g = 0 … Trials − 1 one section after another (each section's own
/// j = g − offset). A sharded report runs the g with g mod N = i; the sections without trials run once, in the merge.
/// </summary>
public sealed class ReportTrials
{
    private ReportTrials(IReadOnlyList<TrialSection> sections) { Sections = sections; }

    public IReadOnlyList<TrialSection> Sections { get; }
    public long Trials => Sections.Sum(s => s.Trials.Trials);

    /// <summary>Prepares every part of the plan (so that every setting is validated) and keeps the trial-based ones.</summary>
    public static ReportTrials Of(ReportPlan plan, ReportContext context)
    {
        var sections = new List<TrialSection>();
        long offset = 0;
        foreach (var part in plan.Parts)
        {
            if (part is ITrialReportPart trialPart)
            {
                var trials = trialPart.PrepareTrials(context, plan.Settings(part));
                sections.Add(new TrialSection(part, trials, offset));
                offset += trials.Trials;
            }
            else part.Prepare(context, plan.Settings(part));
        }
        plan.RequireTotal(context);
        return new ReportTrials(sections);
    }

    /// <summary>Runs the shard's trials section by section, showing them on <paramref name="progress"/>; outcomes keyed by g.</summary>
    public (IReadOnlyDictionary<long, TrialOutcome> Outcomes, IReadOnlyList<ShardedSectionRun> Runs) Run(Shard shard, ProgressReporter progress)
    {
        var outcomes = new Dictionary<long, TrialOutcome>();
        var runs = progress.RunEach(Sections.Select(s => (s.Part.Title, (Func<IProgress<ProgressStep>?, ShardedSectionRun>)(sink =>
        {
            var clock = Stopwatch.StartNew();
            var mine = new List<long>();
            for (long j = 0; j < s.Trials.Trials; j++)
                if ((s.Offset + j) % shard.Count == shard.Index) mine.Add(j);
            foreach (var (j, o) in s.Trials.Run(mine, sink)) outcomes[s.Offset + j] = o;
            return new ShardedSectionRun(s, mine.Count, clock.Elapsed.TotalSeconds);
        }))).ToList(), r => $"{r.Ran} of {r.Section.Trials.Trials} trials (shard {shard.Index}/{shard.Count})", r => r.Seconds);
        return (outcomes, runs);
    }
}

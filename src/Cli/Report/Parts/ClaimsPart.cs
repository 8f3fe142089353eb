using FimVerify.Numeric.Resources;
using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Claims;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Report.Parts;

/// <summary>
/// `report --claims FILE`: a user's claim file as a report section, through the claim engine (the same plan, streams, decisions
/// and JSON as `verify claims FILE --seed S` with the report's seed S). Each size of an inequality and each limit is a decided
/// claim of the section (a JUnit test case).
/// </summary>
public sealed class ClaimsPart(ClaimFile file) : ITrialReportPart
{
    public string Id => "claims";
    public string Title => file.Title ?? $"Claims of {file.Document.FileName}";

    public SectionWork Prepare(ReportContext context, PartSettings settings) => PrepareTrials(context, settings).RunAll();

    public SectionTrials PrepareTrials(ReportContext context, PartSettings settings)
    {
        settings.EnsureAllUsed();
        var plan = ClaimPlan.Create(file, context.Seed);
        try { plan.CheckBudget(ResourceLimits.Current, Shard.All); }
        catch (ClaimDefinitionException e) { throw new UsageException(e.Message); }
        foreach (var claim in file.Claims)
            context.Reserve(plan.Estimate(claim, Shard.All), $"claim '{claim.Name}' of {file.Document.FileName}", "choose smaller sizes or fewer trials in the claim file");
        var families = plan.Families.Select(f => new TrialFamily(f.Experiment, f.Trials, k => ClaimPlan.TrialSeed(plan.Seed, f.Claim.Name, f.Point.Size, k))).ToList();
        return new SectionTrials(families, logs => Section(context, plan, logs));
    }

    private ReportSection Section(ReportContext context, ClaimPlan plan, IReadOnlyList<TrialLog> logs)
    {
        var results = plan.File.Claims.Select(claim => ClaimAnalysis.Decide(claim,
            plan.Families.Select((f, i) => (f, i)).Where(x => x.f.Claim == claim).Select(x => logs[x.i]).ToList())).ToList();
        var decisions = results.SelectMany(r => r.Decisions).ToList();
        var json = (JsonObject)JsonNode.Parse(JsonOutput.Write(w => ClaimResultOutput.WriteJson(w, new ClaimFileResult(plan, results), DenseSymmetricEigen.Backend)))!;
        var c = CultureInfo.InvariantCulture;
        return new ReportSection(Id, Title,
            $"The claims of {plan.File.Document.FileName}: " + string.Join("; ", results.Select(r => $"{r.Claim.Name}: {r.Claim.Statement}")),
            [new("file", plan.File.Document.FileName), new("claims", results.Count.ToString(c)), new("trials", plan.Trials.ToString(c)), new("seed", plan.Seed.ToString(c))],
            new ReportTable(ClaimSections.DecisionHeader, decisions.Select(ClaimSections.DecisionRow).ToList()),
            ClaimSections.Verdict(results.Select(r => r.Verdict).ToList()), [], json,
            "Decided by the claim engine (docs/claims.md): each size of an inequality by Clopper–Pearson against its stated probability at "
            + "α/sizes, each limit through its stated finite-size model with a confidence interval.")
        { Claims = decisions, ClaimsInTable = true };
    }
}

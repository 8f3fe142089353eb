using FimVerify.Numeric.Resources;
using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Claims;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Plots;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Report.Parts;

/// <summary>
/// A claim file as a report section, through the claim engine (the same plan, streams, decisions and JSON as
/// `verify claims FILE --seed S` with the report's seed S): the shipped claims/*.toml files are the default suite's theorem
/// sections, and `report --claims FILE` adds a user's file as the section `claims`. The file's [parameters] are the section's
/// suite fields (kind, range and choices as the file declares them; quick defaults with --quick). Each size of a per-trial claim
/// and each limit is a decided claim of the section (a JUnit test case); the file's [[plot]]s are drawn.
/// </summary>
public sealed class ClaimsPart(string id, ClaimDocument document) : ITrialReportPart
{
    public string Id => id;
    /// <summary>The claim file as written (a sharded report stores its text, so the merge rebuilds this very section).</summary>
    public ClaimDocument Document => document;

    public string Title => Validated(() =>
    {
        var values = ClaimParameters.Read(document).Resolve(document, quick: false);
        return ClaimParameters.Substitute(document, values).RunFields.TryGetValue("title", out var t) && t.Value is string s ? s : $"Claims of {document.FileName}";
    });

    private static T Validated<T>(Func<T> read) => TomlClaimReader.Validated(read);

    public SectionWork Prepare(ReportContext context, PartSettings settings) => PrepareTrials(context, settings).RunAll();

    public SectionTrials PrepareTrials(ReportContext context, PartSettings settings)
    {
        var values = Validated(() => ClaimParameters.Read(document).Resolve(document, context.Quick, settings.Parameter));
        settings.EnsureAllUsed();
        ClaimFile file;
        // A size the engine refuses (a claim model's structural limit) is named by the file's line; say which section's fields led there.
        try { file = TomlClaimReader.FromDocument(document, values); }
        catch (UsageException e) { throw new UsageException($"[{Id}] with these fields: {e.Message}"); }
        var plan = ClaimPlan.Create(file, context.Seed);
        try { plan.CheckBudget(ResourceLimits.Current, Shard.All); }
        catch (ClaimDefinitionException e) { throw new UsageException($"[{Id}] with these fields: {e.Message}"); }
        foreach (var instance in file.Instances)
            context.Reserve(plan.Estimate(instance, Shard.All), $"[{Id}]: {ClaimPlan.Describe(instance)} of {file.Document.FileName}",
                file.Parameters.Declared.Count > 0 ? $"reduce the sizes or trials in [{Id}] ({string.Join(", ", file.Parameters.Declared.Select(p => p.Name))}), or shard the report"
                    : "choose smaller sizes or fewer trials in the claim file");
        var families = plan.Families.Select(f => new TrialFamily(f.Experiment, f.Trials, k => ClaimPlan.TrialSeed(plan.Seed, f.Instance.Name, f.Size, k))).ToList();
        return new SectionTrials(families, logs => Section(context, plan, logs));
    }

    private ReportSection Section(ReportContext context, ClaimPlan plan, IReadOnlyList<TrialLog> logs)
    {
        var result = ClaimAnalysis.Decide(plan, logs);
        var file = plan.File;
        var decisions = result.Claims.SelectMany(r => r.Decisions).ToList();
        var json = (JsonObject)JsonNode.Parse(JsonOutput.Write(w => ClaimResultOutput.WriteJson(w, result, DenseSymmetricEigen.Backend)))!;
        var plots = file.Plots.SelectMany(p => ClaimPlotFigure.Save(p, result, context.OutputDirectory)).ToList();
        var c = CultureInfo.InvariantCulture;
        var parameters = file.ParameterValues.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value switch
        {
            double d => d.ToString("G6", c),
            IFormattable f => f.ToString(null, c),
            var o => o.ToString() ?? "",
        })).ToList();
        foreach (var instance in file.Instances.Where(i => !i.Implicit))
            parameters.Add(new(instance.Name, $"{instance.Model.Family} ({string.Join(", ", instance.Model.Parameters.Select(kv => $"{kv.Key} {kv.Value}"))}), "
                + string.Join(", ", instance.Sizes.Select((x, i) => $"{instance.Model.SizeSymbol} = {x} × {instance.Trials[i]}")) + " trials"));
        parameters.Add(new("file", file.Document.FileName));
        parameters.Add(new("seed", plan.Seed.ToString(c)));

        var notes = new List<string>();
        foreach (var derived in file.Instances.Select(i => i.Model.Derived).OfType<string>().Distinct()) notes.Add(derived + ".");
        foreach (var r in result.Instances.Where(r => r.Notes is not null))
            notes.Add($"{(r.Instance.Implicit ? r.Instance.Name : "instance " + r.Instance.Name)} at {r.Instance.Model.SizeSymbol} = {r.Size}: {r.Notes}.");
        var limits = decisions.Where(d => d.Limit is not null).ToList();
        if (limits.Count > 0)
        {
            var worst = limits.MaxBy(d => d.Limit!.DetectableRelativeError ?? double.PositiveInfinity)!;
            notes.Add($"Worst detectable relative error of a limit: {(worst.Limit!.DetectableRelativeError ?? double.PositiveInfinity).ToString("P1", c)} ({worst.Name}).");
        }
        return new ReportSection(Id, file.Title ?? $"Claims of {file.Document.FileName}",
            file.Description ?? $"The claims of {file.Document.FileName}: " + string.Join("; ", result.Claims.Select(r => $"{r.Claim.Name}: {r.Claim.Statement}")),
            parameters,
            new ReportTable(ClaimSections.DecisionHeader, decisions.Select(ClaimSections.DecisionRow).ToList()),
            ClaimSections.Verdict(result.Claims.Select(r => r.Verdict).ToList()), plots, json,
            string.Join(" ", notes.Prepend("Decided by the claim engine (docs/claims.md): each size of a per-trial claim by Clopper–Pearson against its stated probability at "
                + "α/sizes, each limit through its stated finite-size model with a confidence interval.")))
        { Claims = decisions, ClaimsInTable = true };
    }
}

using System.Text.Json;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Report;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// `report --shard i/N --partial FILE` parts: the run's configuration (seed, quick, the sections, the suite as written, and the
/// claim file of every claim-file section as written: the shipped ones and `--claims FILE`) and the trials g of the trial-based
/// sections with g mod N = i, numbered across sections (<see cref="ReportTrials"/>);
/// each payload names its section and holds the trial's outcome. The merge rebuilds the plan from the configuration,
/// builds the trial-based sections from the union of the trials, runs the sections without trials once itself, and
/// writes the report folder, results.json and JUnit exactly as the unsharded `report` does (bar the timings and date).
/// </summary>
public sealed class ReportPartial : IShardedExperiment
{
    public string Tag => "report";

    public static void Write(string path, ReportPlan plan, ReportTrials trials, Shard shard, IReadOnlyDictionary<long, TrialOutcome> outcomes)
    {
        PartialResultFile.Write(path, "report", trials.Trials, shard, w =>
        {
            w.WriteNumber("seed", plan.Seed);
            w.WriteBoolean("quick", plan.Quick);
            w.WriteStartArray("sections");
            foreach (var part in plan.Parts) w.WriteStringValue(part.Id);
            w.WriteEndArray();
            w.WriteStartObject("sectionTrials");
            foreach (var s in trials.Sections) w.WriteNumber(s.Part.Id, s.Trials.Trials);
            w.WriteEndObject();
            w.WriteStartArray("claimFiles");
            foreach (var part in plan.Parts.OfType<Report.Parts.ClaimsPart>())
            {
                w.WriteStartObject();
                w.WriteString("section", part.Id);
                w.WriteString("name", part.Document.FileName);
                w.WriteString("text", part.Document.Text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (plan.Suite is null) w.WriteNull("suite");
            else
            {
                w.WriteStartObject("suite");
                w.WriteString("name", Path.GetFileName(plan.Suite.Path));
                w.WriteString("text", plan.Suite.Text);
                w.WriteEndObject();
            }
        }, outcomes.OrderBy(kv => kv.Key).Select(kv => (kv.Key, (Action<Utf8JsonWriter>)(w =>
        {
            w.WriteString("section", Section(trials, kv.Key).Part.Id);
            TrialOutcomeJson.WriteOutcome(w, kv.Value);
        }))));
    }

    private static TrialSection Section(ReportTrials trials, long g) =>
        trials.Sections.First(s => g >= s.Offset && g < s.Offset + s.Trials.Trials);

    public int Merge(IReadOnlyList<PartialResult> parts, MergeOptions options, TextWriter stdout)
    {
        var first = parts[0];
        var (plan, stored) = first.Read(() => Plan(first));
        string outDir = options.OutputDirectory ?? "fimverify-report";
        using var folder = ReportFolder.Open(outDir, options.Junit);
        // The merge runs no trial (ShardCount 0): it reserves only what the sections without trials need.
        var context = plan.Context(folder.Staging, shardCount: 0);
        var trials = ReportTrials.Of(plan, context);
        var prepared = trials.Sections.ToDictionary(s => s.Part.Id, s => s.Trials.Trials);
        if (trials.Trials != first.Trials || prepared.Count != stored.Count || prepared.Any(kv => !stored.TryGetValue(kv.Key, out long n) || n != kv.Value))
            throw first.Bad($"was written for the trials {Show(stored)}, but this fimverify prepares {Show(prepared)} from the same configuration: merge with the version that ran the shards");

        var owner = new Dictionary<long, (PartialResult Part, JsonElement Payload)>();
        foreach (var part in parts)
            foreach (var (g, e) in part.Outcomes) owner[g] = (part, e);
        var work = new Dictionary<string, SectionWork>();
        foreach (var s in trials.Sections)
        {
            var outcomes = new Dictionary<long, TrialOutcome>();
            for (long j = 0; j < s.Trials.Trials; j++)
            {
                long g = s.Offset + j;
                var (part, e) = owner[g];
                var family = s.Trials.Locate(j).Family;
                outcomes[j] = part.Read(() =>
                {
                    string section = part.Field(e, "section").GetString() ?? "";
                    if (section != s.Part.Id) throw part.Bad($"holds trial {g} as one of section '{section}', but it is one of '{s.Part.Id}'");
                    return TrialOutcomeJson.ReadOutcome(part, g, e, family.Experiment);
                });
            }
            work[s.Part.Id] = _ => s.Trials.Finish(s.Trials.Logs(outcomes));
        }
        var sections = SectionRunner.RunAll(
            plan.Parts.Select(p => (p, work.TryGetValue(p.Id, out var w) ? w : p.Prepare(context, plan.Settings(p)))).ToList(), options.Progress);
        return ReportFiles.Write(sections, plan, folder, options.Junit, options.Format, stdout, first.Parameter("eigenBackend").GetString()!, options.Strict);
    }

    private static (ReportPlan Plan, Dictionary<string, long> SectionTrials) Plan(PartialResult part)
    {
        long seed = part.Parameter("seed").GetInt64();
        bool quick = part.Parameter("quick").GetBoolean();
        var ids = part.Parameter("sections").EnumerateArray().Select(x => x.GetString() ?? "").ToList();
        var stored = part.Parameter("sectionTrials").EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetInt64());
        var suiteJson = part.Parameter("suite");
        SuiteFile? suite = null;
        if (suiteJson.ValueKind != JsonValueKind.Null)
        {
            string name = part.Field(suiteJson, "name").GetString() ?? "";
            try { suite = SuiteFile.FromText(name, part.Field(suiteJson, "text").GetString() ?? ""); }
            catch (UsageException e) { throw part.Bad($"holds a suite that does not read back ({e.Message.TrimEnd('.')})"); }
        }
        if (ids.Count == 0) throw part.Bad("names no section");
        var claimFiles = new Dictionary<string, Numeric.Claims.ClaimDocument>();
        foreach (var f in part.Parameter("claimFiles").EnumerateArray())
        {
            string section = part.Field(f, "section").GetString() ?? "", name = part.Field(f, "name").GetString() ?? "";
            try { claimFiles[section] = Claims.TomlClaimReader.Read(name, part.Field(f, "text").GetString() ?? ""); }
            catch (UsageException e) { throw part.Bad($"holds a claim file that does not read back ({e.Message.TrimEnd('.')})"); }
        }
        IReadOnlyList<IReportPart>? extra = null;
        if (ids.Contains(Commands.ReportCommand.UserClaimsId))
        {
            if (!claimFiles.TryGetValue(Commands.ReportCommand.UserClaimsId, out var user)) throw part.Bad("names the section 'claims' but holds no claim file for it");
            extra = [new Report.Parts.ClaimsPart(Commands.ReportCommand.UserClaimsId, user)];
            ids.Remove(Commands.ReportCommand.UserClaimsId);
        }
        if (ids.Count == 0) throw part.Bad("names no section of the default suite");
        try { return (ReportPlan.Create(suite, seed, quick, string.Join(",", ids), extra, claimFiles), stored); }
        catch (UsageException e) { throw part.Bad($"holds a configuration this fimverify does not accept ({e.Message.TrimEnd('.')})"); }
    }

    private static string Show(IReadOnlyDictionary<string, long> counts) => string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"));
}

using System.Text.Json;
using FimVerify.Cli.Claims;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// `verify claims FILE --shard i/N --partial PART` parts: the claim file as written (its name and text) and the run seed; the trials g
/// with g mod N = i of <see cref="ClaimPlan"/>'s numbering, each naming its claim and size and holding the trial's outcome. The
/// merge re-reads the file from its stored text, rebuilds the plan, and decides every claim once from the union of the trials,
/// through the same <see cref="ClaimAnalysis"/> and output as the unsharded run.
/// </summary>
public sealed class ClaimsPartial : IShardedExperiment
{
    public string Tag => "claims";

    public static void Write(string path, ClaimPlan plan, Shard shard, IReadOnlyDictionary<long, TrialOutcome> outcomes)
    {
        PartialResultFile.Write(path, "claims", plan.Trials, shard, w =>
        {
            w.WriteString("file", plan.File.Document.FileName);
            w.WriteString("text", plan.File.Document.Text);
            w.WriteNumber("seed", plan.Seed);
        }, outcomes.OrderBy(kv => kv.Key).Select(kv => (kv.Key, (Action<Utf8JsonWriter>)(w =>
        {
            var family = Family(plan, kv.Key);
            w.WriteString("claim", family.Claim.Name);
            w.WriteNumber("size", family.Point.Size);
            TrialOutcomeJson.WriteOutcome(w, kv.Value);
        }))));
    }

    private static ClaimTrials Family(ClaimPlan plan, long g) => plan.Families.First(f => g >= f.Offset && g < f.Offset + f.Trials);

    public int Merge(IReadOnlyList<PartialResult> parts, MergeOptions options, TextWriter stdout)
    {
        options.EnsureNotReportOptions(parts[0]);
        var first = parts[0];
        var plan = first.Read(() =>
        {
            string name = first.Parameter("file").GetString() ?? "";
            ClaimFile file;
            try { file = TomlClaimReader.FromText(name, first.Parameter("text").GetString() ?? ""); }
            catch (UsageException e) { throw first.Bad($"holds a claim file that this fimverify does not accept ({e.Message.TrimEnd('.')})"); }
            return ClaimPlan.Create(file, first.Parameter("seed").GetInt64());
        });
        if (plan.Trials != first.Trials)
            throw first.Bad($"was written for {first.Trials} trials, but this fimverify plans {plan.Trials} from the same claim file: merge with the version that ran the shards");
        var outcomes = new Dictionary<long, TrialOutcome>();
        foreach (var part in parts)
            foreach (var (g, e) in part.Outcomes)
            {
                var family = Family(plan, g);
                outcomes[g] = part.Read(() =>
                {
                    string claim = part.Field(e, "claim").GetString() ?? "";
                    long size = part.Field(e, "size").GetInt64();
                    if (claim != family.Claim.Name || size != family.Point.Size)
                        throw part.Bad($"holds trial {g} as one of claim '{claim}' at size {size}, but it is one of '{family.Claim.Name}' at size {family.Point.Size}");
                    return TrialOutcomeJson.ReadOutcome(part, g, e, family.Experiment);
                });
            }
        var result = ClaimAnalysis.Decide(plan, outcomes);
        ClaimResultOutput.Write(result, first.Parameter("eigenBackend").GetString()!, options.Format, stdout);
        return ClaimResultOutput.ExitCode(result, options.Strict);
    }
}

using System.Text.Json;
using FimVerify.Cli.Claims;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Claims;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// `verify claims FILE --shard i/N --partial PART` parts: the claim file as written (its name and text), the values of its
/// parameters and the run seed; the trials g with g mod N = i of <see cref="ClaimPlan"/>'s numbering, each naming its instance and
/// size and holding the trial's outcome (every claim of the instance). The merge re-reads the file from its stored text, rebuilds
/// the plan, and decides every claim once from the union of the trials, through the same <see cref="ClaimAnalysis"/> and output
/// as the unsharded run.
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
            ClaimResultOutput.WriteParameters(w, plan.File.ParameterValues);
            w.WriteNumber("seed", plan.Seed);
        }, outcomes.OrderBy(kv => kv.Key).Select(kv => (kv.Key, (Action<Utf8JsonWriter>)(w =>
        {
            var family = plan.FamilyOf(kv.Key);
            w.WriteString("instance", family.Instance.Name);
            w.WriteNumber("size", family.Size);
            TrialOutcomeJson.WriteOutcome(w, kv.Value);
        }))));
    }

    /// <summary>The parameters' values as stored, read back with the kinds the file declares (unknown or missing ones are refused).</summary>
    public static Dictionary<string, object> ReadParameters(PartialResult part, JsonElement stored, ClaimDocument document)
    {
        var declared = TomlClaimReader.Validated(() => ClaimParameters.Read(document)).Declared;
        var values = new Dictionary<string, object>();
        foreach (var p in declared)
        {
            if (!stored.TryGetProperty(p.Name, out var e)) throw part.Bad($"holds no value of the claim file's parameter '{p.Name}'");
            values[p.Name] = p.Kind switch
            {
                ParameterKind.Integer when e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long l) => l,
                ParameterKind.Number when e.ValueKind == JsonValueKind.Number => e.GetDouble(),
                ParameterKind.Text when e.ValueKind == JsonValueKind.String => e.GetString()!,
                _ => throw part.Bad($"holds the parameter '{p.Name}' as {e.ValueKind}, but the claim file declares {ClaimParameters.Describe(p.Kind)}"),
            };
        }
        foreach (var e in stored.EnumerateObject())
            if (!values.ContainsKey(e.Name)) throw part.Bad($"holds a value of '{e.Name}', which the claim file does not declare");
        return values;
    }

    public int Merge(IReadOnlyList<PartialResult> parts, MergeOptions options, TextWriter stdout)
    {
        options.EnsureNotReportOptions(parts[0]);
        var first = parts[0];
        var plan = first.Read(() =>
        {
            string name = first.Parameter("file").GetString() ?? "";
            ClaimFile file;
            try
            {
                var document = TomlClaimReader.Read(name, first.Parameter("text").GetString() ?? "");
                file = TomlClaimReader.FromDocument(document, ReadParameters(first, first.Parameter("parameters"), document));
            }
            catch (UsageException e) { throw first.Bad($"holds a claim file that this fimverify does not accept ({e.Message.TrimEnd('.')})"); }
            return ClaimPlan.Create(file, first.Parameter("seed").GetInt64());
        });
        if (plan.Trials != first.Trials)
            throw first.Bad($"was written for {first.Trials} trials, but this fimverify plans {plan.Trials} from the same claim file: merge with the version that ran the shards");
        var outcomes = new Dictionary<long, TrialOutcome>();
        foreach (var part in parts)
            foreach (var (g, e) in part.Outcomes)
            {
                var family = plan.FamilyOf(g);
                outcomes[g] = part.Read(() =>
                {
                    string instance = part.Field(e, "instance").GetString() ?? "";
                    long size = part.Field(e, "size").GetInt64();
                    if (instance != family.Instance.Name || size != family.Size)
                        throw part.Bad($"holds trial {g} as one of '{instance}' at size {size}, but it is one of '{family.Instance.Name}' at size {family.Size}");
                    return TrialOutcomeJson.ReadOutcome(part, g, e, family.Experiment);
                });
            }
        var result = ClaimAnalysis.Decide(plan, outcomes);
        ClaimResultOutput.Write(result, first.Parameter("eigenBackend").GetString()!, options.Format, stdout);
        return ClaimResultOutput.ExitCode(result, options.Strict);
    }
}

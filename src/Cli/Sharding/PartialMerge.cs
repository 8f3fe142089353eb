using FimVerify.Cli.CommandLine;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// The checks common to every experiment before its parts are combined: one experiment, identical parameters,
/// no trial in two parts, every trial 0 … K−1 in some part. Each failure is one sentence naming a file.
/// </summary>
public static class PartialMerge
{
    public static IShardedExperiment Check(IReadOnlyList<PartialResult> parts)
    {
        if (parts.Count == 0) throw new UsageException("merge needs at least one partial file (see --help).");
        var first = parts[0];
        var seen = new HashSet<string>();
        foreach (var part in parts)
            if (!seen.Add(Path.GetFullPath(part.File))) throw new UsageException($"The part file '{part.File}' is given twice.");
        var owner = new Dictionary<long, string>();
        foreach (var part in parts)
        {
            if (part.Experiment != first.Experiment)
                throw new UsageException($"The part file '{part.File}' holds a {part.Experiment} run, but '{first.File}' holds a {first.Experiment} run: merge combines the parts of one run.");
            if (!ReferenceEquals(part, first)) RequireSameParameters(first, part);
            foreach (long k in part.Outcomes.Keys)
                if (!owner.TryAdd(k, part.File))
                    throw new UsageException($"The part file '{part.File}' overlaps '{owner[k]}': both hold trial {k}, so the shards are not disjoint.");
        }
        for (long k = 0; k < first.Trials; k++)
            if (!owner.ContainsKey(k))
                throw new UsageException($"The part files ({string.Join(", ", parts.Select(p => p.File))}) do not cover trial {k} of 0…{first.Trials - 1}: a shard is missing (trial {k} belongs to shard {k % first.Shard.Count}/{first.Shard.Count} in the sharding of '{first.File}').");
        return ShardedExperiments.Find(first.Experiment)!;
    }

    private static void RequireSameParameters(PartialResult reference, PartialResult part)
    {
        var theirs = part.ParameterFields.ToDictionary(kv => kv.Key, kv => kv.Value);
        var ours = reference.ParameterFields.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (name, value) in ours)
        {
            if (!theirs.TryGetValue(name, out var other))
                throw new UsageException($"The part file '{part.File}' lacks the parameter {name} that '{reference.File}' has.");
            if (!SameJson(other, value))
                throw new UsageException($"The part file '{part.File}' has {name} = {Compact(other)}, but '{reference.File}' has {Compact(value)}: parts of one run need identical parameters.");
        }
        foreach (var name in theirs.Keys.Where(n => !ours.ContainsKey(n)))
            throw new UsageException($"The part file '{part.File}' has the parameter {name} that '{reference.File}' lacks.");
    }

    /// <summary>
    /// Equal as JSON values, not as text: a part rewritten by another JSON writer (other escapes, e.g. "\u002B" for "+",
    /// other white space or key order) is still a part of the same run.
    /// </summary>
    private static bool SameJson(string a, string b) =>
        a == b || System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(a), System.Text.Json.Nodes.JsonNode.Parse(b));

    private static string Compact(string rawJson) =>
        string.Join(' ', rawJson.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
}

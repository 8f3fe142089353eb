using System.Globalization;
using FimVerify.Cli.CommandLine;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// `--shard i/N` and `--partial FILE`, read the same way by every trial-based command: the shard (all trials when
/// absent) and where to write its partial results (null: nowhere).
/// </summary>
public sealed record ShardOptions(Shard Shard, string? PartialPath)
{
    /// <summary>The help lines of the two options, indented like the commands' own.</summary>
    public const string Synopsis = """
          --shard i/N      run only the trials k with k mod N = i (each trial's result does not depend on the sharding)
          --partial FILE   also write this shard's per-trial results to FILE (JSON, fimverify-partial/2) for `fimverify merge`
        """;

    public static ShardOptions Read(ArgumentReader args)
    {
        string? text = args.OptionalString("--shard");
        string? partial = args.OptionalString("--partial");
        return new ShardOptions(text is null ? Shard.All : Parse(text), partial);
    }

    /// <summary>
    /// Checks, before any trial runs, that the shard holds a trial of <paramref name="trials"/> and that the partial file
    /// can be written afterwards.
    /// </summary>
    public void Validate(long trials)
    {
        if (Shard.Index >= trials)
            throw new UsageException($"The shard {Shard.Index}/{Shard.Count} holds no trial of the {trials}: use at most N = {trials} shards, or more trials.");
        if (PartialPath is not null) PartialResultFile.EnsureWritable(PartialPath);
    }

    public bool IsSharded => Shard.Count > 1;

    public static Shard Parse(string text) => TryParse(text, out var shard) ? shard
        : throw new UsageException($"The option --shard needs i/N with 0 ≤ i < N, but got '{text}'.");

    /// <summary>Reads "i/N" with 0 ≤ i &lt; N (digits only), as written on the command line and in partial files.</summary>
    public static bool TryParse(string text, out Shard shard)
    {
        shard = Shard.All;
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || i >= n)
            return false;
        shard = new Shard(i, n);
        return true;
    }
}

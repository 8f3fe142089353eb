namespace FimVerify.Numeric.Claims;

/// <summary>
/// One value of a claim file with the line it stands on (1-based), for errors that name file, line and key. Values are
/// long, double, bool, string, a list of values (<see cref="IReadOnlyList{T}"/> of object) or an inline table
/// (<see cref="ClaimTable"/>), whatever the file format was.
/// </summary>
public sealed record ClaimField(string Key, object Value, int Line);

/// <summary>A table of a claim file (one [[claim]], the [constants], an inline table): its fields by key and its first line.</summary>
public sealed record ClaimTable(int Line, IReadOnlyDictionary<string, ClaimField> Fields)
{
    public static ClaimTable Empty { get; } = new(0, new Dictionary<string, ClaimField>());
}

/// <summary>
/// A claim file as read, independent of its syntax (the CLI reads TOML): the run-level fields (seed, alpha, title, description), the
/// file's [constants], its claims in file order, and optionally its [parameters] (values a run may set, substituted for "${name}"),
/// its [[instance]] tables (random instances several claims share) and its [[plot]] tables. <see cref="Text"/> is the file as
/// written, which a sharded run stores so that `merge` rebuilds the same claims.
/// </summary>
public sealed record ClaimDocument(string Path, string Text, IReadOnlyDictionary<string, ClaimField> RunFields, ClaimTable Constants,
    IReadOnlyList<ClaimTable> Claims)
{
    /// <summary>The [parameters] table: one inline table per parameter ({ value = …, quick = …, min = …, max = … }).</summary>
    public ClaimTable Parameters { get; init; } = ClaimTable.Empty;
    /// <summary>The [[instance]] tables, in file order.</summary>
    public IReadOnlyList<ClaimTable> Instances { get; init; } = [];
    /// <summary>The [[plot]] tables, in file order.</summary>
    public IReadOnlyList<ClaimTable> Plots { get; init; } = [];

    /// <summary>The file's name as errors show it.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>An error at a line of this file: "FILE:LINE: message".</summary>
    public ClaimDefinitionException Error(int line, string message) => new($"{FileName}:{line}: {message}");
}

/// <summary>
/// A claim file that cannot be run as written (an unknown key, model, matrix, statistic or symbol, a value out of range, a
/// claim too big to run): the message names the file, the line and the key. An <see cref="ArgumentException"/>, so any
/// caller that does not catch it still reports bad input.
/// </summary>
public sealed class ClaimDefinitionException(string message) : ArgumentException(message);

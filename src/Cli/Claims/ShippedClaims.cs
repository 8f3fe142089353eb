using System.Reflection;
using FimVerify.Numeric.Claims;

namespace FimVerify.Cli.Claims;

/// <summary>
/// The claim files FimVerify ships in claims/, compiled into the tool (so an installed tool has them too): the seeds' theorems,
/// which the report's theorem sections run through the claim engine.
/// </summary>
public static class ShippedClaims
{
    /// <summary>The shipped files' names (theorem3.toml, …).</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(ShippedClaims).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("claims/", StringComparison.Ordinal)).Select(n => n["claims/".Length..]).Order(StringComparer.Ordinal).ToList();

    /// <summary>The text of a shipped file.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(ShippedClaims).Assembly.GetManifestResourceStream("claims/" + name)
            ?? throw new InvalidOperationException($"the claim file claims/{name} is not compiled into this fimverify");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A shipped file as written (validated when it runs).</summary>
    public static ClaimDocument Document(string name) => TomlClaimReader.Read(name, Text(name));
}

using FimVerify.Cli.Claims;
using FimVerify.Cli.Report.Parts;

namespace FimVerify.Cli.Report;

/// <summary>
/// The built-in default suite: every claim family FimVerify knows, in reading order. The theorem sections of seed 000 (Theorem 3)
/// and seeds 001/002/004 (Theorem 3.1 and its variants) are the shipped claim files (claims/*.toml), run through the claim engine.
/// </summary>
public static class ReportSuite
{
    /// <summary>The shipped claim files and the report sections they are, in reading order.</summary>
    public static readonly IReadOnlyList<(string Id, string File)> ClaimSections = [("theorem3", "theorem3.toml"), ("mean-field", "theorem31.toml"), ("mean-field-variants", "mean-field-variants.toml")];

    public static IReadOnlyList<IReportPart> Default() =>
    [
        new KappaSeriesPart(),
        new DerivationsPart(),
        new Lemma1Part(),
        new Theorem2Part(),
        Shipped("theorem3"),
        Shipped("mean-field"),
        Shipped("mean-field-variants"),
        new NgdScalesPart(),
        new DensityPart(),
        new DensityPart(convolutional: true),
    ];

    private static ClaimsPart Shipped(string id) => new(id, ShippedClaims.Document(ClaimSections.First(s => s.Id == id).File));
}

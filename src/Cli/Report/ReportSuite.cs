using FimVerify.Cli.Report.Parts;

namespace FimVerify.Cli.Report;

/// <summary>The built-in default suite: every claim family FimVerify knows, in reading order.</summary>
public static class ReportSuite
{
    public static IReadOnlyList<IReportPart> Default() =>
    [
        new KappaSeriesPart(),
        new DerivationsPart(),
        new Lemma1Part(),
        new Theorem2Part(),
        new Theorem3Part(),
        new MeanFieldPart(),
        new MeanFieldVariantsPart(),
        new NgdScalesPart(),
        new DensityPart(),
        new DensityPart(convolutional: true),
    ];
}

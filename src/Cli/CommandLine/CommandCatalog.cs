using FimVerify.Cli.Commands;

namespace FimVerify.Cli.CommandLine;

/// <summary>Every command of fimverify, in the order `--help` lists them. Add a command here, one line.</summary>
public static class CommandCatalog
{
    public static ICommand[] All() =>
    [
        new ReportCommand(),
        new DeriveJijCommand(),
        new DeriveJijCoefficientCommand(),
        new DeriveTheorem2Command(),
        new DeriveMomentsCommand(),
        new DeriveTianCommand(),
        new CheckCommand(),
        new VerifyLemma1Command(),
        new VerifyTheorem2Command(),
        new VerifyTheorem3Command(),
        new VerifyTheorem3SweepCommand(),
        new VerifyClaimsCommand(),
        new MergeCommand(),
        new SpectrumShallowCommand(),
        new DensityCommand(),
        new DeriveOrderParamsCommand(),
        new FimStatsCommand(),
        new VerifyNgdScalesCommand(),
    ];
}

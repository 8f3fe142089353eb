using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Cli.Sharding;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Resources;

namespace FimVerify.Cli.Commands;

/// <summary>`fim-stats`: mean-field predictions of the FIM spectrum (and variants) against random networks.</summary>
public sealed class FimStatsCommand : ILongRunningCommand
{
    public string Path => "fim-stats";
    public string Summary => "Predicted vs measured m_λ, s_λ, λ_max and the top-C eigenvalues of the FIM of random wide MLPs (MATH.md §2).";
    public string Help => $"""
        Usage: fimverify fim-stats --activation A --depth L --width M --samples T --outputs C --sigma-w2 X --sigma-b2 Y
                                   [--widths a0,…] [--variant V] [--seed S] [--trials K] [--shard i/N] [--partial FILE]
                                   [--format text|json] [--quiet]
        {MeanFieldOptions.Synopsis}
          --width M        base width (hidden width M_l = α_l M), 2 … 16000
          --samples T      inputs per trial, 2 … 10000 (the dual is CT × CT, C·T at most 10000)
          --outputs C      network outputs, 1 … 100
          --variant V      regression (default), softmax, mean-subtracted, ntk, ntk-mean-subtracted, blocks, input
          --seed S         run seed (default 1); trial k uses the stream seed/"fim-stats"/k
          --trials K       independent networks, 1 … 1000 (default 1)
        {ShardOptions.Synopsis}
          --format F       text (default) or json
        {ProgressReporter.Synopsis}
        Statistics are over all P eigenvalues of the metric (P×P, computed through its CT×CT dual): m_λ = Σλ/P,
        s_λ = Σλ²/P; λ_max is compared as the mean of the top C eigenvalues (C − 1 for softmax, whose Q·1 = 0);
        NTK statistics are over the CT eigenvalues of Θ = J Jᵀ (ntk-mean-subtracted: of (I_C ⊗ Π)Θ(I_C ⊗ Π), whose
        predicted λ_max = κ′₁ − κ′₂ depends on neither M nor T; at finite M the top C sit about √(T/M) above it).
        Ratios are measured/predicted, averaged over trials.
        Softmax predictions use each network's own Q_t = diag(g_t) − g_t g_tᵀ (m_λ, s_λ and the C − 1 outliers).
        Structural claims (exit 1 if one fails): regression — the C-th eigenvalue exceeds twice the (C+1)-th
        (outliers separated); mean-subtracted — its largest eigenvalue is below half the C-th of F (outliers
        removed) and at least ρα(κ₁ − κ₂), ρ = M/T (the sources' lower bound with c₁ = 0); softmax — every sorted
        eigenvalue of F_cross is at most that of F (F_cross ⪯ F). mean-subtracted also prints the measured ĉ₁, ĉ₂ and
        the upper bound √((Cα²ρ(κ₁ − κ₂)² + ĉ₂)M); the sources leave c₁, c₂ unspecified.
        Example: fimverify fim-stats --activation tanh --depth 3 --width 500 --samples 50 --outputs 5 --sigma-w2 3 --sigma-b2 0.64 --trials 3
        Sharded: … --trials 30 --shard 0/3 --partial part-0.json (and 1/3, 2/3), then `fimverify merge part-*.json`
                 prints the unsharded output (see docs/sharding.md)
        """;

    public int Run(ArgumentReader args, TextWriter stdout, TextWriter stderr)
    {
        var (activation, shape) = MeanFieldOptions.Read(args);
        int m = Required(args, "--width", 2, MaxWidth);
        int T = Required(args, "--samples", 2, FimStatsParameters.MaxDualSize);
        int C = Required(args, "--outputs", 1, 100);
        if ((long)C * T > FimStatsParameters.MaxDualSize)
            throw new UsageException($"The dual has C·T = {C * T} rows; keep C·T at most {FimStatsParameters.MaxDualSize}.");
        if (shape.Depth < 2) throw new UsageException("The FIM statistics need at least one hidden layer: use --depth 2 or more (α = 0 at depth 1).");
        string variantName = args.Choice("--variant", FimStatsOutput.Variants.Select(v => v.Name).ToList(), "regression");
        long seed = args.Long("--seed", 1);
        int trials = args.Int("--trials", 1, 1, 1000);
        var sharding = ShardOptions.Read(args);
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        var progress = ProgressReporter.Read(args, stderr);
        args.EnsureAllUsed();
        sharding.Validate(trials);

        var variant = FimStatsOutput.Variants.First(v => v.Name == variantName).Variant;
        var prm = new FimStatsParameters(activation, shape, m, T, C, variant, seed, trials);
        ResourceLimits.Check(ExperimentCosts.FimStats(shape, m, T, C, sharding.Shard.CountOf(trials)),
            $"fim-stats at M = {m}, T = {T}, C = {C}, depth {shape.Depth} with {sharding.Shard.CountOf(trials)} trial(s)", "reduce --width, --widths, --samples, --outputs or --trials");
        // Once, for the trials and their analysis, on another core while the first network is drawn.
        var predicting = Task.Run(() => FimStatistics.Predict(prm.Validated()));
        var measured = progress.Run(sink => FimStatistics.RunTrials(prm, predicting, sharding.Shard, sink));
        var prediction = predicting.GetAwaiter().GetResult();
        var result = FimStatistics.Analyse(prm, prediction, measured, sharding.Shard);
        // The verdicts first: a file that cannot be written afterwards loses no result.
        FimStatsOutput.Write(result, DenseSymmetricEigen.Backend, format, stdout);
        if (sharding.PartialPath is not null) FimStatsPartial.Write(sharding.PartialPath, prm, sharding.Shard, measured);
        return FimStatsOutput.ExitCode(result);
    }

    /// <summary>The largest --width accepted; memory decides below it (<see cref="ExperimentCosts.FimStats"/>).</summary>
    public const int MaxWidth = 16_000;

    private static int Required(ArgumentReader args, string name, int min, int max)
    {
        if (!args.Has(name)) throw new UsageException($"The option {name} is required.");
        return args.Int(name, 0, min, max);
    }
}

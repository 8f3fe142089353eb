using System.Globalization;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Commands;

/// <summary>`spectrum shallow`: the leading eigenvalues of J (or J⁽ⁿ⁾) with their Theorem 2 group and levels.</summary>
public sealed class SpectrumShallowCommand : ICommand
{
    public string Path => "spectrum shallow";
    public string Summary => "Eigenvalues of the shallow-ReLU J (or J⁽ⁿ⁾) with Theorem 2 group, theorem level and p → ∞ limit.";
    public string Help => """
        Usage: fimverify spectrum shallow [--d D] [--p P] [--n N] [--top K] [--seed S] [--format json|text]
          --d D        input dimension, at least 2 (default 3)
          --p P        hidden units, d ≤ p ≤ 3000 (dense eigensolver; default 500), or up to 20000 for J with --top K ≤ 100
                       (block Lanczos on J matrix-free)
          --n N        use the empirical J⁽ⁿ⁾ = XᵀX/n from N inputs instead of J by Lemma 1
          --top K      how many leading eigenvalues (default all)
          --seed S     run seed (default 1); W comes from the stream (S, "spectrum", 0), the inputs from its child "inputs"
          --format F   json (default) or text
        Each eigenvalue carries: the group its rank falls in (1 mean, d linear, d(d+1)/2 − 1 quadratic, then remainder),
        the group's Theorem 2 coefficient, the p → ∞ limit Λ_k = d·μ_k (Funk–Hecke coefficient of κ for harmonic degree
        k), and the squared overlap of its eigenvector with each group's span of direction vectors.
        Example: fimverify spectrum shallow --d 3 --p 500 --top 12 --format json
        """;

    private const int DenseLimit = 3000, MatrixFreeLimit = 20_000;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        int d = args.Int("--d", 3, 2, 1000);
        int p = args.Int("--p", 500, 1, MatrixFreeLimit);
        int? n = args.Has("--n") ? args.Int("--n", 1, 1, 10_000_000) : null;
        int top = args.Int("--top", int.MaxValue, 1);
        long seed = args.Long("--seed", 1);
        var format = OutputFormats.Read(args, OutputFormat.Json, OutputFormat.Text);
        args.EnsureAllUsed();
        if (p < d) throw new UsageException($"The option --p must be at least d = {d}, but got {p}.");
        bool matrixFree = p > DenseLimit;
        if (matrixFree && (n is not null || top > 100))
            throw new UsageException($"Above p = {DenseLimit} only the top K ≤ 100 eigenvalues of J (no --n) are computed (matrix-free), but got --p {p}{(n is null ? "" : $" with --n {n}")}{(top > 100 ? (top == int.MaxValue ? " without --top" : $" with --top {top}") : "")}.");
        if (n is int nn && (long)nn * p > 400_000_000) throw new UsageException($"n·p = {(long)nn * p} exceeds the 4·10⁸ activations J⁽ⁿ⁾ may hold.");

        ResourceLimits.Check(ExperimentCosts.Spectrum(d, p, n, top, matrixFree), $"spectrum shallow at d = {d}, p = {p}{(n is null ? "" : $", n = {n}")}",
            matrixFree ? "reduce --d, --p or --top" : "reduce --d, --p or --n");
        var stream = TrialRunner.TrialSeed(seed, "spectrum", 0);
        var net = ShallowReluNetwork.Sample(d, p, stream);
        var j = matrixFree ? null : n is int samples ? EmpiricalFisher.Compute(net, samples, stream) : net.FisherByLemma1();
        var ranked = j is null ? ShallowSpectrum.RankedMatrixFree(net, top, stream) : ShallowSpectrum.Ranked(net, j, top);
        string backend = j is null ? ShallowSpectrum.MatrixFreeMethod : ShallowSpectrum.Backend;
        double trace = j?.Trace() ?? net.FrobeniusNormSquared() / 2;
        string source = n is null ? "J by Lemma 1" : $"J^(n) = X^T X / n, n = {n}";
        string[] groupNames = ["mean", "linear", "quadratic"];
        string GroupName(DirectionGroup? g) => g switch { DirectionGroup.Mean => "mean", DirectionGroup.Linear => "linear", null => "remainder", _ => "quadratic" };
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("d", d); w.WriteNumber("p", p);
                if (n is int s) w.WriteNumber("n", s);
                w.WriteNumber("seed", seed);
                w.WriteString("matrix", source);
                w.WriteString("eigenBackend", backend);
                w.Number("trace", trace);
                w.WriteStartArray("eigenvalues");
                foreach (var e in ranked)
                {
                    w.WriteStartObject();
                    w.WriteNumber("rank", e.Rank);
                    w.Number("value", e.Value);
                    w.WriteString("group", GroupName(e.Group));
                    w.Number("theoremLevel", e.TheoremLevel);
                    w.WriteNumber("harmonicDegree", e.LimitDegree);
                    w.Number("limitLevel", e.LimitLevel);
                    w.WriteStartObject("overlap");
                    for (int g = 0; g < 3; g++) w.Number(groupNames[g], e.Overlaps[g]);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }));
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            stdout.WriteLine($"Spectrum of {source}: d = {d}, p = {p}, seed {seed} ({backend})");
            var table = new ResultTable(new("rank", 4, Numeric: true), new("eigenvalue", -14, "  ", Numeric: true), new("group", -9, "  "),
                new("theorem level", -13, "  ", Numeric: true), new("limit Λ_k", -10, "  ", Numeric: true), new("k", 2, " (", ")", Numeric: true),
                new("overlap mean/linear/quadratic", 0, "   "))
            {
                Indent = "  ",
                // The plain header has always spanned the limit and its degree k with one title.
                PlainHeaderLine = "  rank  eigenvalue      group      theorem level  limit Λ_k (k)     overlap mean/linear/quadratic",
            };
            foreach (var e in ranked)
                table.Add($"{e.Rank}", e.Value.ToString("G8", c), GroupName(e.Group), e.TheoremLevel.ToString("G6", c), e.LimitLevel.ToString("G6", c), $"{e.LimitDegree}",
                    string.Format(c, "{0:F3} / {1:F3} / {2:F3}", e.Overlaps[0], e.Overlaps[1], e.Overlaps[2]));
            table.WriteTo(stdout);
        }
        return 0;
    }
}

using System.Globalization;
using System.Text.Json;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Resources;
using FimVerify.Symbolic;
using Microsoft.FSharp.Collections;

namespace FimVerify.Cli.Commands;

/// <summary>
/// `derive order-params`: the mean-field recurrences of MATH.md §2, layer by layer, with κ₁, κ₂, α and χ, and the
/// symbolic forms behind them: the activation's Gaussian integrals (when it has closed forms) and Theorem 3.1's statistics.
/// </summary>
public sealed class DeriveOrderParamsCommand : ICommand
{
    public string Path => "derive order-params";
    public string Summary => "Mean-field order parameters q, q̂, q̃ layer by layer, κ₁, κ₂, α, q* and χ, with the derived closed forms and Theorem 3.1 statistics (MATH.md §2).";
    public string Help => $"""
        Usage: fimverify derive order-params --activation A --depth L --sigma-w2 X --sigma-b2 Y [--widths a0,…] [--steps] [--format text|latex|json]
        {MeanFieldOptions.Synopsis}  --steps          also print every step of the symbolic derivations with its evidence
          --format F       text (default), latex, or json:
                           {"{"}"layers":[{"{"}"l","q1","q2","qhat1","qhat2","qtilde1","qtilde2"{"}"}],"alpha","kappa1","kappa2","chi",
                            "closedForms":{"{"}"mean":{"{"}"infix","latex"{"}"},…{"}"} or null,"statistics":{"{"}"kappa1":{"{"}"infix","latex"{"}"},…{"}"},
                            "variantStatistics":{"{"}"regressionBulk","meanSubtractedMean",…,"block1Mean",…,"inputMetricMean",…,"softmaxMean",…{"}"},…{"}"}
        Layers run l = 0…L; a quantity that does not exist at a layer is null (q at l = 0, q̂ at the linear output l = L).
        ReLU, leaky ReLU, linear and erf use closed forms derived by the symbolic layer (ReLU from Tian's arc integral,
        leaky ReLU from ReLU by symmetry, linear by Gaussian moments, erf by Price's theorem) and compiled; other
        activations use Gauss–Hermite quadrature with an error estimate from two orders (exit 2 if it does not converge).
        κ₁, κ₂, κ′₁, κ′₂, m_λ, s_λ and λ_max are derived from the leading-order dual for this depth and evaluated compiled;
        so are the variants' (the C(T−1)-fold bulk eigenvalue, mean subtraction of the FIM and of the NTK, each block
        F_ll, the input metric A⁰, and softmax's m, s and outlier scale in the measured statistics meanTrQ = mean_t tr Q_t,
        meanTrQ2 = mean_t tr Q_t², trQbar2 = tr Q̄²).
        Exit 1 if a step of the symbolic derivations fails (a bug), 0 otherwise.
        Example: fimverify derive order-params --activation erf --depth 3 --sigma-w2 1.5 --sigma-b2 0.1 --format latex
        """;

    private static readonly Func<string, Microsoft.FSharp.Core.FSharpOption<string>> StatisticsSymbol =
        name => SoftmaxStatistics.latexSymbol(name) ?? MeanFieldStatistics.latexSymbol(name);

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        var (activation, shape) = MeanFieldOptions.Read(args);
        bool showSteps = args.Flag("--steps");
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Latex, OutputFormat.Json);
        args.EnsureAllUsed();

        ResourceLimits.Check(ExperimentCosts.OrderParameters(shape.Depth), $"derive order-params at depth {shape.Depth}", "reduce --depth");
        var kernel = GaussianKernels.For(activation);
        var op = OrderParameters.Compute(kernel, shape);
        var fp = FixedPoint.Solve(kernel, shape.SigmaW2, shape.SigmaB2, MeanFieldOptions.IsHomogeneous(activation));
        double k1 = shape.Depth >= 2 ? op.Kappa1 : double.NaN, k2 = shape.Depth >= 2 ? op.Kappa2 : double.NaN;
        var forms = (kernel as ClosedFormGaussianKernel)?.Compiled.Derived;
        // The statistics and the variants' forms come from the derivation cache when it holds them (derived and checked once per
        // engine version); --no-cache derives them afresh.
        var statistics = MeanFieldStatistics.forDepth(shape.Depth);
        var variantForms = DerivationCache.getOrDerive($"variant-statistics-depth-{shape.Depth}", () => DeriveVariants(shape.Depth));
        var steps = (forms?.Steps.Value ?? []).Concat(statistics.Steps.Value).Concat(variantForms.Steps).ToList();
        bool holds = steps.All(s => s.Holds);
        var integrals = forms is null ? [] : Integrals(forms);
        var derived = Statistics(statistics);
        var variants = VariantLabels(shape.Depth).Select(v => (v.Key, v.Latex, variantForms.Expression(v.Key))).ToArray();

        switch (format)
        {
            case OutputFormat.Json:
                stdout.WriteLine(JsonOutput.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("activation", activation.Name);
                    w.WriteString("method", kernel.Method);
                    w.WriteNumber("depth", shape.Depth);
                    w.Number("sigmaW2", shape.SigmaW2); w.Number("sigmaB2", shape.SigmaB2);
                    w.WriteStartArray("widths"); foreach (var a in shape.WidthRatios) w.WriteNumberValue(a); w.WriteEndArray();
                    w.WriteStartArray("layers");
                    for (int l = 0; l <= shape.Depth; l++)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("l", l);
                        Optional(w, "q1", op.Q1[l]); Optional(w, "q2", op.Q2[l]);
                        Optional(w, "qhat1", op.QHat1[l]); Optional(w, "qhat2", op.QHat2[l]);
                        Optional(w, "qtilde1", op.QTilde1[l]); Optional(w, "qtilde2", op.QTilde2[l]);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.Number("alpha", shape.Alpha);
                    Optional(w, "kappa1", k1); Optional(w, "kappa2", k2);
                    w.Number("ntkKappa1", op.NtkKappa1); w.Number("ntkKappa2", op.NtkKappa2);
                    Optional(w, "qStar", fp.QStar ?? double.NaN);
                    w.Number("chi", fp.Chi);
                    w.WriteString("phase", fp.Phase.ToString().ToLowerInvariant());
                    if (forms is null) w.WriteNull("closedForms");
                    else
                    {
                        w.WriteStartObject("closedForms");
                        foreach (var (key, _, x) in integrals) w.WriteExpression(key, x);
                        w.WriteStartArray("parameters"); foreach (var p in forms.Parameters) w.WriteStringValue(p); w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    w.WriteStartObject("statistics");
                    foreach (var (key, _, x) in derived) w.WriteExpression(key, x, StatisticsSymbol);
                    w.WriteEndObject();
                    w.WriteStartObject("variantStatistics");
                    foreach (var (key, _, x) in variants) w.WriteExpression(key, x, StatisticsSymbol);
                    w.WriteEndObject();
                    w.WriteBoolean("derivationHolds", holds);
                    if (showSteps) w.WriteSteps(steps);
                    w.WriteEndObject();
                }));
                break;
            case OutputFormat.Latex:
                stdout.WriteLine($"% activation {activation.Name} ({kernel.Method}), depth L = {shape.Depth}, sigma_w^2 = {F(shape.SigmaW2)}, sigma_b^2 = {F(shape.SigmaB2)}");
                stdout.WriteLine("\\begin{align*}");
                foreach (var (_, label, x) in integrals) stdout.WriteLine($"{label} &= {DerivedExpressionWriter.Latex(x)} \\\\");
                foreach (var (_, label, x) in derived.Concat(variants)) stdout.WriteLine($"{label} &= {DerivedExpressionWriter.Latex(x, StatisticsSymbol)} \\\\");
                stdout.WriteLine($"\\alpha &= {F(shape.Alpha)},\\ \\kappa_1 = {G(k1)},\\ \\kappa_2 = {G(k2)},\\ \\kappa'_1 = {G(op.NtkKappa1)},\\ \\kappa'_2 = {G(op.NtkKappa2)},\\ \\chi = {G(fp.Chi)}");
                stdout.WriteLine("\\end{align*}");
                stdout.WriteLine("\\begin{array}{rrrrrrr} l & q^l_1 & q^l_2 & \\hat{q}^l_1 & \\hat{q}^l_2 & \\tilde{q}^l_1 & \\tilde{q}^l_2 \\\\");
                for (int l = 0; l <= shape.Depth; l++)
                    stdout.WriteLine($"{l} & {L(op.Q1[l])} & {L(op.Q2[l])} & {L(op.QHat1[l])} & {L(op.QHat2[l])} & {L(op.QTilde1[l])} & {L(op.QTilde2[l])} \\\\");
                stdout.WriteLine("\\end{array}");
                if (showSteps)
                    foreach (var s in steps) stdout.WriteLine($"% [{(s.Holds ? "HOLDS" : "FAILS")}] {s.Statement} -- by: {s.Evidence}");
                break;
            default:
                stdout.WriteLine($"activation {activation.Name} ({kernel.Method}), depth L = {shape.Depth}, σ_w² = {F(shape.SigmaW2)}, σ_b² = {F(shape.SigmaB2)}, α_l = {string.Join(",", shape.WidthRatios.Select(F))}");
                var layers = new ResultTable([new("l", 3, Numeric: true), .. new[] { "q1", "q2", "qhat1", "qhat2", "qtilde1", "qtilde2" }.Select(h => new ResultColumn(h, 14, " ", Numeric: true))])
                    { PlainHeader = true };
                for (int l = 0; l <= shape.Depth; l++)
                    layers.Add($"{l}", G(op.Q1[l]), G(op.Q2[l]), G(op.QHat1[l]), G(op.QHat2[l]), G(op.QTilde1[l]), G(op.QTilde2[l]));
                layers.WriteTo(stdout);
                stdout.WriteLine($"α = {F(shape.Alpha)}   κ₁ = {G(k1)}   κ₂ = {G(k2)}   κ′₁ = {G(op.NtkKappa1)}   κ′₂ = {G(op.NtkKappa2)}");
                stdout.WriteLine($"q* = {(fp.QStar is double q ? G(q) : "none (q grows without bound)")}   χ = {G(fp.Chi)}   phase: {fp.Phase.ToString().ToLowerInvariant()}");
                if (forms is not null)
                {
                    stdout.WriteLine($"closed forms derived by the symbolic layer (q a variance; a, b the variance and covariance of u, v){(forms.Parameters.IsEmpty ? "" : $"; {string.Join(", ", forms.Parameters)} = {F(((ClosedFormGaussianKernel)kernel).Parameter)}")}:");
                    foreach (var (key, _, x) in integrals) stdout.WriteLine($"  {key,-24} = {Infix.format(x)}");
                }
                stdout.WriteLine($"Theorem 3.1 statistics derived from the leading-order dual (depth {shape.Depth}):");
                foreach (var (key, _, x) in derived) stdout.WriteLine($"  {key,-24} = {Infix.format(x)}");
                stdout.WriteLine("Variant statistics derived from their leading-order duals (bulk, mean subtraction of F and Θ, blocks F_ll, input metric A⁰, softmax with measured Q):");
                foreach (var (key, _, x) in variants) stdout.WriteLine($"  {key,-29} = {Infix.format(x)}");
                if (showSteps)
                {
                    int k = 1;
                    foreach (var s in steps)
                    {
                        stdout.WriteLine($"{k++,3}. [{(s.Holds ? "HOLDS" : "FAILS")}] {s.Statement}");
                        stdout.WriteLine($"       by: {s.Evidence}");
                    }
                }
                stdout.WriteLine(holds ? $"derivation: {steps.Count} steps, every check passed (--steps shows each with its evidence)" : "derivation: a step FAILED (run with --steps)");
                break;
        }
        return holds ? Dispatcher.Holds : Dispatcher.ClaimFailed;
    }

    private static (string Key, string Latex, Expression X)[] Integrals(GaussianKernelForms f) =>
    [
        ("mean", "\\int Dz\\, \\phi(\\sqrt{q} z)", f.Mean),
        ("secondMoment", "\\int Dz\\, \\phi(\\sqrt{q} z)^2", f.SecondMoment),
        ("correlation", "I_\\phi[a, b]", f.Correlation),
        ("derivativeSecondMoment", "\\int Dz\\, \\phi'(\\sqrt{q} z)^2", f.DerivativeSecondMoment),
        ("derivativeCorrelation", "I_{\\phi'}[a, b]", f.DerivativeCorrelation),
    ];

    private static (string Key, string Latex, Expression X)[] Statistics(MeanFieldStatisticsDerivation d) =>
    [
        ("alpha", "\\alpha", d.Alpha),
        ("kappa1", "\\kappa_1", d.Kappa1),
        ("kappa2", "\\kappa_2", d.Kappa2),
        ("ntkKappa1", "\\kappa'_1", d.NtkKappa1),
        ("ntkKappa2", "\\kappa'_2", d.NtkKappa2),
        ("mean", "m_\\lambda", d.Mean),
        ("secondMoment", "s_\\lambda", d.SecondMoment),
        ("lambdaMax", "\\lambda_{\\max}", d.LambdaMax),
        ("ntkMean", "m_\\lambda^{\\mathrm{NTK}}", d.NtkMean),
        ("ntkSecondMoment", "s_\\lambda^{\\mathrm{NTK}}", d.NtkSecondMoment),
        ("ntkLambdaMax", "\\lambda_{\\max}^{\\mathrm{NTK}}", d.NtkLambdaMax),
    ];

    /// <summary>The variants' rows: key and LaTeX label (the bulk, mean subtraction of F and Θ, each block F_ll, A⁰, softmax).</summary>
    private static (string Key, string Latex)[] VariantLabels(int depth)
    {
        var rows = new List<(string, string)> { ("regressionBulk", "\\lambda_{\\mathrm{bulk}}") };
        void Add(string key, string label)
        {
            rows.Add((key + "Mean", $"m_\\lambda^{{{label}}}"));
            rows.Add((key + "SecondMoment", $"s_\\lambda^{{{label}}}"));
            rows.Add((key + "LambdaMax", $"\\lambda_{{\\max}}^{{{label}}}"));
        }
        Add("meanSubtracted", "\\bar{F}");
        Add("ntkMeanSubtracted", "\\bar{\\Theta}");
        for (int l = 1; l <= depth; l++) Add($"block{l}", $"F_{{{l}{l}}}");
        Add("inputMetric", "A^0");
        rows.Add(("softmaxMean", "m_\\lambda^{\\mathrm{CE}}"));
        rows.Add(("softmaxSecondMoment", "s_\\lambda^{\\mathrm{CE}}"));
        rows.Add(("softmaxOutlierScale", "\\lambda_j^{\\mathrm{CE}} / \\mu_j"));
        return [.. rows];
    }

    /// <summary>The variants' statistics (rational normal forms; softmax's in the measured Q statistics, its outliers scale·eig Q̄),
    /// keyed as <see cref="VariantLabels"/>, with the steps of their derivations (checked).</summary>
    private static CachedDerivation DeriveVariants(int depth)
    {
        var rows = new List<Tuple<string, Expression>> { Tuple.Create("regressionBulk", RationalFunction.normalFormExpandingFirst(MeanFieldVariantStatistics.bulk.Value)) };
        void Add(string key, DualStatistics d)
        {
            var (m, s, l) = d.Simplified.Value;
            rows.Add(Tuple.Create(key + "Mean", m));
            rows.Add(Tuple.Create(key + "SecondMoment", s));
            rows.Add(Tuple.Create(key + "LambdaMax", l));
        }
        Add("meanSubtracted", MeanFieldVariantStatistics.meanSubtracted.Value);
        Add("ntkMeanSubtracted", MeanFieldVariantStatistics.ntkMeanSubtracted.Value);
        for (int l = 1; l <= depth; l++) Add($"block{l}", MeanFieldVariantStatistics.block(depth, l));
        Add("inputMetric", MeanFieldVariantStatistics.inputMetric.Value);
        var softmax = SoftmaxStatistics.derivation.Value;
        var (sm, ss, scale) = softmax.Simplified.Value;
        rows.Add(Tuple.Create("softmaxMean", sm));
        rows.Add(Tuple.Create("softmaxSecondMoment", ss));
        rows.Add(Tuple.Create("softmaxOutlierScale", scale));
        var steps = MeanFieldVariantStatistics.steps(depth).Concat(softmax.Steps.Value);
        return new CachedDerivation(ListModule.OfSeq(rows), ListModule.OfSeq(steps));
    }

    private static void Optional(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsNaN(v)) w.WriteNull(name); else w.Number(name, v);
    }

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
    private static string G(double v) => double.IsNaN(v) ? "—" : v.ToString("G10", CultureInfo.InvariantCulture);
    private static string L(double v) => double.IsNaN(v) ? "-" : v.ToString("G10", CultureInfo.InvariantCulture);
}

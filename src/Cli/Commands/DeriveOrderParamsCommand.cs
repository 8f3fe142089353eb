using System.Globalization;
using System.Text.Json;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.MeanField;

namespace FimVerify.Cli.Commands;

/// <summary>`derive order-params`: the mean-field recurrences of MATH.md §2, layer by layer, with κ₁, κ₂, α and χ.</summary>
public sealed class DeriveOrderParamsCommand : ICommand
{
    public string Path => "derive order-params";
    public string Summary => "Mean-field order parameters q, q̂, q̃ layer by layer, κ₁, κ₂, α, the fixed point q* and χ (MATH.md §2).";
    public string Help => $"""
        Usage: fimverify derive order-params --activation A --depth L --sigma-w2 X --sigma-b2 Y [--widths a0,…] [--format text|json]
        {MeanFieldOptions.Synopsis}  --format F       text (default) or json:
                           {"{"}"layers":[{"{"}"l","q1","q2","qhat1","qhat2","qtilde1","qtilde2"{"}"}],"alpha","kappa1","kappa2","chi",…{"}"}
        Layers run l = 0…L; a quantity that does not exist at a layer is null (q at l = 0, q̂ at the linear output l = L).
        ReLU, leaky ReLU, linear and erf use closed forms; other activations use Gauss–Hermite quadrature with an
        error estimate from two orders (exit 2 if it does not converge).
        Example: fimverify derive order-params --activation tanh --depth 3 --sigma-w2 3 --sigma-b2 0.64 --format json
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        var (activation, shape) = MeanFieldOptions.Read(args);
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        args.EnsureAllUsed();

        var kernel = GaussianKernels.For(activation);
        var op = OrderParameters.Compute(kernel, shape);
        var fp = FixedPoint.Solve(kernel, shape.SigmaW2, shape.SigmaB2, MeanFieldOptions.IsHomogeneous(activation));
        double k1 = shape.Depth >= 2 ? op.Kappa1 : double.NaN, k2 = shape.Depth >= 2 ? op.Kappa2 : double.NaN;

        if (format == OutputFormat.Json)
        {
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
                w.WriteEndObject();
            }));
            return Dispatcher.Holds;
        }
        stdout.WriteLine($"activation {activation.Name} ({kernel.Method}), depth L = {shape.Depth}, σ_w² = {F(shape.SigmaW2)}, σ_b² = {F(shape.SigmaB2)}, α_l = {string.Join(",", shape.WidthRatios.Select(F))}");
        stdout.WriteLine($"{"l",3} {"q1",14} {"q2",14} {"qhat1",14} {"qhat2",14} {"qtilde1",14} {"qtilde2",14}");
        for (int l = 0; l <= shape.Depth; l++)
            stdout.WriteLine($"{l,3} {G(op.Q1[l]),14} {G(op.Q2[l]),14} {G(op.QHat1[l]),14} {G(op.QHat2[l]),14} {G(op.QTilde1[l]),14} {G(op.QTilde2[l]),14}");
        stdout.WriteLine($"α = {F(shape.Alpha)}   κ₁ = {G(k1)}   κ₂ = {G(k2)}   κ′₁ = {G(op.NtkKappa1)}   κ′₂ = {G(op.NtkKappa2)}");
        stdout.WriteLine($"q* = {(fp.QStar is double q ? G(q) : "none (q grows without bound)")}   χ = {G(fp.Chi)}   phase: {fp.Phase.ToString().ToLowerInvariant()}");
        return Dispatcher.Holds;
    }

    private static void Optional(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsNaN(v)) w.WriteNull(name); else w.Number(name, v);
    }

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
    private static string G(double v) => double.IsNaN(v) ? "—" : v.ToString("G10", CultureInfo.InvariantCulture);
}

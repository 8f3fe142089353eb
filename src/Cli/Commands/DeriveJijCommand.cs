using System.Globalization;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Symbolic;

namespace FimVerify.Cli.Commands;

/// <summary>`derive jij`: the exact power series of κ, i.e. of J_ij/A_ij in t_ij, derived from the arcsin series.</summary>
public sealed class DeriveJijCommand : ICommand
{
    public string Path => "derive jij";
    public string Summary => "Exact power series of the Lemma 1 kernel κ(t), J_ij = A_ij κ(t_ij), derived from arcsin.";
    public string Help => """
        Usage: fimverify derive jij [--terms N] [--format text|latex|json]
          --terms N    number of series orders t^0 … t^(N−1) to derive (default 10, at most 5000)
          --format F   text (default), latex, or json: {"terms":[{"power":k,"exact":"1/(4*pi)","value":…}]}
        Zero coefficients are omitted; every coefficient is exact, a rational times a power of π.
        Example: fimverify derive jij --terms 10 --format json
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        int terms = args.Int("--terms", 10, 1, 5000);
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Latex, OutputFormat.Json);
        args.EnsureAllUsed();

        var series = ReluKernelSeries.terms(terms);
        switch (format)
        {
            case OutputFormat.Json:
                stdout.WriteLine(JsonOutput.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("terms");
                    foreach (var (power, c) in series)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("power", power);
                        w.WriteString("exact", c.ToString());
                        w.Number("value", c.ToDouble());
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }));
                break;
            case OutputFormat.Latex:
                var parts = series.Select(t => t.Item1 switch
                {
                    0 => t.Item2.ToLatex(),
                    1 => $"{t.Item2.ToLatex()}\\,t",
                    var k => $"{t.Item2.ToLatex()}\\,t^{{{k}}}",
                });
                stdout.WriteLine($"\\kappa(t) = {string.Join(" + ", parts)} + O(t^{{{terms}}})");
                break;
            default:
                stdout.WriteLine("κ(t) = (1/2π)((π − arccos t)·t + √(1 − t²)),  J_ij = A_ij·κ(t_ij),  t_ij = cos θ_ij");
                stdout.WriteLine($"derived from arcsin t = ∫(1 − s²)^(−1/2) ds; exact through t^{terms - 1}");
                stdout.WriteLine($"{"power",5}  {"exact",-40} {"value",24}");
                foreach (var (power, c) in series)
                    stdout.WriteLine($"{power,5}  {c,-40} {c.ToDouble().ToString("R", CultureInfo.InvariantCulture),24}");
                break;
        }
        return 0;
    }
}

using System.Text.RegularExpressions;

namespace FimVerify.Numeric.Claims;

/// <summary>What a plot shows of each claim at each size: the mean ratio statistic/predicted (limits), or the mean statistic.</summary>
public enum PlotQuantity { Ratio, Measured }

/// <summary>
/// A [[plot]] of a claim file: one series per claim (its <see cref="ClaimDefinition.Label"/> in the legend), the claim's mean
/// <see cref="Quantity"/> against its sizes (on a log₂ axis by default), an optional dashed reference line (1 for ratios). Series
/// of one instance share a colour; within an instance the first is drawn thick with filled markers, the others thin with open
/// ones. The report draws it as NAME.png and NAME.svg.
/// </summary>
public sealed partial record ClaimPlot(string Name, int Line, string Title, IReadOnlyList<ClaimDefinition> Series, PlotQuantity Quantity, bool LogSize,
    string XLabel, string YLabel, double? Reference, string? ReferenceLabel)
{
    public static readonly IReadOnlyList<string> Keys = ["name", "title", "claims", "y", "x", "x_label", "y_label", "reference", "reference_label"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();

    /// <summary>The plot, or null when a selection left none of its claims to run.</summary>
    /// <param name="selection">An instance selection is in force: claims it left out are left out of the plot.</param>
    public static ClaimPlot? Read(ClaimFieldReader f, IReadOnlyList<ClaimDefinition> claims, bool selection)
    {
        string name = f.RequiredString("name");
        if (!NamePattern().IsMatch(name)) throw f.Error("name", $"a plot's name is a file name of letters, digits, '_' and '-', but is \"{name}\"");
        string title = f.OptionalString("title") ?? name;
        var field = f.Field("claims") ?? throw f.Error("the key 'claims' is required: the claims to plot, one series each.");
        if (field.Value is not IEnumerable<object> list || field.Value is string || list.Any(x => x is not string) || !list.Any())
            throw f.Error("claims", "lists the names of the claims to plot, such as [\"a\", \"b\"]");
        var quantity = f.Choice("y", ["ratio", "measured"], "ratio") == "ratio" ? PlotQuantity.Ratio : PlotQuantity.Measured;
        bool log = f.Choice("x", ["log2", "linear"], "log2") == "log2";
        var series = new List<ClaimDefinition>();
        foreach (string n in list.Cast<string>())
        {
            var claim = claims.FirstOrDefault(c => c.Name == n);
            if (claim is null)
            {
                if (selection) continue;
                throw f.Error("claims", $"'{n}' is not a claim of the file");
            }
            if (claim.Statistic is null) throw f.Error("claims", $"'{n}' measures nothing itself (it holds others simultaneously), so it has no series");
            if (quantity == PlotQuantity.Ratio && claim.Limit is null) throw f.Error("claims", $"'{n}' is not a limit, so it has no ratio to plot; use y = \"measured\"");
            series.Add(claim);
        }
        double? reference = f.OptionalDouble("reference");
        string? referenceLabel = f.OptionalString("reference_label");
        string size = series.Count > 0 ? series[0].Model.SizeSymbol : "size";
        string xLabel = f.OptionalString("x_label") ?? (log ? $"log₂ {size}" : size);
        string yLabel = f.OptionalString("y_label") ?? (quantity == PlotQuantity.Ratio ? "measured / predicted" : "measured");
        f.EnsureAllUsed(Keys);
        return series.Count == 0 ? null : new ClaimPlot(name, f.Line, title, series, quantity, log, xLabel, yLabel, reference, referenceLabel);
    }
}

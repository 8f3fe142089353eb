using FimVerify.Numeric.Claims;
using ScottPlot;

namespace FimVerify.Cli.Plots;

/// <summary>
/// A claim file's [[plot]] drawn from its results: one series per claim, its mean ratio (or mean statistic) at each size; series
/// of one instance in one colour, the instance's first series thick with filled markers and the others thin with open ones
/// (patterned scatter lines upset the SVG backend); a dashed reference line when the plot states one.
/// </summary>
public static class ClaimPlotFigure
{
    public static IReadOnlyList<string> Save(ClaimPlot definition, ClaimFileResult result, string directory)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var instances = definition.Series.Select(c => c.Instance).Distinct().ToList();
        var seen = new HashSet<ClaimInstance>();
        foreach (var claim in definition.Series)
        {
            var r = result.Claims.First(x => x.Claim == claim);
            var xs = r.Points.Select(p => definition.LogSize ? Math.Log2(p.Point.Size) : p.Point.Size).ToArray();
            var ys = r.Points.Select(p => definition.Quantity == PlotQuantity.Ratio ? p.Ratio!.Mean : p.Statistic!.Mean).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            bool first = seen.Add(claim.Instance);
            line.LegendText = claim.Label;
            line.Color = palette.GetColor(instances.IndexOf(claim.Instance));
            line.LineWidth = first ? 2f : 1f;
            line.MarkerShape = first ? MarkerShape.FilledCircle : MarkerShape.OpenCircle;
            line.MarkerSize = 7;
        }
        if (definition.Reference is double reference)
        {
            var one = plot.Add.HorizontalLine(reference);
            one.LegendText = definition.ReferenceLabel ?? "";
            one.LinePattern = LinePattern.Dashed;
            one.Color = Colors.Black;
        }
        plot.Title(definition.Title);
        plot.XLabel(definition.XLabel);
        plot.YLabel(definition.YLabel);
        plot.ShowLegend(Alignment.UpperRight);
        return FigureFiles.Save(plot, directory, definition.Name);
    }
}

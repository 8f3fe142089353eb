using ScottPlot;

namespace FimVerify.Cli.Plots;

/// <summary>A theoretical eigenvalue level drawn over a spectrum, optionally with the lower bound below it.</summary>
public sealed record SpectrumLevel(string Label, double Value);

/// <summary>Eigenvalues in descending order on a log scale, with the theory's levels drawn in.</summary>
public static class SpectrumPlot
{
    public static Plot Create(string title, IReadOnlyList<double> eigenvaluesDescending, IEnumerable<SpectrumLevel> levels, int? show = null)
    {
        int n = Math.Min(show ?? eigenvaluesDescending.Count, eigenvaluesDescending.Count);
        var positive = Enumerable.Range(0, n).Where(k => eigenvaluesDescending[k] > 0).ToArray();
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(
            positive.Select(k => (double)(k + 1)).ToArray(),
            positive.Select(k => Math.Log10(eigenvaluesDescending[k])).ToArray());
        points.LegendText = n < eigenvaluesDescending.Count ? $"eigenvalues (largest {n})" : "eigenvalues";
        points.MarkerSize = 5;
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 1;
        foreach (var level in levels)
        {
            if (level.Value <= 0) continue;
            var line = plot.Add.HorizontalLine(Math.Log10(level.Value));
            line.LegendText = level.Label;
            line.Color = palette.GetColor(colour++);
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 1.5f;
        }
        plot.Title(title);
        plot.XLabel("index k (eigenvalues in descending order)");
        plot.YLabel("log₁₀ λ_k (dimensionless)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}

using System.Globalization;
using System.Text;
using FimVerify.Numeric.Files;
using FimVerify.Numeric.Operators;
using FimVerify.Numeric.Spectra;
using ScottPlot;

namespace FimVerify.Cli.Plots;

/// <summary>
/// Seed 003's figure: one panel per Fisher variant (rows exact / MC / empirical, columns full / layer-wise),
/// log₁₀ of the broadened density against the eigenvalue, the SLQ curve drawn over the exact one.
/// Densities are floored at 10⁻¹⁰ of their peak before the logarithm so that empty stretches stay finite.
/// </summary>
public static class DensityFigure
{
    private const int PanelWidth = 520, PanelHeight = 380;
    public const double RelativeFloor = 1e-10;

    public static void Save(IReadOnlyList<FisherDensityPanel> panels, string path, string caption)
    {
        var rows = panels.Select(p => p.Kind).Distinct().ToList();
        var columns = panels.Select(p => p.Blocks).Distinct().ToList();
        var plots = new Plot[rows.Count, columns.Count];
        foreach (var panel in panels)
            plots[rows.IndexOf(panel.Kind), columns.IndexOf(panel.Blocks)] = Panel(panel);
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < columns.Count; c++)
                plots[r, c] ??= Absent(rows[r], columns[c]);
        // One eigenvalue axis per row, so that the layer-wise spectrum's narrower range shows against the full one.
        foreach (var kind in rows)
        {
            var row = panels.Where(p => p.Kind == kind).ToArray();
            double lo = row.Min(p => p.Density.Grid.Lower), hi = row.Max(p => p.Density.Grid.Upper);
            foreach (var p in row) plots[rows.IndexOf(kind), columns.IndexOf(p.Blocks)].Axes.SetLimitsX(lo, hi);
        }
        if (caption.Length > 0) plots[rows.Count - 1, columns.Count - 1].XLabel(plots[rows.Count - 1, columns.Count - 1].Axes.Bottom.Label.Text + "\n" + caption, 11);
        int width = PanelWidth * columns.Count, height = PanelHeight * rows.Count;
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            // One SVG holding each panel's own SVG as a positioned nested document.
            var svg = new StringBuilder();
            svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n");
            for (int r = 0; r < rows.Count; r++)
                for (int c = 0; c < columns.Count; c++)
                {
                    string inner = plots[r, c].GetSvgXml(PanelWidth, PanelHeight);
                    int open = inner.IndexOf("<svg", StringComparison.Ordinal);
                    inner = inner[open..].Insert(4, $" x=\"{c * PanelWidth}\" y=\"{r * PanelHeight}\"");
                    svg.Append(inner).Append('\n');
                }
            svg.Append("</svg>\n");
            OutputFile.WriteText(path, svg.ToString(), $"the plot '{path}'");
        }
        else if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            var multiplot = new Multiplot();
            foreach (var empty in multiplot.GetPlots().ToArray()) multiplot.RemovePlot(empty); // it starts with one blank plot
            for (int r = 0; r < rows.Count; r++)
                for (int c = 0; c < columns.Count; c++) multiplot.AddPlot(plots[r, c]);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows.Count, columns.Count);
            OutputFile.WriteVia(path, $"the plot '{path}'", temporary => multiplot.SavePng(temporary, width, height));
        }
        else throw new ArgumentException($"the plot file must end in .png or .svg, but is '{path}'");
    }

    /// <summary>A blank cell for a combination that does not exist (K-FAC with full blocks).</summary>
    private static Plot Absent(FisherKind kind, FisherBlocks blocks)
    {
        var plot = new Plot();
        plot.Title($"fisher_{Name(kind)} / {(blocks == FisherBlocks.Full ? "full" : "layer_wise")}: none", 13);
        var text = plot.Add.Text(kind == FisherKind.KroneckerFactored ? "K-FAC is layer-wise by construction" : "not computed", 0, 0);
        text.LabelFontSize = 14;
        text.LabelAlignment = Alignment.MiddleCenter;
        plot.HideGrid();
        plot.Axes.SetLimits(-1, 1, -1, 1);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.EmptyTickGenerator();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.EmptyTickGenerator();
        return plot;
    }

    private static Plot Panel(FisherDensityPanel panel)
    {
        var plot = new Plot();
        var x = panel.Density.Grid.Points();
        string method = panel.Density.Rules.Count == 1 && panel.Exact is not null && panel.Density.Rules[0] == panel.Exact.Rules[0] ? "exact" : $"SLQ ({panel.Density.Rules.Count} probes)";
        if (panel.Exact is not null && method != "exact")
        {
            var exact = plot.Add.ScatterLine(x, Log(panel.Exact.Values));
            exact.LegendText = "exact eigenvalues"; exact.Color = Colors.DarkOrange; exact.LineWidth = 2.5f;
        }
        var estimate = plot.Add.ScatterLine(x, Log(panel.Density.Values));
        estimate.LegendText = method == "exact" ? "exact eigenvalues" : method;
        estimate.Color = method == "exact" ? Colors.DarkOrange : Colors.SteelBlue;
        estimate.LineWidth = 1.5f;
        if (method != "exact") estimate.LinePattern = LinePattern.Dashed;
        plot.Title($"fisher_{Name(panel.Kind)} / {(panel.Blocks == FisherBlocks.Full ? "full" : "layer_wise")}  (P = {panel.Dimension})", 13);
        plot.XLabel($"eigenvalue  (σ = {panel.Density.Sigma.ToString("G3", CultureInfo.InvariantCulture)})", 12);
        plot.YLabel("log₁₀ density (per unit eigenvalue)", 12);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 11;
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.FontSize = 11;
        double top = Math.Log10(Math.Max(panel.Density.Values.Max(), panel.Exact?.Values.Max() ?? 0));
        plot.Axes.SetLimitsY(top + Math.Log10(RelativeFloor) - 0.5, top + 0.8);
        return plot;
    }

    public static string Name(FisherKind kind) => kind switch
    {
        FisherKind.Exact => "exact",
        FisherKind.MonteCarlo => "mc",
        FisherKind.Empirical => "emp",
        _ => "kfac",
    };

    private static double[] Log(double[] values)
    {
        double floor = values.Max() * RelativeFloor;
        return values.Select(v => Math.Log10(Math.Max(v, floor))).ToArray();
    }
}

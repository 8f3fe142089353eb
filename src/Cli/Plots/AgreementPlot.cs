using ScottPlot;

namespace FimVerify.Cli.Plots;

/// <summary>Estimate against theory, one point per entry, with the identity line: agreement at a glance.</summary>
public static class AgreementPlot
{
    public static Plot Create(string title, string theoryLabel, string estimateLabel, double[] theory, double[] estimate)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(theory, estimate);
        points.LegendText = "matrix entries";
        points.MarkerSize = 3;
        double lo = Math.Min(theory.Min(), estimate.Min()), hi = Math.Max(theory.Max(), estimate.Max());
        var diagonal = plot.Add.Line(lo, lo, hi, hi);
        diagonal.LegendText = "estimate = theory";
        diagonal.LinePattern = LinePattern.Dashed;
        plot.Title(title);
        plot.XLabel(theoryLabel);
        plot.YLabel(estimateLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}

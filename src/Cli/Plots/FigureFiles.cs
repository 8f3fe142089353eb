using ScottPlot;

namespace FimVerify.Cli.Plots;

/// <summary>Saves a figure as PNG and SVG side by side and returns the two file names (relative to its folder).</summary>
public static class FigureFiles
{
    public const int Width = 900, Height = 560;

    public static IReadOnlyList<string> Save(Plot plot, string directory, string baseName)
    {
        Directory.CreateDirectory(directory);
        string png = baseName + ".png", svg = baseName + ".svg";
        plot.SavePng(Path.Combine(directory, png), Width, Height);
        plot.SaveSvg(Path.Combine(directory, svg), Width, Height);
        return [png, svg];
    }
}

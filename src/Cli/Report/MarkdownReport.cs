using System.Text;

namespace FimVerify.Cli.Report;

/// <summary>report.md: one section per theorem with statement, parameters, table, verdict and plots.</summary>
public static class MarkdownReport
{
    public static string Render(IReadOnlyList<ReportSection> sections, string header)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# FimVerify report").AppendLine().AppendLine(header).AppendLine();
        sb.AppendLine("| section | verdict | time |").AppendLine("|---|---|---|");
        foreach (var s in sections) sb.AppendLine($"| [{s.Title}](#{s.Id}) | {Word(s.Verdict)} | {s.Seconds:F1} s |");
        foreach (var s in sections)
        {
            sb.AppendLine().AppendLine($"<a id=\"{s.Id}\"></a>").AppendLine($"## {s.Title}").AppendLine();
            sb.AppendLine(s.Statement).AppendLine();
            if (s.Parameters.Count > 0)
                sb.AppendLine("Parameters: " + string.Join(", ", s.Parameters.Select(p => $"{p.Key} = {p.Value}"))).AppendLine();
            if (s.Table.Header.Count > 0)
            {
                sb.AppendLine("| " + string.Join(" | ", s.Table.Header.Select(Escape)) + " |");
                sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", s.Table.Header.Count)));
                foreach (var row in s.Table.Rows) sb.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
                sb.AppendLine();
            }
            sb.AppendLine($"**Verdict: {Word(s.Verdict)}**").AppendLine();
            if (s.Notes is not null) sb.AppendLine(s.Notes).AppendLine();
            foreach (var plot in s.Plots) sb.AppendLine($"![{s.Title}]({plot})").AppendLine();
        }
        return sb.ToString();
    }

    public static string Word(SectionVerdict v) => v.ToString().ToUpperInvariant();

    private static string Escape(string cell) => cell.Replace("|", "\\|");
}

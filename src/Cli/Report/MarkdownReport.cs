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
            Table(sb, s.Table);
            if (s.Claims.Count > 0 && !s.ClaimsInTable)
            {
                sb.AppendLine("Claims and power:").AppendLine();
                Table(sb, new ReportTable(ClaimSections.DecisionHeader, s.Claims.Select(ClaimSections.DecisionRow).ToList()));
            }
            sb.AppendLine($"**Verdict: {Word(s.Verdict)}**").AppendLine();
            if (s.Notes is not null) sb.AppendLine(s.Notes).AppendLine();
            foreach (var plot in s.Plots) sb.AppendLine($"![{s.Title}]({plot})").AppendLine();
        }
        return sb.ToString();
    }

    public static string Word(SectionVerdict v) => v.ToString().ToUpperInvariant();

    private static void Table(StringBuilder sb, ReportTable table)
    {
        if (table.Header.Count == 0) return;
        sb.AppendLine("| " + string.Join(" | ", table.Header.Select(Escape)) + " |");
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", table.Header.Count)));
        foreach (var row in table.Rows) sb.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
        sb.AppendLine();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|");
}

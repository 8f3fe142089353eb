using System.Net;
using System.Text;

namespace FimVerify.Cli.Report;

/// <summary>report.html: the same content as report.md, self-contained but for the plot files beside it.</summary>
public static class HtmlReport
{
    public static string Render(IReadOnlyList<ReportSection> sections, string header)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>FimVerify report</title>");
        sb.AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
            + "th{background:#f3f3f3}.PASS{color:#176f2c;font-weight:bold}.FAIL{color:#b00020;font-weight:bold}"
            + ".VACUOUS{color:#8a6d00;font-weight:bold}.INFO{color:#345;font-weight:bold}.UNDECIDED{color:#a04a00;font-weight:bold}"
            + ".UNDERPOWERED{color:#a04a00;font-weight:bold}img{max-width:100%;border:1px solid #eee}"
            + "pre{white-space:pre-wrap}</style></head><body>");
        sb.AppendLine($"<h1>FimVerify report</h1><p>{E(header)}</p><table><tr><th>section</th><th>verdict</th><th>time</th></tr>");
        foreach (var s in sections)
        {
            string w = MarkdownReport.Word(s.Verdict);
            sb.AppendLine($"<tr><td style=\"text-align:left\"><a href=\"#{s.Id}\">{E(s.Title)}</a></td><td class=\"{w}\">{w}</td><td>{s.Seconds:F1} s</td></tr>");
        }
        sb.AppendLine("</table>");
        foreach (var s in sections)
        {
            string w = MarkdownReport.Word(s.Verdict);
            sb.AppendLine($"<h2 id=\"{s.Id}\">{E(s.Title)}</h2><pre>{E(s.Statement)}</pre>");
            if (s.Parameters.Count > 0)
                sb.AppendLine("<p>Parameters: " + E(string.Join(", ", s.Parameters.Select(p => $"{p.Key} = {p.Value}"))) + "</p>");
            Table(sb, s.Table);
            if (s.Claims.Count > 0 && !s.ClaimsInTable)
            {
                sb.AppendLine("<p>Claims and power:</p>");
                Table(sb, new ReportTable(ClaimSections.DecisionHeader, s.Claims.Select(ClaimSections.DecisionRow).ToList()));
            }
            sb.AppendLine($"<p>Verdict: <span class=\"{w}\">{w}</span></p>");
            if (s.Notes is not null) sb.AppendLine($"<p>{E(s.Notes)}</p>");
            foreach (var plot in s.Plots) sb.AppendLine($"<p><img src=\"{E(plot)}\" alt=\"{E(s.Title)}\"></p>");
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    private static void Table(StringBuilder sb, ReportTable table)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        if (table.Header.Count == 0) return;
        sb.Append("<table><tr>");
        foreach (var h in table.Header) sb.Append($"<th>{E(h)}</th>");
        sb.AppendLine("</tr>");
        foreach (var row in table.Rows)
        {
            sb.Append("<tr>");
            foreach (var c in row) sb.Append($"<td>{E(c)}</td>");
            sb.AppendLine("</tr>");
        }
        sb.AppendLine("</table>");
    }
}

using System.Globalization;
using System.Xml.Linq;

namespace FimVerify.Cli.Report;

/// <summary>JUnit XML with one test case per section, so CI systems show the claims natively.</summary>
public static class JunitReport
{
    public static XDocument Render(IReadOnlyList<ReportSection> sections)
    {
        var c = CultureInfo.InvariantCulture;
        var suite = new XElement("testsuite",
            new XAttribute("name", "fimverify"),
            new XAttribute("tests", sections.Count),
            new XAttribute("failures", sections.Count(s => s.Verdict == SectionVerdict.Fail)),
            new XAttribute("skipped", sections.Count(s => s.Verdict == SectionVerdict.Undecided)),
            new XAttribute("time", sections.Sum(s => s.Seconds).ToString("F3", c)));
        foreach (var s in sections)
        {
            var testCase = new XElement("testcase",
                new XAttribute("classname", "fimverify." + s.Id),
                new XAttribute("name", s.Title),
                new XAttribute("time", s.Seconds.ToString("F3", c)));
            string detail = string.Join(Environment.NewLine, s.Table.Rows.Select(r => string.Join("  ", r)));
            if (s.Verdict == SectionVerdict.Fail)
                testCase.Add(new XElement("failure", new XAttribute("message", $"{s.Title}: a claim failed its decision rule"), detail));
            else if (s.Verdict == SectionVerdict.Undecided)
                testCase.Add(new XElement("skipped", new XAttribute("message", $"{s.Title}: a claim could not be decided (certified intervals straddle its threshold)")));
            // A vacuous bound claims nothing; it passes, and says so where CI shows output.
            testCase.Add(new XElement("system-out", $"verdict {MarkdownReport.Word(s.Verdict)}{Environment.NewLine}{detail}"));
            suite.Add(testCase);
        }
        return new XDocument(new XElement("testsuites", suite));
    }
}

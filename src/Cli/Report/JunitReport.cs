using System.Globalization;
using System.Xml.Linq;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Report;

/// <summary>
/// JUnit XML with one test case per decided claim (classname "fimverify.SECTION", name "SECTION: CLAIM"), so CI systems show
/// each claim natively: FAIL is a &lt;failure&gt;, UNDERPOWERED and UNDECIDED are &lt;skipped&gt; with the reason (what would give
/// power, what is left open), PASS and VACUOUS pass with the detail in &lt;system-out&gt;. A section without claims (a
/// derivation or measurement, INFO) is one test case. A section's time is shared equally by its claims' cases.
/// </summary>
public static class JunitReport
{
    public static XDocument Render(IReadOnlyList<ReportSection> sections)
    {
        var c = CultureInfo.InvariantCulture;
        var cases = new List<XElement>();
        foreach (var s in sections)
        {
            if (s.Claims.Count == 0)
            {
                string detail = string.Join(Environment.NewLine, s.Table.Rows.Select(r => string.Join("  ", r)));
                var testCase = Case(s.Id, s.Title, s.Seconds);
                if (s.Verdict == SectionVerdict.Fail)
                    testCase.Add(new XElement("failure", new XAttribute("message", $"{s.Title}: a claim failed its decision rule"), detail));
                else if (s.Verdict is SectionVerdict.Undecided or SectionVerdict.Underpowered)
                    testCase.Add(new XElement("skipped", new XAttribute("message", $"{s.Title}: {MarkdownReport.Word(s.Verdict)}")));
                testCase.Add(new XElement("system-out", $"verdict {MarkdownReport.Word(s.Verdict)}{Environment.NewLine}{detail}"));
                cases.Add(testCase);
                continue;
            }
            double seconds = s.Seconds / s.Claims.Count;
            foreach (var d in s.Claims)
            {
                var testCase = Case(s.Id, $"{s.Id}: {d.Name}", seconds);
                string text = $"{d.Statement}{Environment.NewLine}rule: {d.Rule}{Environment.NewLine}measured: {d.Detail}{Environment.NewLine}power: {d.PowerText}";
                switch (d.Verdict)
                {
                    case Verdict.Fail:
                        testCase.Add(new XElement("failure", new XAttribute("message", $"{d.Name}: refuted by its decision rule ({d.Rule})"), text));
                        break;
                    case Verdict.Underpowered:
                        testCase.Add(new XElement("skipped", new XAttribute("message", $"UNDERPOWERED: {d.Name} could not have been refuted at these sizes ({d.PowerText})")));
                        break;
                    case Verdict.Undecided:
                        testCase.Add(new XElement("skipped", new XAttribute("message", $"UNDECIDED: {d.Name}: some trials' certified intervals straddle the threshold and the two completions disagree")));
                        break;
                }
                testCase.Add(new XElement("system-out", $"verdict {ClaimReport.VerdictWord(d.Verdict)}{Environment.NewLine}{text}"));
                cases.Add(testCase);
            }
        }
        var suite = new XElement("testsuite",
            new XAttribute("name", "fimverify"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(x => x.Element("failure") is not null)),
            new XAttribute("skipped", cases.Count(x => x.Element("skipped") is not null)),
            new XAttribute("time", sections.Sum(s => s.Seconds).ToString("F3", c)));
        suite.Add(cases);
        return new XDocument(new XElement("testsuites", suite));

        XElement Case(string id, string name, double time) => new("testcase",
            new XAttribute("classname", "fimverify." + id),
            new XAttribute("name", name),
            new XAttribute("time", time.ToString("F3", c)));
    }
}

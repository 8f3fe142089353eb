using FimVerify.Cli.Report;
using FimVerify.Numeric.Verification;
using Xunit;

namespace FimVerify.Numeric.Tests.Cli;

/// <summary>A section's verdict from its claims' verdicts: a refutation wins, an undecided claim is never shown as PASS.</summary>
public class ClaimSectionsTests
{
    private static readonly Claim Sure = Claim.Always("sure", "holds in every trial");
    private static readonly Claim Vacuous = new("vacuous", "a bound ≥ 1 says nothing", 1.5);

    [Fact]
    public void AnUndecidedClaimMakesTheSectionUndecidedNotPass()
    {
        var pass = ClaimVerdict.Decide(Sure, 0, 0, 50, 1e-6);
        var undecided = ClaimVerdict.Decide(Sure, 0, 2, 50, 1e-6); // 0 certain failures, 2 trials unknown: PASS or FAIL
        Assert.Equal(Verdict.Undecided, undecided.Verdict);
        Assert.Equal(SectionVerdict.Pass, ClaimSections.Verdict([pass]));
        Assert.Equal(SectionVerdict.Undecided, ClaimSections.Verdict([pass, undecided]));
    }

    [Fact]
    public void AFailureOutranksAnUndecidedClaimAndAllVacuousIsVacuous()
    {
        var fail = ClaimVerdict.Decide(Sure, 1, 0, 50, 1e-6);
        var undecided = ClaimVerdict.Decide(Sure, 0, 2, 50, 1e-6);
        var vacuous = ClaimVerdict.Decide(Vacuous, 10, 0, 50, 1e-6);
        Assert.Equal(SectionVerdict.Fail, ClaimSections.Verdict([undecided, fail]));
        Assert.Equal(SectionVerdict.Vacuous, ClaimSections.Verdict([vacuous]));
        Assert.Equal(SectionVerdict.Undecided, ClaimSections.Verdict([vacuous, undecided]));
    }

    [Fact]
    public void JunitMarksAnUndecidedSectionSkippedAndAFailedOneFailed()
    {
        ReportSection Section(string id, SectionVerdict v) =>
            new(id, id, "statement", [], ReportTable.Empty, v, [], new System.Text.Json.Nodes.JsonObject());
        var xml = JunitReport.Render([Section("a", SectionVerdict.Undecided), Section("b", SectionVerdict.Fail), Section("c", SectionVerdict.Pass)]).ToString();
        Assert.Contains("skipped=\"1\"", xml);
        Assert.Contains("failures=\"1\"", xml);
        Assert.Contains("<skipped message=", xml);
    }

    [Fact]
    public void JunitHasOneCasePerClaimAndSkipsTheUnderpoweredWithTheReason()
    {
        var pass = ClaimDecision.Of(ClaimVerdict.Decide(Sure, 0, 50, 1e-6));
        var fail = ClaimDecision.Of(ClaimVerdict.Decide(Sure, 1, 50, 1e-6));
        var weak = ClaimDecision.Of(ClaimVerdict.Decide(new Claim("weak", "bound 0.73 with 8 trials", 0.73), 8, 8, 1e-6));
        Assert.Equal(Verdict.Underpowered, weak.Verdict);
        Assert.Equal(SectionVerdict.Underpowered, ClaimSections.Verdict([pass, weak]));
        Assert.Equal(SectionVerdict.Fail, ClaimSections.Verdict([pass, weak, fail]));
        var section = new ReportSection("theorem3", "Theorem 3", "statement", [], ReportTable.Empty, ClaimSections.Verdict([pass, fail, weak]), [],
            new System.Text.Json.Nodes.JsonObject(), Seconds: 3) { Claims = [pass, fail, weak] };
        var cases = JunitReport.Render([section]).Descendants("testcase").ToList();
        Assert.Equal(["theorem3: sure", "theorem3: sure", "theorem3: weak"], cases.Select(c => c.Attribute("name")!.Value));
        Assert.NotNull(cases[1].Element("failure"));
        var skipped = cases[2].Element("skipped");
        Assert.NotNull(skipped);
        Assert.Contains("UNDERPOWERED", skipped!.Attribute("message")!.Value);
        Assert.Contains("44 trials", skipped.Attribute("message")!.Value); // 0.73^44 < 1e-6 ≤ 0.73^43
        Assert.Null(cases[0].Element("failure") ?? cases[0].Element("skipped"));
    }
}

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
}

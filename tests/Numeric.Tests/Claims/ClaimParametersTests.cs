using FimVerify.Cli.Claims;
using FimVerify.Numeric.Claims;
using Xunit;

namespace FimVerify.Numeric.Tests.Claims;

/// <summary>
/// A claim file's [parameters]: defaults, quick defaults, values a run gives (a report suite's fields), ranges whose bounds are
/// expressions of earlier parameters, and the substitution of "${name}" into the file.
/// </summary>
public class ClaimParametersTests
{
    private const string Text = """
        title = "widths ${min_width} to ${max_width}"

        [parameters]
        min_width = { value = 125, quick = 100, min = 50, max = 2000 }
        max_width = { value = 2000, quick = 400, min = "2*${min_width}", max = 4000 }
        alpha = { value = 0.001, min = 1e-300, max = 0.25 }
        trials = { value = 8, quick = 2, min = 2, max = 100 }

        [[claim]]
        name = "relu-mean"
        model = "mlp"
        activation = "relu"
        depth = 3
        samples = 4
        outputs = 2
        sigma_w2 = 2.0
        sigma_b2 = 0.1
        matrix = "fim"
        statistic = "mean"
        relation = "ratio-tends-to-1"
        predicted = "kappa1*C/M"
        sweep = { M = { from = "${min_width}", to = "${max_width}", factor = 2 } }
        trials = "${trials}"
        alpha = "${alpha}"
        """;

    private static ClaimDocument Document() => TomlClaimReader.Read("widths.toml", Text);

    /// <summary>Resolves with <paramref name="given"/> as the run's values (checked against their ranges, as a suite's are).</summary>
    private static IReadOnlyDictionary<string, object> Resolve(bool quick, Dictionary<string, object>? given = null)
    {
        var document = Document();
        return ClaimParameters.Read(document).Resolve(document, quick, (p, _, range) =>
        {
            if (given is null || !given.TryGetValue(p.Name, out var v)) return null;
            if (ClaimParameters.Problem(p, v, range) is string problem) throw new ArgumentException($"{p.Name} {problem}");
            return v;
        });
    }

    [Fact]
    public void DefaultsQuickDefaultsAndGivenValues()
    {
        var full = Resolve(quick: false);
        Assert.Equal(125L, full["min_width"]);
        Assert.Equal(2000L, full["max_width"]);
        var quick = Resolve(quick: true);
        Assert.Equal(100L, quick["min_width"]);
        Assert.Equal(400L, quick["max_width"]);
        Assert.Equal(0.001, (double)quick["alpha"]);                  // no quick value: the default
        Assert.Equal(300L, Resolve(quick: true, new() { ["min_width"] = 150L, ["max_width"] = 300L })["max_width"]);
    }

    [Fact]
    public void AGivenValueReplacesADefaultThatTheGivenRangeExcludes()
    {
        // min_width = 2000 makes max_width's default 2000 out of range (≥ 2·2000), but the run gives 4000: nothing to refuse.
        var values = Resolve(quick: false, new() { ["min_width"] = 2000L, ["max_width"] = 4000L });
        Assert.Equal(4000L, values["max_width"]);
        // Without a value for max_width the default is used, and refused with the file's line and the bound's expression.
        var e = Assert.Throws<ClaimDefinitionException>(() => Resolve(quick: false, new() { ["min_width"] = 2000L }));
        Assert.Contains("widths.toml:5: the value of the parameter 'max_width'", e.Message);
        Assert.Contains("must lie between 2*min_width = 4000 and 4000, but is 2000", e.Message);
        // A given value outside the range its predecessors set is refused by the giver.
        var given = Assert.Throws<ArgumentException>(() => Resolve(quick: false, new() { ["min_width"] = 300L, ["max_width"] = 500L }));
        Assert.Contains("must lie between 2*min_width = 600 and 4000", given.Message);
    }

    [Fact]
    public void ANumericBoundIsTheNumberWritten()
    {
        // 1e-300 through the expression route evaluates to 9.999…E-301: the bound must be the double written, at both ends.
        var e = Assert.Throws<ArgumentException>(() => Resolve(quick: false, new() { ["alpha"] = 1e-301 }));
        Assert.Contains("must lie between 1E-300 and 0.25", e.Message);
        Assert.Equal(1e-300, (double)Resolve(quick: false, new() { ["alpha"] = 1e-300 })["alpha"]);
    }

    [Fact]
    public void ValuesAreSubstitutedIntoTheFile()
    {
        var document = Document();
        var file = ClaimFile.Read(document, Resolve(quick: true, new() { ["trials"] = 3L, ["alpha"] = 0.01 }));
        var instance = file.Claims[0].Instance;
        Assert.Equal([100L, 200L, 400L], instance.Sizes);              // the geometric sweep from ${min_width} to ${max_width}
        Assert.All(instance.Trials, t => Assert.Equal(3L, t));          // "${trials}" is the number, not text
        Assert.Equal(0.01, file.Claims[0].Alpha);
        Assert.Equal("widths 100 to 400", file.Title);                  // inside a longer string: the value's text
        Assert.Equal(3L, file.ParameterValues["trials"]);
    }
}

using System.Globalization;
using FimVerify.Numeric.ShallowRelu;
using FimVerify.Numeric.Verification;

namespace FimVerify.Cli.Sharding;

/// <summary>
/// Reads the parameters shared by the `verify theorem3` and `verify theorem3-sweep` parts: the constant C(d) with its
/// provenance (written by <see cref="Output.Theorem3ReportOutput.WriteConstant"/>), the seed and α.
/// </summary>
internal static class Theorem3Json
{
    public static Lemma2Constant ReadConstant(PartialResult part, int d)
    {
        var c = part.Parameter("constantC");
        return new Lemma2Constant(d, part.Field(c, "value").GetDouble(), part.Field(c, "source").GetString()!,
            part.Field(c, "estimate").GetBoolean(), part.Field(c, "standardError").GetDouble(), part.Field(c, "worstEntry").GetString()!);
    }

    /// <summary>The run-level fields every Theorem 3 part has, checked as the command checks them.</summary>
    public static (long Seed, double Alpha) ReadRun(PartialResult part)
    {
        long seed = part.Parameter("seed").GetInt64();
        double alpha = part.Parameter("alpha").GetDouble();
        if (!(alpha >= ClopperPearson.SmallestRate && alpha <= 0.25)) throw part.Bad($"declares α = {alpha.ToString(CultureInfo.InvariantCulture)}, outside [{ClopperPearson.SmallestRate.ToString(CultureInfo.InvariantCulture)}, 0.25]");
        return (seed, alpha);
    }
}

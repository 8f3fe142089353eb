using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Claims;

/// <summary>One trial's sample: the matrix the claim measures and the model's symbols that vary from trial to trial.</summary>
public sealed record ModelTrial(IMatrixMeasurement Matrix, IReadOnlyDictionary<string, double> Symbols);

/// <summary>
/// A random model family of the claim engine: how a claim file configures it, the symbols it offers predictions (fixed per
/// size, and per trial), the matrices it has, and one random instance drawn from an addressed stream. The size is the
/// family's width (M for networks, p for the shallow ReLU network); a sweep runs the same claim at several sizes.
/// </summary>
public abstract class ClaimModel
{
    /// <summary>The name a claim file gives: mlp, softmax-mlp, shallow-relu.</summary>
    public abstract string Family { get; }
    /// <summary>The symbol of the size, as a claim file writes it and predictions use it (M or p).</summary>
    public abstract string SizeSymbol { get; }
    /// <summary>The model's own keys in a [[claim]] table (beyond the keys every claim has).</summary>
    public abstract IReadOnlyList<string> Keys { get; }
    /// <summary>The matrices a claim on this model may name.</summary>
    public abstract IReadOnlyList<string> Matrices { get; }
    /// <summary>The symbols fixed at each size (the size symbol among them) that predictions and indices may use.</summary>
    public abstract IReadOnlyList<string> SizeSymbols { get; }
    /// <summary>The symbols measured on each trial's instance (softmax's Q statistics), for predictions only.</summary>
    public virtual IReadOnlyList<string> TrialSymbols => [];
    /// <summary>The groups of named unit directions rayleigh:G reads on <paramref name="matrix"/> (none by default).</summary>
    public virtual IReadOnlyList<string> RayleighGroups(string matrix) => [];
    /// <summary>The configuration as name = value pairs, for reports and partial files.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>Refuses (ArgumentException, one sentence) a matrix the family does not have.</summary>
    public virtual void CheckMatrix(string matrix)
    {
        if (!Matrices.Contains(matrix))
            throw new ArgumentException($"the model {Family} has no matrix '{matrix}'; its matrices are {string.Join(", ", Matrices)}");
    }

    /// <summary>The smallest size the family accepts.</summary>
    public abstract long MinimumSize { get; }

    /// <summary>The values of <see cref="SizeSymbols"/> at one size.</summary>
    public abstract IReadOnlyDictionary<string, double> SymbolsAt(long size);

    /// <summary>N, the number of eigenvalues of the matrix at one size.</summary>
    public abstract long DimensionOf(string matrix, long size);

    /// <summary>
    /// Refuses (ArgumentException, one sentence) a statistic the matrix cannot give at this size, e.g. Σλ² of J where only
    /// certified eigenvalue bounds are computed, and returns what one trial will cost.
    /// </summary>
    public abstract ResourceEstimate Plan(string matrix, Statistic statistic, long size);

    /// <summary>Whether the statistic is measured exactly (not only within certified bounds) at this size.</summary>
    public virtual bool IsExact(string matrix, Statistic statistic, long size) => true;

    /// <summary>One random instance at <paramref name="size"/>, drawn only from <paramref name="seed"/>, measured for <paramref name="statistic"/>.</summary>
    public abstract ModelTrial Sample(string matrix, Statistic statistic, long size, SeedSequence seed);

    /// <summary>Ignores the statistic when every statistic of the matrix costs the same.</summary>
    protected static ResourceEstimate Dense(double order, double buildFlops, double otherBytes, bool eigenvalues) =>
        Estimate(8 * (4 * order * order) + otherBytes, buildFlops + (eigenvalues ? 10 * order * order * order : 0), order * order);

    /// <summary>A trial's estimate from byte and operation counts in doubles (saturated, so an absurd size is refused, not wrapped).</summary>
    protected static ResourceEstimate Estimate(double bytes, double operations, double largestArray) =>
        new(CheckedSize.Ceiling(bytes), operations, CheckedSize.Ceiling(largestArray));
}

/// <summary>The model families of the claim engine, by the name a claim file gives.</summary>
public static class ClaimModels
{
    public static readonly IReadOnlyList<string> Families = ["mlp", "softmax-mlp", "shallow-relu"];

    /// <summary>Reads the family's keys from a claim's table (the reader checks kinds and ranges and names line and key).</summary>
    public static ClaimModel Read(string family, ClaimFieldReader fields) => family switch
    {
        "mlp" => MlpClaimModel.Read(fields, softmax: false),
        "softmax-mlp" => MlpClaimModel.Read(fields, softmax: true),
        "shallow-relu" => ShallowReluClaimModel.Read(fields),
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };
}

using FimVerify.Numeric.Resources;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.Claims;

/// <summary>What a claim reads from one trial's instance: a statistic of a matrix, and whether it must be exact (a limit's) rather than a certified interval.</summary>
public readonly record struct MatrixRead(string Matrix, Statistic Statistic, bool Exact = false)
{
    /// <summary>The most eigenvalues any of <paramref name="reads"/> takes from <paramref name="matrix"/> (every matrix when null), so a
    /// dense measurement's first read certifies them all at once.</summary>
    public static int EigenvaluesNeeded(IEnumerable<MatrixRead> reads, string? matrix) =>
        reads.Where(r => matrix is null || r.Matrix == matrix).Select(r => r.Statistic.EigenvaluesNeeded).DefaultIfEmpty(0).Max();
}

/// <summary>
/// One random instance of a model family (one trial's network), shared by every claim of its instance: the matrices it is
/// measured through (computed on first use and kept), the symbols measured on it (softmax's Q statistics), and, where the
/// matrices are known only within certified intervals, a way to narrow them when a decision needs it.
/// </summary>
public abstract class ModelInstance
{
    /// <summary>The matrix a claim names, measured on this instance.</summary>
    public abstract IMatrixMeasurement Matrix(string matrix);

    /// <summary>The model's per-trial symbols on this instance (<see cref="ClaimModel.TrialSymbols"/>).</summary>
    public virtual IReadOnlyDictionary<string, double> Symbols { get; } = new Dictionary<string, double>();

    /// <summary>
    /// Narrows the certified intervals of the matrices (more iterations, or the exact dense route as the last step); false when
    /// nothing narrower can be had, so that a decision left open stays UNDECIDED. Matrices must be re-read after a refinement.
    /// </summary>
    public virtual bool Refine() => false;

    /// <summary>Called once when the trial is done with the instance (nothing is read from it afterwards): it may hand its memory on.</summary>
    public virtual void Release() { }

    /// <summary>The values of <see cref="ClaimModel.DiagnosticNames"/> for this trial (how its matrices were measured).</summary>
    public virtual double[] Diagnostics => [];
}

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
    /// <summary>The named groups of the indices of <paramref name="matrix"/>, for entry deviations (none by default).</summary>
    public virtual IReadOnlyList<string> EntryGroups(string matrix) => [];
    /// <summary>The configuration as name = value pairs, for reports and partial files.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }
    /// <summary>The quantities the symbolic layer derived for this configuration, in words (for reports), or null.</summary>
    public virtual string? Derived => null;

    /// <summary>Two configurations are the same model when their families and parameters agree.</summary>
    public bool SameAs(ClaimModel other) => Family == other.Family && Parameters.SequenceEqual(other.Parameters);

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
    /// certified eigenvalue bounds are computed.
    /// </summary>
    public abstract void Check(MatrixRead read, long size);

    /// <summary>What one trial of an instance costs at <paramref name="size"/> when its claims make <paramref name="reads"/>.</summary>
    public abstract ResourceEstimate Plan(IReadOnlyList<MatrixRead> reads, long size);

    /// <summary>Whether the statistic can be had exactly (not only within certified bounds) at this size, as a limit needs.</summary>
    public virtual bool CanBeExact(string matrix, Statistic statistic, long size) => true;

    /// <summary>One random instance at <paramref name="size"/>, drawn only from <paramref name="seed"/>, prepared for <paramref name="reads"/>.</summary>
    public abstract ModelInstance Sample(long size, IReadOnlyList<MatrixRead> reads, SeedSequence seed);

    /// <summary>The per-trial numbers that say how an instance's matrices were measured (e.g. whether the dense route was needed).</summary>
    public virtual IReadOnlyList<string> DiagnosticNames(long size, IReadOnlyList<MatrixRead> reads) => [];

    /// <summary>A sentence on how the matrices were measured over the trials of one size, from their diagnostics by name, or null.</summary>
    public virtual string? Notes(long size, IReadOnlyList<MatrixRead> reads, IReadOnlyDictionary<string, double[]> diagnostics) => null;

    /// <summary>A dense matrix and its eigenvalues when a statistic needs them.</summary>
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

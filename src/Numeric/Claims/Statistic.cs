using System.Globalization;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>What a claim measures on the matrix of each trial.</summary>
public enum StatisticKind
{
    /// <summary>λ₁, the largest eigenvalue.</summary>
    LambdaMax,
    /// <summary>λ_k, the k-th largest eigenvalue (1-based; the zero eigenvalues a dual leaves out count).</summary>
    Eigenvalue,
    /// <summary>The mean of the k largest eigenvalues (Theorem 3.1 compares its λ_max with the mean of the top C).</summary>
    MeanTop,
    /// <summary>m_λ = Σλ/N over all N eigenvalues of the matrix (N = P for a Fisher matrix seen through its dual).</summary>
    Mean,
    /// <summary>s_λ = Σλ²/N.</summary>
    SecondMoment,
    /// <summary>Σλ = tr.</summary>
    Trace,
    /// <summary>The smallest u M uᵀ over the unit directions of a named group (shallow-relu: Theorem 3's directions).</summary>
    Rayleigh,
    /// <summary>max |M_aa − center| over the indices a of named groups (Lemma 2's norms: the Gram matrix's diagonal).</summary>
    DiagonalDeviation,
    /// <summary>max |M_ab − center| over a in some groups and b in others, a ≠ b (Lemma 2's inner products).</summary>
    OffDiagonalDeviation,
    /// <summary>Σλ² (the squared Frobenius norm).</summary>
    SumOfSquares,
    /// <summary>
    /// expr:…, an expression of the fixed symbols and of quantities measured on the same instance (the claim's `measure`): a ratio
    /// of two eigenvalues, of statistics of two matrices, or a measured constant such as (Σλ² − (Σλ)²/R)/M. Its value needs every
    /// quantity exact.
    /// </summary>
    Expression,
}

/// <summary>
/// One statistic with its index resolved (k of eigenvalue:k and mean-top:k, the group of rayleigh:G, the groups of an entry
/// deviation, "+"-separated, with <see cref="Columns"/> for the off-diagonal one, and its <see cref="Center"/>).
/// </summary>
public readonly record struct Statistic(StatisticKind Kind, int K = 0, string? Group = null, string? Columns = null, double Center = 0, ClaimExpression? Formula = null)
{
    public string Name => Kind switch
    {
        StatisticKind.Eigenvalue => $"eigenvalue:{K}",
        StatisticKind.MeanTop => $"mean-top:{K}",
        StatisticKind.Rayleigh => $"rayleigh:{Group}",
        StatisticKind.DiagonalDeviation => $"diagonal-deviation:{Group}",
        StatisticKind.OffDiagonalDeviation => $"off-diagonal-deviation:{Group}/{Columns}",
        StatisticKind.Expression => $"{StatisticDefinition.ExpressionPrefix}{Formula!.Text}",
        _ => StatisticDefinition.NameOf(Kind),
    };

    /// <summary>The largest eigenvalue index the statistic reads (0 when it reads no single eigenvalue).</summary>
    public int EigenvaluesNeeded => Kind switch { StatisticKind.LambdaMax => 1, StatisticKind.Eigenvalue or StatisticKind.MeanTop => K, _ => 0 };

    /// <summary>The statistic of one trial's matrix, as an interval certain to contain it (width zero when it is exact).</summary>
    public CertifiedInterval Of(IMatrixMeasurement m) => (Kind switch
    {
        StatisticKind.LambdaMax => m.Eigenvalue(1),
        StatisticKind.Eigenvalue => m.Eigenvalue(K),
        StatisticKind.MeanTop => Mean(Enumerable.Range(1, K).Select(m.Eigenvalue).ToList()),
        StatisticKind.Mean => Scale(m.Trace(), 1.0 / m.Dimension),
        StatisticKind.SecondMoment => Scale(m.SumOfSquares(), 1.0 / m.Dimension),
        StatisticKind.Trace => m.Trace(),
        StatisticKind.SumOfSquares => m.SumOfSquares(),
        StatisticKind.Rayleigh => m.Rayleigh(Group!),
        StatisticKind.DiagonalDeviation => m.EntryDeviation(Group!.Split('+'), null, Center),
        StatisticKind.OffDiagonalDeviation => m.EntryDeviation(Group!.Split('+'), Columns!.Split('+'), Center),
        StatisticKind.Expression => throw new InvalidOperationException("an expression statistic is evaluated from the claim's measured quantities, not read from one matrix"),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    }).Validated();

    /// <summary>
    /// An expression statistic's value: the expression at the fixed symbols and the measured quantities (each exact: an expression of
    /// certified intervals is not an interval this engine computes).
    /// </summary>
    public double Evaluate(IReadOnlyDictionary<string, double> symbols, IReadOnlyDictionary<string, CertifiedInterval> measured)
    {
        var values = new Dictionary<string, double>(symbols);
        foreach (var (name, m) in measured)
        {
            if (m.Lower != m.Upper) throw new InvalidOperationException($"the quantity {name} of '{Name}' is known only within bounds; an expression statistic needs it exact");
            values[name] = m.Lower;
        }
        return Formula!.Evaluate(values);
    }

    private static CertifiedInterval Mean(IReadOnlyList<CertifiedInterval> xs) => new(xs.Average(x => x.Lower), xs.Average(x => x.Upper));

    private static CertifiedInterval Scale(CertifiedInterval x, double s) => new(x.Lower * s, x.Upper * s);
}

/// <summary>
/// A statistic as a claim file names it: lambda-max | eigenvalue:k | mean-top:k | mean | second-moment | trace | rayleigh:G |
/// diagonal-deviation:G | off-diagonal-deviation:A/B. The index k is a positive whole number or an expression over the model's
/// symbols that evaluates to one (mean-top:C, eigenvalue:d+1), resolved at each size of the sweep. G, A and B are groups of the
/// matrix's indices joined by "+" ("*": all), the centre of an entry deviation the claim's `center`.
/// </summary>
public sealed record StatisticDefinition(StatisticKind Kind, string Text, ClaimExpression? Index, string? Group, string? Columns = null)
{
    /// <summary>The expression of an expr:… statistic.</summary>
    public ClaimExpression? Formula { get; init; }

    public static readonly IReadOnlyList<string> Forms = ["lambda-max", "eigenvalue:k", "mean-top:k", "mean", "second-moment", "sum-of-squares", "trace", "rayleigh:G",
        "diagonal-deviation:G", "off-diagonal-deviation:A/B", "expr:<expression of measured quantities>"];

    /// <summary>The prefix of an expression statistic (as `activation = "expr:…"`).</summary>
    public const string ExpressionPrefix = "expr:";

    /// <summary>An entry deviation, which reads the claim's `center`.</summary>
    public bool IsEntryDeviation => Kind is StatisticKind.DiagonalDeviation or StatisticKind.OffDiagonalDeviation;

    public static string NameOf(StatisticKind kind) => kind switch
    {
        StatisticKind.LambdaMax => "lambda-max",
        StatisticKind.Eigenvalue => "eigenvalue",
        StatisticKind.MeanTop => "mean-top",
        StatisticKind.Mean => "mean",
        StatisticKind.SecondMoment => "second-moment",
        StatisticKind.Trace => "trace",
        StatisticKind.DiagonalDeviation => "diagonal-deviation",
        StatisticKind.OffDiagonalDeviation => "off-diagonal-deviation",
        StatisticKind.SumOfSquares => "sum-of-squares",
        StatisticKind.Expression => "expr",
        _ => "rayleigh",
    };

    /// <summary>
    /// Parses a statistic; <paramref name="symbols"/> are those an index may use, <paramref name="groups"/> the Rayleigh groups the
    /// model has, <paramref name="entryGroups"/> the named index groups of the matrix (for entry deviations).
    /// </summary>
    /// <param name="measured">The claim's measured quantities, which an expression statistic (expr:…) may use besides <paramref name="symbols"/>.</param>
    public static StatisticDefinition Parse(string text, IReadOnlyCollection<string> symbols, IReadOnlyList<string> groups, IReadOnlyList<string>? entryGroups = null,
        IReadOnlyCollection<string>? measured = null)
    {
        string t = text.Trim();
        if (t.StartsWith(ExpressionPrefix, StringComparison.Ordinal))
        {
            string body = t[ExpressionPrefix.Length..].Trim();
            if (measured is null || measured.Count == 0)
                throw new ArgumentException($"the statistic '{t}' is an expression of measured quantities, but the claim measures none: add measure = {{ name = \"statistic\" }}");
            var formula = ClaimExpression.Parse(body, [.. symbols, .. measured]);
            if (!measured.Any(formula.Uses)) throw new ArgumentException($"the statistic '{t}' uses no measured quantity ({string.Join(", ", measured)}); it would be a constant");
            return new(StatisticKind.Expression, t, null, null) { Formula = formula };
        }
        int colon = t.IndexOf(':');
        string head = colon < 0 ? t : t[..colon].Trim(), arg = colon < 0 ? "" : t[(colon + 1)..].Trim();
        StatisticKind kind = head switch
        {
            "lambda-max" => StatisticKind.LambdaMax,
            "eigenvalue" => StatisticKind.Eigenvalue,
            "mean-top" => StatisticKind.MeanTop,
            "mean" => StatisticKind.Mean,
            "second-moment" => StatisticKind.SecondMoment,
            "trace" => StatisticKind.Trace,
            "sum-of-squares" => StatisticKind.SumOfSquares,
            "rayleigh" => StatisticKind.Rayleigh,
            "diagonal-deviation" => StatisticKind.DiagonalDeviation,
            "off-diagonal-deviation" => StatisticKind.OffDiagonalDeviation,
            _ => throw new ArgumentException($"unknown statistic '{text}'; the statistics are {string.Join(", ", Forms)}"),
        };
        switch (kind)
        {
            case StatisticKind.Eigenvalue or StatisticKind.MeanTop:
                if (arg.Length == 0) throw new ArgumentException($"the statistic '{head}' needs an index, as in {head}:10 or {head}:C");
                return new(kind, t, ClaimExpression.Parse(arg, symbols), null);
            case StatisticKind.Rayleigh:
                if (groups.Count == 0) throw new ArgumentException("this model has no named directions for rayleigh:G");
                if (!groups.Contains(arg)) throw new ArgumentException($"the statistic '{text}' needs one of the groups {string.Join(", ", groups.Select(g => $"rayleigh:{g}"))}");
                return new(kind, t, null, arg);
            case StatisticKind.DiagonalDeviation or StatisticKind.OffDiagonalDeviation:
                if (entryGroups is null || entryGroups.Count == 0) throw new ArgumentException($"the statistic '{head}' reads entries by named index groups, which this matrix does not have");
                string Groups(string list)
                {
                    var names = list.Split('+', StringSplitOptions.TrimEntries);
                    foreach (var g in names)
                        if (g != "*" && !entryGroups.Contains(g))
                            throw new ArgumentException($"the statistic '{text}' names the group '{g}'; the matrix's index groups are {string.Join(", ", entryGroups)} (and * for all)");
                    return string.Join("+", names);
                }
                if (kind == StatisticKind.DiagonalDeviation)
                {
                    if (arg.Length == 0 || arg.Contains('/')) throw new ArgumentException($"the statistic '{head}' needs groups, as in {head}:{entryGroups[0]} or {head}:{string.Join("+", entryGroups.Take(2))}");
                    return new(kind, t, null, Groups(arg));
                }
                int slash = arg.IndexOf('/');
                if (slash < 0) throw new ArgumentException($"the statistic '{head}' needs rows and columns, as in {head}:{entryGroups[0]}/* (a ≠ b)");
                return new(kind, t, null, Groups(arg[..slash]), Groups(arg[(slash + 1)..]));
            default:
                if (colon >= 0) throw new ArgumentException($"the statistic '{head}' takes no index");
                return new(kind, t, null, null);
        }
    }

    /// <summary>
    /// The statistic at one size: the index evaluated and checked to be a whole number in 1 … <paramref name="dimension"/>, and the
    /// centre of an entry deviation.
    /// </summary>
    public Statistic Resolve(IReadOnlyDictionary<string, double> symbols, long dimension, double center = 0)
    {
        if (Kind == StatisticKind.Expression) return new Statistic(Kind, Formula: Formula);
        if (Index is null) return new Statistic(Kind, 0, Group, Columns, center);
        double k = Index.Evaluate(symbols);
        if (!double.IsFinite(k) || k != Math.Round(k) || k < 1)
            throw new ArgumentException($"the index of '{Text}' evaluates to {k.ToString("G6", CultureInfo.InvariantCulture)}, not a positive whole number");
        if (k > dimension)
            throw new ArgumentException($"the index of '{Text}' is {k.ToString(CultureInfo.InvariantCulture)}, but the matrix has only {dimension} eigenvalues");
        return new Statistic(Kind, (int)k, Group);
    }
}

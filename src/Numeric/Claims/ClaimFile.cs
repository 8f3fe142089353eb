using System.Globalization;
using System.Text.RegularExpressions;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// A claim file read and validated: every claim's model configured, its expressions parsed over the symbols available,
/// its sizes resolved and costed, before any trial runs. Unknown keys, models, matrices, statistics and symbols are
/// <see cref="ClaimDefinitionException"/>s naming the file, the line and the key.
/// </summary>
public sealed partial class ClaimFile
{
    /// <summary>The default false-alarm rate of an inequality's FAIL decision (as `verify theorem3`).</summary>
    public const double InequalityAlpha = 1e-6;
    /// <summary>The default false-alarm rate of a limit's FAIL decision.</summary>
    public const double LimitAlpha = 1e-3;

    /// <summary>The keys every claim has (the model family adds its own and its size symbol).</summary>
    public static readonly IReadOnlyList<string> CommonKeys =
        ["name", "statement", "model", "matrix", "statistic", "relation", "predicted", "probability", "sweep", "trials", "alpha", "constants",
         "finite_size", "variance_exponent", "resolution"];

    /// <summary>The finite-size exponent of a limit when the claim states none: corrections of order 1/size.</summary>
    public const double DefaultFiniteSizeExponent = 1;
    /// <summary>The relative error of the limit a ratio-tends-to-1 claim must resolve when it states no resolution.</summary>
    public const double DefaultResolution = 0.1;

    /// <summary>The run-level keys of a claim file.</summary>
    public static readonly IReadOnlyList<string> RunKeys = ["seed", "alpha", "title"];

    private ClaimFile(ClaimDocument document, long seed, string? title, IReadOnlyList<ClaimDefinition> claims)
    {
        Document = document; Seed = seed; Title = title; Claims = claims;
    }

    public ClaimDocument Document { get; }
    /// <summary>The file's seed (default 1); a run's --seed wins over it.</summary>
    public long Seed { get; }
    public string? Title { get; }
    public IReadOnlyList<ClaimDefinition> Claims { get; }

    public static ClaimFile Read(ClaimDocument document)
    {
        var run = new ClaimFieldReader(document, new ClaimTable(1, document.RunFields), "the file");
        long seed = run.OptionalLong("seed") ?? 1;
        double alpha = run.OptionalDouble("alpha", ClopperPearson.SmallestRate, 0.5, inclusiveMin: true) ?? double.NaN;
        if (alpha >= 0.5) throw run.Error("alpha", "the false-alarm rate must lie in (0, 0.5)");
        string? title = run.OptionalString("title");
        run.EnsureAllUsed([.. RunKeys, "[constants]", "[[claim]]"]);
        var constants = Constants(new ClaimFieldReader(document, document.Constants, "[constants]"), new Dictionary<string, (double Value, int Line)>());
        if (document.Claims.Count == 0) throw document.Error(1, "the file states no claim: add a [[claim]] table (see docs/claims.md).");
        var claims = new List<ClaimDefinition>();
        foreach (var table in document.Claims)
        {
            var claim = ReadClaim(document, table, constants, double.IsNaN(alpha) ? null : alpha);
            var twin = claims.FirstOrDefault(c => c.Name == claim.Name);
            if (twin is not null) throw document.Error(claim.Line, $"a claim named '{claim.Name}' is already stated on line {twin.Line}; names must be unique in a file.");
            claims.Add(claim);
        }
        return new ClaimFile(document, seed, title, claims);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();

    /// <summary>
    /// Constants: numbers, or expressions (strings) of the constants defined before them and pi, e; each a finite number.
    /// <paramref name="inherited"/> are visible and may be redefined (a claim's own constants override the file's).
    /// </summary>
    private static Dictionary<string, (double Value, int Line)> Constants(ClaimFieldReader f, IReadOnlyDictionary<string, (double Value, int Line)> inherited)
    {
        var values = new Dictionary<string, (double Value, int Line)>(inherited);
        foreach (string key in f.Keys)
        {
            if (!NamePattern().IsMatch(key) || key.Contains('-') || key.Contains('.') || !char.IsLetter(key[0]))
                throw f.Error(key, "a constant's name is a symbol: letters, digits and _, starting with a letter");
            if (key is "pi" or "e") throw f.Error(key, "pi and e are the constants of the symbolic layer and cannot be redefined");
            var field = f.Field(key)!;
            double v = field.Value switch
            {
                long l => l,
                double d => d,
                string s => Evaluate(f, key, s, values.ToDictionary(kv => kv.Key, kv => kv.Value.Value)),
                _ => throw f.Error(key, "a constant is a number or an expression in a string, such as \"1/3\""),
            };
            if (!double.IsFinite(v)) throw f.Error(key, $"the constant is not a finite number ({v.ToString(CultureInfo.InvariantCulture)})");
            values[key] = (v, field.Line);
        }
        return values;
    }

    private static double Evaluate(ClaimFieldReader f, string key, string text, IReadOnlyDictionary<string, double> symbols)
    {
        try { return ClaimExpression.Parse(text, symbols.Keys.ToList()).Evaluate(symbols); }
        catch (ArgumentException e) { throw f.Error(key, e.Message); }
    }

    private static ClaimDefinition ReadClaim(ClaimDocument document, ClaimTable table, IReadOnlyDictionary<string, (double Value, int Line)> fileConstants, double? fileAlpha)
    {
        var named = table.Fields.TryGetValue("name", out var n) && n.Value is string s0 ? $"claim '{s0}'" : $"the [[claim]] on line {table.Line}";
        var f = new ClaimFieldReader(document, table, named);
        string name = f.RequiredString("name");
        if (!NamePattern().IsMatch(name)) throw f.Error("name", $"a claim's name is letters, digits, '.', '_' and '-' (it addresses the claim's random streams), but is \"{name}\"");
        string family = f.Choice("model", ClaimModels.Families);
        var model = ClaimModels.Read(family, f);
        string[] keys = [.. CommonKeys, .. model.Keys, model.SizeSymbol];

        var own = f.OptionalTable("constants");
        var constants = own is null ? new Dictionary<string, (double Value, int Line)>(fileConstants)
            : Constants(new ClaimFieldReader(document, own, $"the constants of {named}"), fileConstants);
        var modelSymbols = model.SizeSymbols.Concat(model.TrialSymbols).ToHashSet();
        foreach (var (symbol, (_, line)) in constants)
            if (modelSymbols.Contains(symbol))
                throw document.Error(line, $"the constant '{symbol}' would hide the {family} model's symbol of that name in {named}; rename the constant.");

        string matrix = f.RequiredString("matrix");
        Try(f, "matrix", () => model.CheckMatrix(matrix));
        var fixedSymbols = model.SizeSymbols.Concat(constants.Keys).ToList();
        var statistic = Try(f, "statistic", () => StatisticDefinition.Parse(f.RequiredString("statistic"), fixedSymbols, model.RayleighGroups(matrix)));
        var relation = Relations.Parse(f.Choice("relation", Relations.Names));
        var predicted = Try(f, "predicted", () => ClaimExpression.Parse(f.RequiredString("predicted"), [.. fixedSymbols, .. model.TrialSymbols]));
        ClaimExpression? probability = null;
        if (Relations.IsInequality(relation))
        {
            if (!f.Has("probability")) throw f.Error($"the key 'probability' is required for the relation {Relations.Name(relation)}: the stated bound on P(the relation fails), \"0\" for a claim that must hold in every trial.");
            probability = Try(f, "probability", () => ClaimExpression.Parse(ExpressionText(f, "probability"), fixedSymbols));
        }
        else if (f.Has("probability"))
            throw f.Error("probability", "a limit (ratio-tends-to-1) states no failure probability: it is decided by a confidence interval of the limit");

        int trials = (int)f.RequiredLong("trials", 1, 100_000_000);
        double alpha = f.OptionalDouble("alpha", ClopperPearson.SmallestRate, 0.5, inclusiveMin: true) ?? fileAlpha ?? (Relations.IsInequality(relation) ? InequalityAlpha : LimitAlpha);
        if (alpha >= 0.5) throw f.Error("alpha", "the false-alarm rate must lie in (0, 0.5)");
        string statement = f.OptionalString("statement") ?? $"{statistic.Text} of {matrix} {Relations.Name(relation)} {predicted.Text}";

        var sizes = Sizes(f, model);
        LimitClaim? limit = null;
        if (relation == Relation.RatioTendsToOne)
        {
            limit = LimitOf(f, name, statement, model.SizeSymbol);
            if (sizes.Count < limit.Model.Parameters)
                throw f.Error(f.Has("sweep") ? "sweep" : model.SizeSymbol, $"the limit is estimated through {limit.Model.Formula}, which needs a sweep of at least {limit.Model.Parameters} sizes, such as sweep = {{ {model.SizeSymbol} = [250, 500, 1000, 2000] }}");
            if (trials < 2) throw f.Error("trials", "a limit needs at least 2 trials per size (the spread over trials is its standard error)");
        }
        else
            foreach (var key in new[] { "finite_size", "variance_exponent", "resolution" })
                if (f.Has(key)) throw f.Error(key, "applies to limits (ratio-tends-to-1) only");
        string sizeKey = f.Has("sweep") ? "sweep" : model.SizeSymbol;
        var points = sizes.Select(size =>
        {
            var symbols = new Dictionary<string, double>(model.SymbolsAt(size));
            foreach (var (c, (v, _)) in constants) symbols[c] = v;
            long dimension = model.DimensionOf(matrix, size);
            var resolved = Try(f, "statistic", () => statistic.Resolve(symbols, dimension));
            var work = Try(f, sizeKey, () => model.Plan(matrix, resolved, size));
            if (limit is not null && !model.IsExact(matrix, resolved, size))
                throw f.Error(sizeKey, $"at {model.SizeSymbol} = {size} {resolved.Name} of {matrix} is known only within certified bounds, but a limit needs its exact value; choose smaller sizes.");
            double? bound = null;
            if (probability is not null)
            {
                double b = probability.Evaluate(symbols);
                if (!double.IsFinite(b) || b < 0)
                    throw f.Error("probability", $"at {model.SizeSymbol} = {size} the probability evaluates to {b.ToString("G6", CultureInfo.InvariantCulture)}, not a probability bound ≥ 0");
                bound = b;
            }
            double? fixedPrediction = null;
            if (!predicted.UsesAny(model.TrialSymbols))
            {
                double v = predicted.Evaluate(symbols);
                if (!double.IsFinite(v)) throw f.Error("predicted", $"at {model.SizeSymbol} = {size} the prediction evaluates to {v.ToString(CultureInfo.InvariantCulture)}, not a finite number");
                fixedPrediction = v;
            }
            if (relation == Relation.RatioTendsToOne && fixedPrediction == 0)
                throw f.Error("predicted", $"at {model.SizeSymbol} = {size} the prediction is 0, so the ratio statistic/predicted is undefined");
            return new ClaimPoint(size, resolved, dimension, symbols, bound, fixedPrediction, work);
        }).ToList();
        f.EnsureAllUsed(keys);
        return new ClaimDefinition(name, statement, table.Line, model, matrix, statistic, relation, predicted, probability, trials, alpha, points, limit);
    }

    /// <summary>
    /// The decision layer's claim for ratio-tends-to-1: target 1, the finite-size model limit + a·x^(−e) (finite_size = e, default 1;
    /// "none" for no finite-size term), the per-trial variance ∝ x^(−v) of its weights (variance_exponent, default 1) and the
    /// largest relative error of the limit the sweep must be able to detect (resolution, default 0.1).
    /// </summary>
    private static LimitClaim LimitOf(ClaimFieldReader f, string name, string statement, string sizeSymbol)
    {
        double v = f.OptionalDouble("variance_exponent", -10, 10) ?? 1;
        FiniteSizeModel model;
        var field = f.Field("finite_size");
        switch (field?.Value)
        {
            case null:
                model = FiniteSizeModel.PowerLaw(DefaultFiniteSizeExponent, $"the claim file's default: corrections of order 1/{sizeSymbol}", v);
                break;
            case "none":
                model = FiniteSizeModel.Constant("stated in the claim file: no finite-size term", v);
                break;
            case long or double:
                double e = Convert.ToDouble(field.Value, CultureInfo.InvariantCulture);
                if (!(e > 0) || e > 10) throw f.Error("finite_size", "the finite-size exponent e (corrections of order size^(−e)) must lie in (0, 10]");
                model = FiniteSizeModel.PowerLaw(e, $"stated in the claim file: corrections of order {sizeSymbol}^(−{e.ToString("G4", CultureInfo.InvariantCulture)})", v);
                break;
            default:
                throw f.Error("finite_size", $"is the exponent e of the finite-size term a·size^(−e) (a number) or \"none\", but is {ClaimFieldReader.Show(field.Value)}");
        }
        double resolution = f.OptionalDouble("resolution", 0, 10) ?? DefaultResolution;
        return new LimitClaim(name, statement, 1.0, model, LimitRelation.TendsTo, resolution).Validated();
    }

    /// <summary>An expression key given as a string or, for convenience, as a plain number.</summary>
    private static string ExpressionText(ClaimFieldReader f, string key) => f.Field(key)!.Value switch
    {
        string s when s.Trim().Length > 0 => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        var v => throw f.Error(key, $"an expression is a string such as \"C*D/(delta^2*p)\", but is {ClaimFieldReader.Show(v)}"),
    };

    /// <summary>`sweep = { M = [...] }` or a single size `M = 1000` (the model's size symbol), whole numbers, increasing.</summary>
    private static List<long> Sizes(ClaimFieldReader f, ClaimModel model)
    {
        string symbol = model.SizeSymbol;
        bool single = f.Has(symbol), sweep = f.Has("sweep");
        if (single && sweep) throw f.Error("sweep", $"give either a single size ({symbol} = …) or a sweep, not both");
        if (!single && !sweep) throw f.Error($"the claim needs a size: {symbol} = 1000, or a sweep such as sweep = {{ {symbol} = [250, 500, 1000] }}");
        if (single) return [f.RequiredLong(symbol, model.MinimumSize, int.MaxValue)];
        var table = f.OptionalTable("sweep")!;
        var inner = new ClaimFieldReader(f.Document, table, $"the sweep of {f.Where}");
        var values = inner.Has(symbol) ? inner.Field(symbol)!.Value : null;
        inner.EnsureAllUsed([symbol]);
        if (values is not IEnumerable<object> list || values is string)
            throw f.Error("sweep", $"a sweep is a list of sizes, such as sweep = {{ {symbol} = [250, 500, 1000] }}");
        var sizes = list.Select(v => v is long l && l >= model.MinimumSize && l <= int.MaxValue ? l
            : throw f.Error("sweep", $"every size of the sweep must be a whole number ≥ {model.MinimumSize}, but one is {ClaimFieldReader.Show(v)}")).ToList();
        if (sizes.Count == 0) throw f.Error("sweep", "the sweep lists no size");
        for (int i = 1; i < sizes.Count; i++)
            if (sizes[i] <= sizes[i - 1]) throw f.Error("sweep", "the sizes of a sweep must increase");
        return sizes;
    }

    /// <summary>Runs a step that may refuse with an ArgumentException and turns that into an error naming the key's line.</summary>
    private static T Try<T>(ClaimFieldReader f, string key, Func<T> step)
    {
        try { return step(); }
        catch (ClaimDefinitionException) { throw; }
        catch (ArgumentException e) { throw f.Error(key, Sentence(e.Message)); }
    }

    private static void Try(ClaimFieldReader f, string key, Action step) => Try(f, key, () => { step(); return 0; });

    private static string Sentence(string s)
    {
        int cut = s.IndexOf(" (Parameter", StringComparison.Ordinal);
        if (cut > 0) s = s[..cut];
        return s.EndsWith('.') ? s : s + ".";
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using FimVerify.Numeric.Verification;

namespace FimVerify.Numeric.Claims;

/// <summary>
/// A claim file read and validated: its parameters given their values and substituted, every instance's model configured and its
/// sizes and trials resolved, every claim's expressions parsed over the symbols available, its reads checked and costed, before
/// any trial runs. Unknown keys, models, matrices, statistics and symbols are <see cref="ClaimDefinitionException"/>s naming the
/// file, the line and the key.
/// </summary>
public sealed partial class ClaimFile
{
    /// <summary>The default false-alarm rate of an inequality's FAIL decision (as `verify theorem3`).</summary>
    public const double InequalityAlpha = 1e-6;
    /// <summary>The default false-alarm rate of a limit's FAIL decision.</summary>
    public const double LimitAlpha = 1e-3;

    /// <summary>The keys every claim may have (a claim that states its own model adds the model's keys and its size symbol).</summary>
    public static readonly IReadOnlyList<string> CommonKeys =
        ["name", "statement", "label", "instance", "model", "matrix", "statistic", "relation", "predicted", "probability", "exact_probability", "center",
         "measure", "claims", "consistent", "sweep", "trials", "alpha", "constants", "finite_size", "variance_exponent", "resolution", "rate", "pooled"];

    /// <summary>The keys of an [[instance]] (beyond the model's own keys and its size symbol).</summary>
    public static readonly IReadOnlyList<string> InstanceKeys = ["name", "model", "sweep", "trials"];

    /// <summary>The finite-size exponent of a limit when the claim states none: corrections of order 1/size.</summary>
    public const double DefaultFiniteSizeExponent = 1;
    /// <summary>The relative error of the limit a ratio-tends-to-1 claim must resolve when it states no resolution.</summary>
    public const double DefaultResolution = 0.1;

    /// <summary>The run-level keys of a claim file.</summary>
    public static readonly IReadOnlyList<string> RunKeys = ["seed", "alpha", "title", "description"];

    private ClaimFile(ClaimDocument document, ClaimParameters parameters, IReadOnlyDictionary<string, object> values, long seed, string? title,
        string? description, IReadOnlyList<ClaimInstance> instances, IReadOnlyList<ClaimDefinition> claims, IReadOnlyList<ClaimPlot> plots)
    {
        Document = document; Parameters = parameters; ParameterValues = values; Seed = seed; Title = title; Description = description;
        Instances = instances; Claims = claims; Plots = plots;
    }

    /// <summary>The file as written (before its parameters were substituted).</summary>
    public ClaimDocument Document { get; }
    public ClaimParameters Parameters { get; }
    /// <summary>The value each parameter has in this run.</summary>
    public IReadOnlyDictionary<string, object> ParameterValues { get; }
    /// <summary>The file's seed (default 1); a run's --seed wins over it.</summary>
    public long Seed { get; }
    public string? Title { get; }
    /// <summary>What the file states, in words (the report's section statement).</summary>
    public string? Description { get; }
    /// <summary>The instances in file order (their trials are numbered in this order), each with at least one claim.</summary>
    public IReadOnlyList<ClaimInstance> Instances { get; }
    public IReadOnlyList<ClaimDefinition> Claims { get; }
    public IReadOnlyList<ClaimPlot> Plots { get; }

    /// <summary>Reads the file with its parameters' defaults (quick defaults when <paramref name="quick"/>).</summary>
    public static ClaimFile Read(ClaimDocument document, bool quick) => Read(document, ClaimParameters.Read(document).Resolve(document, quick));

    /// <param name="parameterValues">Every declared parameter's value (<see cref="ClaimParameters.Resolve"/>); null: the defaults.</param>
    public static ClaimFile Read(ClaimDocument document, IReadOnlyDictionary<string, object>? parameterValues = null)
    {
        var parameters = ClaimParameters.Read(document);
        var values = parameterValues ?? parameters.Resolve(document, quick: false);
        var doc = ClaimParameters.Substitute(document, values);

        var run = new ClaimFieldReader(doc, new ClaimTable(1, doc.RunFields), "the file");
        long seed = run.OptionalLong("seed") ?? 1;
        double? alpha = Alpha(run);
        string? title = run.OptionalString("title"), description = run.OptionalString("description");
        run.EnsureAllUsed([.. RunKeys, "[parameters]", "[constants]", "[[instance]]", "[[claim]]", "[[plot]]"]);
        var constants = Constants(new ClaimFieldReader(doc, doc.Constants, "[constants]"), new Dictionary<string, (double Value, int Line)>());
        if (doc.Claims.Count == 0) throw doc.Error(1, "the file states no claim: add a [[claim]] table (see docs/claims.md).");

        var selected = Selection(doc, parameters, values);
        var instances = new Dictionary<string, ClaimInstance>();
        var skipped = new HashSet<string>();
        foreach (var table in doc.Instances)
        {
            var f = new ClaimFieldReader(doc, table, $"the [[instance]] on line {table.Line}");
            string name = f.RequiredString("name");
            if (!NamePattern().IsMatch(name)) throw f.Error("name", $"an instance's name is letters, digits, '.', '_' and '-' (it addresses its random streams), but is \"{name}\"");
            f = new ClaimFieldReader(doc, table, $"instance '{name}'");
            f.Field("name");
            if (instances.ContainsKey(name) || skipped.Contains(name)) throw f.Error("name", $"an instance named '{name}' is already stated; names must be unique in a file");
            var instance = ReadInstance(f, name, table.Line, isImplicit: false);
            f.EnsureAllUsed([.. InstanceKeys, .. instance.Model.Keys, instance.Model.SizeSymbol]);
            if (selected is not null && selected != name) skipped.Add(name);
            else instances[name] = instance;
        }
        if (selected is not null && !instances.ContainsKey(selected))
        {
            var p = parameters.Declared.First(x => x.SelectsInstance);
            throw doc.Error(p.Line, $"the parameter '{p.Name}' is \"{selected}\", which names no [[instance]]; the instances are {string.Join(", ", instances.Keys.Concat(skipped))} (or \"{ClaimParameter.All}\").");
        }

        var claims = new List<ClaimDefinition>();
        var lines = new Dictionary<string, int>();
        foreach (var table in doc.Claims)
        {
            var claim = ReadClaim(doc, table, constants, alpha, instances, skipped);
            if (claim is null) continue;
            if (lines.TryGetValue(claim.Name, out int twin)) throw doc.Error(claim.Line, $"a claim named '{claim.Name}' is already stated on line {twin}; names must be unique in a file.");
            if (instances.ContainsKey(claim.Name) || skipped.Contains(claim.Name))
                throw doc.Error(claim.Line, $"the claim '{claim.Name}' has the name of an [[instance]]; claims and instances name random streams and need distinct names.");
            lines[claim.Name] = claim.Line;
            claims.Add(claim);
        }
        if (claims.Count == 0) throw doc.Error(1, "no claim of the file is selected to run.");
        CheckMembers(doc, claims);

        var all = instances.Values.Concat(claims.Where(c => c.Instance.Implicit).Select(c => c.Instance)).OrderBy(i => i.Line).ToList();
        foreach (var instance in all)
        {
            var mine = claims.Where(c => c.Instance == instance).ToList();
            if (mine.Count == 0) throw doc.Error(instance.Line, $"no claim is stated on the instance '{instance.Name}'; add claims with instance = \"{instance.Name}\" or remove it.");
            try { instance.Prepare(mine); }
            catch (ArgumentException e) when (e is not ClaimDefinitionException)
            {
                throw doc.Error(instance.Line, $"{ClaimPlan.Describe(instance)}: {Sentence(e.Message)}");
            }
        }

        var plots = doc.Plots.Select(t => ClaimPlot.Read(new ClaimFieldReader(doc, t, $"the [[plot]] on line {t.Line}"), claims, skipped.Count > 0))
            .OfType<ClaimPlot>().ToList();
        foreach (var group in plots.GroupBy(p => p.Name).Where(g => g.Count() > 1))
            throw doc.Error(group.Last().Line, $"a plot named '{group.Key}' is already stated on line {group.First().Line}.");
        return new ClaimFile(document, parameters, values, seed, title, description, all, claims, plots);
    }

    /// <summary>The instance a selecting parameter names, or null when every instance runs.</summary>
    private static string? Selection(ClaimDocument doc, ClaimParameters parameters, IReadOnlyDictionary<string, object> values)
    {
        var selecting = parameters.Declared.Where(p => p.SelectsInstance).ToList();
        if (selecting.Count > 1) throw doc.Error(selecting[1].Line, $"only one parameter may select the instance ('{selecting[0].Name}' does already).");
        return selecting.Count == 0 || values[selecting[0].Name] is not string s || s == ClaimParameter.All ? null : s;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();

    /// <summary>A false-alarm rate: a number, or an expression of numbers in a string ("2*1e-6").</summary>
    private static double? Alpha(ClaimFieldReader f)
    {
        double? alpha = f.Field("alpha")?.Value switch
        {
            null => null,
            string s => Evaluate(f, "alpha", s, new Dictionary<string, double>()),
            _ => f.OptionalDouble("alpha", ClopperPearson.SmallestRate, 0.5, inclusiveMin: true),
        };
        if (alpha is double a && !(a >= ClopperPearson.SmallestRate && a < 0.5))
            throw f.Error("alpha", $"the false-alarm rate must lie in [{ClopperPearson.SmallestRate.ToString(CultureInfo.InvariantCulture)}, 0.5), but is {a.ToString(CultureInfo.InvariantCulture)}");
        return alpha;
    }

    /// <summary>
    /// Constants: numbers, or expressions (strings) of the constants defined before them and pi, e; each a finite number.
    /// <paramref name="inherited"/> are visible and may be redefined.
    /// </summary>
    private static Dictionary<string, (double Value, int Line)> Constants(ClaimFieldReader f, IReadOnlyDictionary<string, (double Value, int Line)> inherited)
    {
        var values = new Dictionary<string, (double Value, int Line)>(inherited);
        foreach (string key in f.Keys)
        {
            var field = ConstantField(f, key);
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

    private static ClaimField ConstantField(ClaimFieldReader f, string key)
    {
        if (!NamePattern().IsMatch(key) || key.Contains('-') || key.Contains('.') || !char.IsLetter(key[0]))
            throw f.Error(key, "a constant's name is a symbol: letters, digits and _, starting with a letter");
        if (key is "pi" or "e") throw f.Error(key, "pi and e are the constants of the symbolic layer and cannot be redefined");
        return f.Field(key)!;
    }

    /// <summary>A claim's own constants: expressions of the file's constants, the constants before them and the model's fixed symbols, evaluated at each size.</summary>
    private static List<(string Name, ClaimExpression Expression, int Line)> ClaimConstants(ClaimFieldReader f, IReadOnlyCollection<string> known)
    {
        var list = new List<(string, ClaimExpression, int)>();
        var visible = known.ToHashSet();
        foreach (string key in f.Keys)
        {
            var field = ConstantField(f, key);
            string text = field.Value switch
            {
                long l => l.ToString(CultureInfo.InvariantCulture),
                double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
                string s => s,
                _ => throw f.Error(key, "a constant is a number or an expression in a string, such as \"1/3\""),
            };
            var x = Try(f, key, () => ClaimExpression.Parse(text, visible));
            list.Add((key, x, field.Line));
            visible.Add(key);
        }
        return list;
    }

    private static double Evaluate(ClaimFieldReader f, string key, string text, IReadOnlyDictionary<string, double> symbols)
    {
        try { return ClaimExpression.Parse(text, symbols.Keys.ToList()).Evaluate(symbols); }
        catch (ArgumentException e) { throw f.Error(key, e.Message); }
    }

    /// <summary>The model, sizes and trials of an instance (an [[instance]] table, or a claim that states its own model).</summary>
    private static ClaimInstance ReadInstance(ClaimFieldReader f, string name, int line, bool isImplicit)
    {
        string family = f.Choice("model", ClaimModels.Families);
        var model = ClaimModels.Read(family, f);
        var sizes = Sizes(f, model);
        string sizeKey = f.Has("sweep") ? "sweep" : model.SizeSymbol;
        long[] trials;
        var field = f.Field("trials") ?? throw f.Error("the key 'trials' is required: the trials at each size (a number, or a list with one per size).");
        if (field.Value is not string && field.Value is IEnumerable<object> list)
        {
            var items = list.ToList();
            if (items.Count != sizes.Count) throw f.Error("trials", $"the list has {items.Count} entries but there are {sizes.Count} sizes; give one per size, in the order of the sizes");
            trials = items.Select(Trials).ToArray();
        }
        else trials = Enumerable.Repeat(Trials(field.Value), sizes.Count).ToArray();
        long Trials(object v)
        {
            // An expression of numbers ("2*16", as a parameter's substitution leaves "2*${trials}") stands for its value.
            if (v is string s) { double x = Evaluate(f, "trials", s, new Dictionary<string, double>()); if (x == Math.Round(x) && Math.Abs(x) < 1e9) v = (long)x; }
            return v is long t && t >= 1 && t <= 100_000_000 ? t
                : throw f.Error("trials", $"the trials at a size must be a whole number between 1 and 100000000, but one is {ClaimFieldReader.Show(v)}");
        }
        // Sizes increase (a sweep may be written in any order; each size keeps its trials).
        var order = Enumerable.Range(0, sizes.Count).OrderBy(i => sizes[i]).ToArray();
        var sorted = order.Select(i => sizes[i]).ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i] == sorted[i - 1]) throw f.Error(sizeKey, $"the size {model.SizeSymbol} = {sorted[i]} appears twice");
        // The model's symbols at each size (T = M/ρ may leave its range at some size): refused here, with the instance's line.
        foreach (long size in sorted) Try(f, sizeKey, () => model.SymbolsAt(size));
        return new ClaimInstance(name, line, isImplicit, model, sorted, order.Select(i => trials[i]).ToList(), sizeKey);
    }

    private static ClaimDefinition? ReadClaim(ClaimDocument document, ClaimTable table, IReadOnlyDictionary<string, (double Value, int Line)> fileConstants,
        double? fileAlpha, IReadOnlyDictionary<string, ClaimInstance> instances, IReadOnlySet<string> skipped)
    {
        var named = table.Fields.TryGetValue("name", out var n) && n.Value is string s0 ? $"claim '{s0}'" : $"the [[claim]] on line {table.Line}";
        var f = new ClaimFieldReader(document, table, named);
        string name = f.RequiredString("name");
        if (!NamePattern().IsMatch(name)) throw f.Error("name", $"a claim's name is letters, digits, '.', '_' and '-' (it addresses the claim's random streams), but is \"{name}\"");
        ClaimInstance instance;
        string[] keys;
        if (f.OptionalString("instance") is { } instanceName)
        {
            if (skipped.Contains(instanceName)) return null;
            if (!instances.TryGetValue(instanceName, out instance!))
                throw f.Error("instance", $"names no [[instance]] of the file{(instances.Count > 0 ? $"; the instances are {string.Join(", ", instances.Keys)}" : "")}");
            foreach (var key in new[] { "model", "sweep", "trials", instance.Model.SizeSymbol }.Concat(instance.Model.Keys))
                if (f.Has(key)) throw f.Error(key, $"is stated by the claim's instance '{instance.Name}' (line {instance.Line}), which its claims share");
            keys = [.. CommonKeys];
        }
        else
        {
            instance = ReadInstance(f, name, table.Line, isImplicit: true);
            keys = [.. CommonKeys, .. instance.Model.Keys, instance.Model.SizeSymbol];
        }
        var model = instance.Model;

        var own = f.OptionalTable("constants");
        var fixedNames = model.SizeSymbols.Concat(fileConstants.Keys).ToHashSet();
        var claimConstants = own is null ? [] : ClaimConstants(new ClaimFieldReader(document, own, $"the constants of {named}"), fixedNames);
        var modelSymbols = model.SizeSymbols.Concat(model.TrialSymbols).ToHashSet();
        foreach (var (symbol, line) in fileConstants.Select(kv => (kv.Key, kv.Value.Line)).Concat(claimConstants.Select(c => (c.Name, c.Line))))
            if (modelSymbols.Contains(symbol))
                throw document.Error(line, $"the constant '{symbol}' would hide the {model.Family} model's symbol of that name in {named}; rename the constant.");
        var fixedSymbols = model.SizeSymbols.Concat(fileConstants.Keys).Concat(claimConstants.Select(c => c.Name)).Distinct().ToList();

        var relation = Relations.Parse(f.Choice("relation", Relations.Names));
        string? matrix = null;
        StatisticDefinition? statistic = null;
        ClaimExpression? predicted = null, center = null;
        var measures = new List<MeasureDefinition>();
        var members = new List<string>();
        if (relation == Relation.Simultaneously)
        {
            foreach (var key in new[] { "matrix", "statistic", "predicted", "center", "measure" })
                if (f.Has(key)) throw f.Error(key, "a claim that others hold simultaneously measures nothing itself; it lists them under 'claims'");
            var field = f.Field("claims") ?? throw f.Error("the key 'claims' is required for the relation simultaneously: the names of the claims of the instance that must all hold in a trial.");
            if (field.Value is not IEnumerable<object> list || field.Value is string || list.Any(x => x is not string) || list.Count() < 2)
                throw f.Error("claims", "lists at least two claim names, such as [\"a\", \"b\"]");
            members = list.Cast<string>().ToList();
            if (instance.Implicit) throw f.Error("claims", "the claims held simultaneously share one random instance: state an [[instance]] and name it here and in them (instance = \"…\")");
        }
        else
        {
            if (f.Has("claims")) throw f.Error("claims", "applies to the relation simultaneously only");
            matrix = f.RequiredString("matrix");
            Try(f, "matrix", () => model.CheckMatrix(matrix));
            string m = matrix;
            if (f.OptionalTable("measure") is { } measureTable)
                measures = Measures(new ClaimFieldReader(document, measureTable, $"the measures of {named}"), model, matrix, fixedSymbols, modelSymbols);
            var measureSymbols = measures.Select(x => x.Symbol).ToList();
            statistic = Try(f, "statistic", () => StatisticDefinition.Parse(f.RequiredString("statistic"), fixedSymbols, model.RayleighGroups(m), model.EntryGroups(m), measureSymbols));
            if (f.Has("center"))
            {
                if (!statistic.IsEntryDeviation) throw f.Error("center", "is the centre of an entry deviation (diagonal-deviation, off-diagonal-deviation) and applies to them only");
                center = Try(f, "center", () => ClaimExpression.Parse(ExpressionText(f, "center"), fixedSymbols));
            }
            if (relation == Relation.Decays)
            {
                if (f.Has("predicted")) throw f.Error("predicted", "a decay states no prediction: the statistic itself vanishes, at least like size^(−rate)");
                if (statistic.Formula is null && measures.Count > 0) throw f.Error("measure", "a decay's prediction-free statistic uses measured quantities only as an expression (statistic = \"expr:…\")");
            }
            else
            {
                predicted = Try(f, "predicted", () => ClaimExpression.Parse(ExpressionText(f, "predicted"), [.. fixedSymbols, .. model.TrialSymbols, .. measureSymbols]));
                foreach (var symbol in measureSymbols.Where(predicted.Uses))
                    if (predicted.AffineIn(symbol) is not { } affine || measureSymbols.Any(affine.Slope.Uses))
                        throw f.Error("predicted", $"a prediction uses the measured quantities linearly (so that their certified intervals carry over exactly), but \"{predicted.Text}\" is not linear in {symbol}");
                if (relation == Relation.LimitAtLeast && predicted.UsesAny([.. model.TrialSymbols, .. measureSymbols]))
                    throw f.Error("predicted", "the bound of limit-at-least is a number fixed over the sweep, not a quantity measured in each trial");
            }
            if (statistic.Formula is not null && statistic.IsEntryDeviation) throw f.Error("statistic", "an expression is not an entry deviation");
        }

        ProbabilityExpression? probability = null;
        var kind = BoundKind.AtMost;
        if (Relations.IsPerTrial(relation))
        {
            if (f.Has("probability") && f.Has("exact_probability")) throw f.Error("exact_probability", "give either probability (an upper bound) or exact_probability, not both");
            if (!f.Has("probability") && !f.Has("exact_probability"))
                throw f.Error($"the key 'probability' is required for the relation {Relations.Name(relation)}: the stated bound on P(the relation fails), \"0\" for a claim that must hold in every trial (or exact_probability for its exact value).");
            string key = f.Has("probability") ? "probability" : "exact_probability";
            kind = key == "probability" ? BoundKind.AtMost : BoundKind.Exactly;
            probability = Try(f, key, () => ProbabilityExpression.Parse(ExpressionText(f, key), fixedSymbols));
        }
        else foreach (var key in new[] { "probability", "exact_probability" })
            if (f.Has(key)) throw f.Error(key, $"{Relations.Name(relation)} states no failure probability: it is decided on the sweep, by a confidence interval");
        bool pooled = f.Field("pooled")?.Value switch
        {
            null => false,
            bool b => b,
            var v => throw f.Error("pooled", $"is true or false, but is {ClaimFieldReader.Show(v)}"),
        };
        if (pooled && !Relations.IsPerTrial(relation)) throw f.Error("pooled", "applies to claims decided trial by trial (inequalities, simultaneously)");
        if (pooled && f.Has("consistent")) throw f.Error("consistent", "is reported size by size, so a pooled claim does not take it");

        double alpha = Alpha(f) ?? fileAlpha ?? (Relations.IsPerTrial(relation) ? InequalityAlpha : LimitAlpha);
        string statement = f.OptionalString("statement") ?? relation switch
        {
            Relation.Simultaneously => $"{string.Join(", ", members)} hold simultaneously",
            Relation.Decays => $"{statistic!.Text} of {matrix} decays as {model.SizeSymbol} grows",
            _ => $"{statistic!.Text} of {matrix} {Relations.Name(relation)} {predicted!.Text}",
        };
        string label = f.OptionalString("label") ?? name;

        LimitClaim? limit = null;
        DecayClaim? decay = null;
        bool exact = !Relations.IsPerTrial(relation);
        if (Relations.IsLimit(relation))
        {
            limit = LimitOf(f, name, statement, model.SizeSymbol, relation);
            if (instance.Sizes.Count < limit.Model.Parameters)
                throw f.Error(f.Has("sweep") || !instance.Implicit ? "sweep" : model.SizeSymbol, $"the limit is estimated through {limit.Model.Formula}, which needs a sweep of at least {limit.Model.Parameters} sizes, such as sweep = {{ {model.SizeSymbol} = [250, 500, 1000, 2000] }}");
        }
        else
            foreach (var key in new[] { "finite_size", "variance_exponent", "resolution" })
                if (f.Has(key)) throw f.Error(key, "applies to limits (ratio-tends-to-1, limit-at-least) only");
        if (relation == Relation.Decays)
        {
            double rate = Try(f, "rate", () => NumberOrExpression(f, "rate") ?? throw f.Error("the key 'rate' is required for the relation decays: the slowest decay accepted, size^(−rate)"));
            if (!(rate > 0) || rate > 10) throw f.Error("rate", "the decay rate must lie in (0, 10]");
            decay = new DecayClaim(name, statement, rate, $"stated in the claim file: at least like {model.SizeSymbol}^(−{rate.ToString("G4", CultureInfo.InvariantCulture)})").Validated();
            if (instance.Sizes.Count < 2) throw f.Error(f.Has("sweep") || !instance.Implicit ? "sweep" : model.SizeSymbol, "a decay needs a sweep of at least 2 sizes");
        }
        else if (f.Has("rate")) throw f.Error("rate", "applies to the relation decays only");
        if (exact && instance.Trials.Any(t => t < 2))
            throw f.Error(instance.Implicit ? "trials" : "instance", $"{Relations.Name(relation)} needs at least 2 trials per size (the spread over trials is its standard error)");

        var consistent = Consistent(f, relation, predicted, probability);
        string sizeKey = instance.Implicit ? instance.SizeKey : "instance";
        var points = instance.Sizes.Select(size =>
        {
            var symbols = new Dictionary<string, double>(model.SymbolsAt(size));
            foreach (var (c, (v, _)) in fileConstants) symbols[c] = v;
            foreach (var (c, x, _) in claimConstants)
            {
                double v = x.Evaluate(symbols);
                if (!double.IsFinite(v)) throw f.Error("constants", $"at {model.SizeSymbol} = {size} the constant {c} evaluates to {v.ToString(CultureInfo.InvariantCulture)}, not a finite number");
                symbols[c] = v;
            }
            Statistic? resolved = null;
            long dimension = 0;
            if (statistic is not null)
            {
                dimension = model.DimensionOf(matrix!, size);
                double centre = center?.Evaluate(symbols) ?? 0;
                if (!double.IsFinite(centre)) throw f.Error("center", $"at {model.SizeSymbol} = {size} the centre is not a finite number");
                var r = Try(f, "statistic", () => statistic.Resolve(symbols, dimension, centre));
                resolved = r;
                if (r.Kind != StatisticKind.Expression) Try(f, sizeKey, () => model.Check(new MatrixRead(matrix!, r, exact), size));
                if (exact && r.Kind != StatisticKind.Expression && !model.CanBeExact(matrix!, r, size))
                    throw f.Error(sizeKey, $"at {model.SizeSymbol} = {size} {r.Name} of {matrix} is known only within certified bounds, but a limit needs its exact value; choose smaller sizes.");
            }
            var measured = new Dictionary<string, MatrixRead>();
            foreach (var x in measures)
            {
                var r = Try(f, "measure", () => x.Statistic.Resolve(symbols, model.DimensionOf(x.Matrix, size)));
                // An expression statistic reads its quantities exactly (it is no interval); so does a limit or a decay.
                bool needExact = exact || statistic?.Formula?.Uses(x.Symbol) == true;
                var read = new MatrixRead(x.Matrix, r, needExact);
                Try(f, "measure", () => model.Check(read, size));
                if (needExact && !model.CanBeExact(x.Matrix, r, size))
                    throw f.Error("measure", $"at {model.SizeSymbol} = {size} {r.Name} of {x.Matrix} is known only within certified bounds, but {(exact ? "a limit or a decay" : "an expression statistic")} needs exact values");
                measured[x.Symbol] = read;
            }
            double? bound = null, log10 = null;
            if (probability is not null)
            {
                var b = Try(f, kind == BoundKind.AtMost ? "probability" : "exact_probability", () => probability.Evaluate(symbols));
                if (!double.IsFinite(b.Value) || b.Value < 0 || (kind == BoundKind.Exactly && b.Value > 1))
                    throw f.Error(kind == BoundKind.AtMost ? "probability" : "exact_probability",
                        $"at {model.SizeSymbol} = {size} the probability evaluates to {b.Value.ToString("G6", CultureInfo.InvariantCulture)}, not a probability{(kind == BoundKind.AtMost ? " bound ≥ 0" : " in [0, 1]")}");
                bound = b.Value;
                log10 = b.Log10;
            }
            double? fixedPrediction = null;
            if (predicted is not null && !predicted.UsesAny([.. model.TrialSymbols, .. measured.Keys]))
            {
                double v = predicted.Evaluate(symbols);
                if (!double.IsFinite(v)) throw f.Error("predicted", $"at {model.SizeSymbol} = {size} the prediction evaluates to {v.ToString(CultureInfo.InvariantCulture)}, not a finite number");
                fixedPrediction = v;
            }
            if (relation == Relation.RatioTendsToOne && fixedPrediction == 0)
                throw f.Error("predicted", $"at {model.SizeSymbol} = {size} the prediction is 0, so the ratio statistic/predicted is undefined");
            return new ClaimPoint(size, resolved, dimension, symbols, bound, fixedPrediction)
            {
                BoundLog10 = log10, Measures = measured,
                Consistent = consistent.Select(c => ConsistentAt(f, c, relation, symbols, size, model.SizeSymbol)).ToList(),
            };
        }).ToList();
        f.EnsureAllUsed(keys);
        if (pooled && points.Select(p => p.Bound).Distinct().Count() > 1)
            throw f.Error("probability", "a pooled claim states one failure probability for every size, but this one evaluates differently at different sizes");
        if (relation == Relation.LimitAtLeast)
        {
            var bounds = points.Select(p => p.FixedPrediction!.Value).Distinct().ToList();
            if (bounds.Count > 1) throw f.Error("predicted", "the bound of limit-at-least must be the same number at every size of the sweep");
            // Power before PASS: a bound of 0 gives no scale for the shortfall the sweep must detect, so the file states it.
            if (bounds[0] == 0 && limit!.Resolution is null)
                throw f.Error("resolution", "is required for limit-at-least with the bound 0: the shortfall below 0 (an absolute number) the sweep must be able to detect, or the claim could pass without power");
            limit = (limit! with { Target = bounds[0] }).Validated();
        }
        return new ClaimDefinition(name, statement, table.Line, instance, matrix, statistic, relation, predicted, probability, kind, alpha, points, limit,
            members, measures, consistent.Select(c => c.Symbol).ToList(), label) { Decay = decay, Pooled = pooled };
    }

    /// <summary>`measure = { R = { matrix = "remainder", statistic = "lambda-max" }, next = "eigenvalue:C + 1" }` (a string: the claim's matrix).</summary>
    private static List<MeasureDefinition> Measures(ClaimFieldReader f, ClaimModel model, string claimMatrix, IReadOnlyCollection<string> fixedSymbols, IReadOnlySet<string> modelSymbols)
    {
        var list = new List<MeasureDefinition>();
        foreach (string symbol in f.Keys)
        {
            var field = f.Field(symbol)!;
            if (!NamePattern().IsMatch(symbol) || symbol.Contains('-') || symbol.Contains('.') || !char.IsLetter(symbol[0]) || symbol is "pi" or "e")
                throw f.Error(symbol, "a measured quantity's name is a symbol: letters, digits and _, starting with a letter (not pi or e)");
            if (modelSymbols.Contains(symbol) || fixedSymbols.Contains(symbol)) throw f.Error(symbol, $"would hide the symbol {symbol}; choose another name");
            string matrix = claimMatrix, text;
            switch (field.Value)
            {
                case string s:
                    text = s;
                    break;
                case ClaimTable t:
                    var inner = new ClaimFieldReader(f.Document, t, $"the measure '{symbol}'");
                    matrix = inner.OptionalString("matrix") ?? claimMatrix;
                    text = inner.RequiredString("statistic");
                    inner.EnsureAllUsed(["matrix", "statistic"]);
                    break;
                default:
                    throw f.Error(symbol, "a measured quantity is a statistic of the claim's matrix (\"eigenvalue:C + 1\") or a table { matrix = \"…\", statistic = \"…\" }");
            }
            Try(f, symbol, () => model.CheckMatrix(matrix));
            var statistic = Try(f, symbol, () => StatisticDefinition.Parse(text, fixedSymbols, model.RayleighGroups(matrix), model.EntryGroups(matrix)));
            if (statistic.IsEntryDeviation) throw f.Error(symbol, "an entry deviation has a centre, which a measured quantity does not state; measure it in a claim of its own");
            list.Add(new MeasureDefinition(symbol, matrix, statistic));
        }
        if (list.Count == 0) throw f.Error("names no quantity; write measure = { name = \"statistic\" } or leave it out");
        return list;
    }

    /// <summary>The symbols of `consistent`, each in the probability or the prediction, with its affine form there.</summary>
    private static List<(string Symbol, bool InProbability, ClaimExpression Intercept, ClaimExpression Slope)> Consistent(ClaimFieldReader f,
        Relation relation, ClaimExpression? predicted, ProbabilityExpression? probability)
    {
        var result = new List<(string, bool, ClaimExpression, ClaimExpression)>();
        var field = f.Field("consistent");
        if (field is null) return result;
        if (field.Value is not IEnumerable<object> list || field.Value is string || list.Any(x => x is not string))
            throw f.Error("consistent", "lists symbols, such as [\"C\", \"xi_pair\"]");
        if (!Relations.IsPerTrial(relation)) throw f.Error("consistent", "applies to claims decided trial by trial (inequalities, simultaneously)");
        foreach (string symbol in list.Cast<string>())
        {
            bool inProbability = probability?.Expression?.Uses(symbol) == true, inPrediction = predicted?.Uses(symbol) == true;
            if (probability is not null && probability.Expression is null && probability.Symbols.Contains(symbol))
                throw f.Error("consistent", $"'{symbol}' is an argument of {probability.Tail}, whose smallest consistent value is not defined here");
            if (inProbability == inPrediction)
                throw f.Error("consistent", inProbability
                    ? $"'{symbol}' appears in both the probability and the prediction; a consistent constant belongs to one of them"
                    : $"'{symbol}' appears in neither the probability nor the prediction");
            var x = inProbability ? probability!.Expression! : predicted!;
            if (x.AffineIn(symbol) is not { } affine)
                throw f.Error("consistent", $"the smallest consistent {symbol} is solved from \"{x.Text}\", which must be linear in it");
            result.Add((symbol, inProbability, affine.Intercept, affine.Slope));
        }
        return result;
    }

    /// <summary>A consistent symbol's affine form at one size; the slope's sign must make the claim weaker as the symbol grows.</summary>
    private static ConsistentSymbol ConsistentAt(ClaimFieldReader f, (string Symbol, bool InProbability, ClaimExpression Intercept, ClaimExpression Slope) c,
        Relation relation, IReadOnlyDictionary<string, double> symbols, long size, string sizeSymbol)
    {
        double a, b;
        try { (a, b) = (c.Intercept.Evaluate(symbols), c.Slope.Evaluate(symbols)); }
        catch (InvalidOperationException) { throw f.Error("consistent", $"solving for {c.Symbol} needs an expression of the symbols fixed at each size (not of measured ones)"); }
        bool weaker = c.InProbability || Relations.BoundsFromAbove(relation) ? b > 0 : b < 0;
        if (!double.IsFinite(a) || !double.IsFinite(b) || !weaker)
            throw f.Error("consistent", $"at {sizeSymbol} = {size} a larger {c.Symbol} does not make the claim weaker (its coefficient is {b.ToString("G4", CultureInfo.InvariantCulture)}), so no smallest consistent value is defined");
        return new ConsistentSymbol(c.Symbol, c.InProbability, a, b);
    }

    /// <summary>Every claim held simultaneously is a per-trial claim of the same instance.</summary>
    private static void CheckMembers(ClaimDocument doc, IReadOnlyList<ClaimDefinition> claims)
    {
        foreach (var claim in claims.Where(c => c.Relation == Relation.Simultaneously))
            foreach (var member in claim.Members)
            {
                var m = claims.FirstOrDefault(c => c.Name == member);
                string problem = m is null ? "is not a claim of the file"
                    : m == claim ? "is this claim itself"
                    : m.Instance != claim.Instance ? $"is measured on the instance '{m.Instance.Name}', not on '{claim.Instance.Name}'"
                    : !m.IsInequality ? "is not an inequality decided trial by trial" : "";
                if (problem.Length > 0) throw doc.Error(claim.Line, $"key 'claims' of claim '{claim.Name}': '{member}' {problem}.");
            }
    }

    /// <summary>
    /// The decision layer's claim for ratio-tends-to-1: target 1, the finite-size model limit + a·x^(−e) (finite_size = e, default 1;
    /// "none" for no finite-size term), the per-trial variance ∝ x^(−v) of its weights (variance_exponent, default 1) and the
    /// largest relative error of the limit the sweep must be able to detect (resolution, default 0.1).
    /// </summary>
    private static LimitClaim LimitOf(ClaimFieldReader f, string name, string statement, string sizeSymbol, Relation relation)
    {
        double v = f.OptionalDouble("variance_exponent", -10, 10) ?? 1;
        FiniteSizeModel model;
        var field = f.Field("finite_size");
        double Exponent(object value)
        {
            double e = value switch
            {
                long or double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                string s => Evaluate(f, "finite_size", s, new Dictionary<string, double>()),
                _ => throw f.Error("finite_size", $"an exponent is a number (or an expression of numbers such as \"2/3\"), but one is {ClaimFieldReader.Show(value)}"),
            };
            if (!(e > 0) || e > 10) throw f.Error("finite_size", "a finite-size exponent e (corrections of order size^(−e)) must lie in (0, 10]");
            return e;
        }
        string Show(double e) => e.ToString("G4", CultureInfo.InvariantCulture);
        switch (field?.Value)
        {
            case null:
                model = FiniteSizeModel.PowerLaw(DefaultFiniteSizeExponent, $"the claim file's default: corrections of order 1/{sizeSymbol}", v);
                break;
            case "none":
                model = FiniteSizeModel.Constant("stated in the claim file: no finite-size term", v);
                break;
            case long or double or string:
                double e = Exponent(field.Value);
                model = FiniteSizeModel.PowerLaw(e, $"stated in the claim file: corrections of order {sizeSymbol}^(−{Show(e)})", v);
                break;
            case IEnumerable<object> list:
                var exponents = list.Select(Exponent).ToList();
                if (exponents.Count == 0) throw f.Error("finite_size", "lists no exponent; write \"none\" for no finite-size term");
                if (exponents.Distinct().Count() != exponents.Count) throw f.Error("finite_size", "the exponents must be distinct (a repeated term is not identifiable)");
                model = FiniteSizeModel.Corrections(exponents, $"stated in the claim file: corrections of orders {string.Join(", ", exponents.Order().Select(x => $"{sizeSymbol}^(−{Show(x)})"))}", v);
                break;
            default:
                throw f.Error("finite_size", $"is the exponent e of the finite-size term a·size^(−e) (a number), a list of exponents or \"none\", but is {ClaimFieldReader.Show(field.Value)}");
        }
        // A limit at least a bound states the resolution relative to |bound| or none (the decision layer then requires |bound|: power
        // to refute a limit of 0); with the bound 0 it must state one, absolute (checked once the bound is known).
        double? resolution = Try(f, "resolution", () => NumberOrExpression(f, "resolution"));
        if (resolution is double r && (!(r > 0) || r > 10)) throw f.Error("resolution", "the resolution (a relative error of the limit) must lie in (0, 10]");
        return relation == Relation.LimitAtLeast
            ? new LimitClaim(name, statement, 0.0, model, LimitRelation.AtLeast, resolution)
            : new LimitClaim(name, statement, 1.0, model, LimitRelation.TendsTo, resolution ?? DefaultResolution).Validated();
    }

    /// <summary>A number, or an expression of numbers in a string ("0.05*3", as a parameter's substitution leaves it); null when absent.</summary>
    private static double? NumberOrExpression(ClaimFieldReader f, string key) => f.Field(key)?.Value switch
    {
        null => null,
        long l => l,
        double d => d,
        string s => Evaluate(f, key, s, new Dictionary<string, double>()),
        var v => throw f.Error(key, $"is a number or an expression of numbers, but is {ClaimFieldReader.Show(v)}"),
    };

    /// <summary>An expression key given as a string or, for convenience, as a plain number.</summary>
    private static string ExpressionText(ClaimFieldReader f, string key) => f.Field(key)!.Value switch
    {
        string s when s.Trim().Length > 0 => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        var v => throw f.Error(key, $"an expression is a string such as \"C*D/(delta^2*p)\", but is {ClaimFieldReader.Show(v)}"),
    };

    /// <summary>
    /// `sweep = { M = [...] }`, `sweep = { M = { from = 125, to = 2000, factor = 2 } }` (from, from·factor, … up to `to`) or a single
    /// size `M = 1000` (the model's size symbol), whole numbers.
    /// </summary>
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
        long Size(object v) => v is long l && l >= model.MinimumSize && l <= int.MaxValue ? l
            : throw f.Error("sweep", $"every size of the sweep must be a whole number ≥ {model.MinimumSize}, but one is {ClaimFieldReader.Show(v)}");
        if (values is ClaimTable range)
        {
            var r = new ClaimFieldReader(f.Document, range, $"the sweep of {f.Where}");
            long from = Size(r.Field("from")?.Value ?? throw f.Error("sweep", "a geometric sweep is { from = …, to = …, factor = … }"));
            long to = Size(r.Field("to")?.Value ?? throw f.Error("sweep", "a geometric sweep is { from = …, to = …, factor = … }"));
            long factor = r.OptionalLong("factor", 2, 1000) ?? 2;
            r.EnsureAllUsed(["from", "to", "factor"]);
            if (to < from) throw f.Error("sweep", $"the sweep runs from {from} to {to}, which is below it");
            var list = new List<long>();
            for (long x = from; x <= to; x *= factor) list.Add(x);
            return list;
        }
        if (values is not IEnumerable<object> items || values is string)
            throw f.Error("sweep", $"a sweep is a list of sizes, such as sweep = {{ {symbol} = [250, 500, 1000] }}, or {{ {symbol} = {{ from = 250, to = 2000, factor = 2 }} }}");
        var sizes = items.Select(Size).ToList();
        if (sizes.Count == 0) throw f.Error("sweep", "the sweep lists no size");
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

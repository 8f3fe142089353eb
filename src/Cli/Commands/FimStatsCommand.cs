using System.Globalization;
using System.Text.Json;
using FimVerify.Cli.CommandLine;
using FimVerify.Cli.Output;
using FimVerify.Numeric.Activations;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.MeanField;
using FimVerify.Numeric.Models;
using FimVerify.Numeric.Random;

namespace FimVerify.Cli.Commands;

/// <summary>`fim-stats`: mean-field predictions of the FIM spectrum (and variants) against random networks.</summary>
public sealed class FimStatsCommand : ICommand
{
    private static readonly string[] Variants = ["regression", "softmax", "mean-subtracted", "ntk", "blocks", "input"];

    public string Path => "fim-stats";
    public string Summary => "Predicted vs measured m_λ, s_λ, λ_max and the top-C eigenvalues of the FIM of random wide MLPs (MATH.md §2).";
    public string Help => $"""
        Usage: fimverify fim-stats --activation A --depth L --width M --samples T --outputs C --sigma-w2 X --sigma-b2 Y
                                   [--widths a0,…] [--variant V] [--seed S] [--trials K] [--format text|json]
        {MeanFieldOptions.Synopsis}  --width M        base width (hidden width M_l = α_l M), 2 … 4000
          --samples T      inputs per trial, 2 … 2000 (the dual is CT × CT)
          --outputs C      network outputs, 1 … 100
          --variant V      regression (default), softmax, mean-subtracted, ntk, blocks, input
          --seed S         run seed (default 1); trial k uses the stream seed/"fim-stats"/k
          --trials K       independent networks, 1 … 1000 (default 1)
          --format F       text (default) or json
        Statistics are over all P eigenvalues of the metric (P×P, computed through its CT×CT dual): m_λ = Σλ/P,
        s_λ = Σλ²/P; λ_max is compared as the mean of the top C eigenvalues (C − 1 for softmax, whose Q·1 = 0);
        NTK statistics are over the CT eigenvalues of Θ = J Jᵀ. Ratios are measured/predicted, averaged over trials.
        Structural claims (exit 1 if one fails): regression — the C-th eigenvalue exceeds twice the (C+1)-th
        (outliers separated); mean-subtracted — its largest eigenvalue is below half the C-th of F (outliers
        removed); softmax — every sorted eigenvalue of F_cross is at most that of F (F_cross ⪯ F).
        Example: fimverify fim-stats --activation tanh --depth 3 --width 500 --samples 50 --outputs 5 --sigma-w2 3 --sigma-b2 0.64 --trials 3
        """;

    public int Run(ArgumentReader args, TextWriter stdout)
    {
        var (activation, shape) = MeanFieldOptions.Read(args);
        int m = Required(args, "--width", 2, 4000);
        int T = Required(args, "--samples", 2, 2000);
        int C = Required(args, "--outputs", 1, 100);
        if ((long)C * T > 4000) throw new UsageException($"The dual has C·T = {C * T} rows; keep C·T at most 4000.");
        if (shape.Depth < 2) throw new UsageException("The FIM statistics need at least one hidden layer: use --depth 2 or more (α = 0 at depth 1).");
        string variantName = args.Choice("--variant", Variants, "regression");
        long seed = args.Long("--seed", 1);
        int trials = args.Int("--trials", 1, 1, 1000);
        var format = OutputFormats.Read(args, OutputFormat.Text, OutputFormat.Json);
        args.EnsureAllUsed();

        var variant = variantName switch
        {
            "softmax" => FimVariant.Softmax, "mean-subtracted" => FimVariant.MeanSubtracted, "ntk" => FimVariant.Ntk,
            "blocks" => FimVariant.Blocks, "input" => FimVariant.Input, _ => FimVariant.Regression,
        };
        var op = OrderParameters.Compute(GaussianKernels.For(activation), shape);
        var pred = new Predictions(op, m, T, C);
        var run = SeedSequence.FromSeed(seed).Child("fim-stats");

        var rows = new List<Row>();          // one per compared metric (several for blocks)
        var claims = new List<(string name, bool holds, string detail)>();
        for (int k = 0; k < trials; k++)
        {
            var net = Mlp.Sample(activation, shape, m, C, run.Child(k));
            var fwd = net.Forward(net.SampleInputs(T, run.Child(k)), T);
            var dual = new MlpDualGram(new MlpBackward(fwd));
            var spectra = FimSpectrumExperiment.Spectra(dual, variant);
            for (int i = 0; i < spectra.Length; i++)
            {
                if (rows.Count <= i) rows.Add(new Row(variant == FimVariant.Blocks ? $"F_{i + 1}{i + 1}" : variantName, Predicted(variant, pred, i)));
                int top = variant == FimVariant.Softmax ? Math.Max(1, C - 1) : C;
                rows[i].Add(spectra[i], top);
            }
            switch (variant)
            {
                case FimVariant.Regression when spectra[0].EigenvaluesDescending.Length > C:
                    double gap = spectra[0].EigenvaluesDescending[C - 1] / spectra[0].EigenvaluesDescending[C];
                    claims.Add(($"trial {k}: outliers separated (λ_C > 2 λ_(C+1))", gap > 2, $"λ_C/λ_(C+1) = {G(gap)}"));
                    break;
                case FimVariant.MeanSubtracted:
                    var full = MeasuredSpectrum.Of(dual.Fisher(), net.ParameterCount);
                    double ratio = spectra[0].LambdaMax / full.EigenvaluesDescending[C - 1];
                    claims.Add(($"trial {k}: mean subtraction removes the outliers (λ_max(F̄) < λ_C(F)/2)", ratio < 0.5, $"λ_max(F̄)/λ_C(F) = {G(ratio)}"));
                    break;
                case FimVariant.Softmax:
                    var f = MeasuredSpectrum.Of(dual.Fisher(), net.ParameterCount).EigenvaluesDescending;
                    var fc = spectra[0].EigenvaluesDescending;
                    double worst = fc.Select((v, j) => v - f[j] * (1 + 1e-10) - 1e-12 * f[0]).Max();
                    claims.Add(($"trial {k}: F_cross ⪯ F (sorted eigenvalues dominated)", worst <= 0, $"max(λ_i(F_cross) − λ_i(F)) = {G(worst)}"));
                    var (_, prob) = MlpDualGram.Softmax(dual.Fisher(), fwd.Outputs, C, T);
                    rows[0].AddSoftmaxPrediction(pred, prob, C, T);
                    break;
            }
        }

        bool holds = claims.All(c => c.holds);
        if (format == OutputFormat.Json)
        {
            stdout.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("activation", activation.Name);
                w.WriteString("variant", variantName);
                w.WriteNumber("depth", shape.Depth); w.WriteNumber("width", m); w.WriteNumber("samples", T); w.WriteNumber("outputs", C);
                w.Number("sigmaW2", shape.SigmaW2); w.Number("sigmaB2", shape.SigmaB2);
                w.WriteNumber("seed", seed); w.WriteNumber("trials", trials);
                w.Number("alpha", op.Alpha); w.Number("kappa1", op.Kappa1); w.Number("kappa2", op.Kappa2);
                w.Number("ntkKappa1", op.NtkKappa1); w.Number("ntkKappa2", op.NtkKappa2);
                w.Number("criticalLearningRate", pred.CriticalLearningRate());
                w.WriteString("eigenBackend", DenseSymmetricEigen.Backend);
                w.WriteStartArray("metrics");
                foreach (var r in rows) r.WriteJson(w);
                w.WriteEndArray();
                w.WriteStartArray("claims");
                foreach (var (name, ok, detail) in claims)
                {
                    w.WriteStartObject(); w.WriteString("claim", name); w.WriteBoolean("holds", ok); w.WriteString("detail", detail); w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteString("verdict", holds ? "PASS" : "FAIL");
                w.WriteEndObject();
            }));
        }
        else
        {
            stdout.WriteLine($"{activation.Name}, L = {shape.Depth}, M = {m}, T = {T}, C = {C}, σ_w² = {G(shape.SigmaW2)}, σ_b² = {G(shape.SigmaB2)}, variant {variantName}, {trials} trial(s), seed {seed}");
            stdout.WriteLine($"α = {G(op.Alpha)}, κ₁ = {G(op.Kappa1)}, κ₂ = {G(op.Kappa2)}, κ′₁ = {G(op.NtkKappa1)}, κ′₂ = {G(op.NtkKappa2)}, critical η = 2/λ_max = {G(pred.CriticalLearningRate())}");
            foreach (var r in rows) r.WriteText(stdout);
            foreach (var (name, ok, detail) in claims) stdout.WriteLine($"{(ok ? "PASS" : "FAIL")}  {name}: {detail}");
        }
        return holds ? Dispatcher.Holds : Dispatcher.ClaimFailed;
    }

    private static EigenvalueStatistics? Predicted(FimVariant v, Predictions p, int index) => v switch
    {
        FimVariant.Regression => p.Regression(),
        FimVariant.MeanSubtracted => p.MeanSubtracted(),
        FimVariant.Ntk => p.Ntk(),
        FimVariant.Blocks => p.Block(index + 1),
        FimVariant.Input => p.InputMetric(),
        _ => null, // softmax: needs the measured Q, filled per trial
    };

    private static int Required(ArgumentReader args, string name, int min, int max)
    {
        if (!args.Has(name)) throw new UsageException($"The option {name} is required.");
        return args.Int(name, 0, min, max);
    }

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Accumulates one metric's measured statistics over trials.</summary>
    private sealed class Row(string name, EigenvalueStatistics? predicted)
    {
        private readonly List<EigenvalueStatistics> _measured = [];
        private readonly List<double> _largest = [];
        private readonly List<double[]> _top = [];
        private readonly List<EigenvalueStatistics> _softmaxPredicted = [];

        public void Add(MeasuredSpectrum s, int top)
        {
            _measured.Add(s.Statistics(top));
            _largest.Add(s.LambdaMax);
            _top.Add(s.Top(top));
        }

        /// <summary>Softmax prediction for this trial: outliers ακ₂M(T−1)/T·eig(mean Q), mean κ₁·mean tr Q/M.</summary>
        public void AddSoftmaxPrediction(Predictions p, double[] prob, int C, int T)
        {
            var q = new double[C * C];
            double trace = 0;
            for (int t = 0; t < T; t++)
                for (int i = 0; i < C; i++)
                {
                    double gi = prob[t * C + i];
                    trace += gi * (1 - gi) / T;
                    for (int j = 0; j < C; j++) q[i * C + j] += ((i == j ? gi : 0) - gi * prob[t * C + j]) / T;
                }
            var ev = DenseSymmetricEigen.Eigenvalues(new SymmetricMatrix(C, q)).Reverse().Take(Math.Max(1, C - 1)).ToArray();
            _softmaxPredicted.Add(new EigenvalueStatistics(p.SoftmaxMean(trace), double.NaN, p.SoftmaxOutliers(ev).Average()));
        }

        private EigenvalueStatistics? Prediction => predicted ?? (_softmaxPredicted.Count == 0 ? null
            : new EigenvalueStatistics(_softmaxPredicted.Average(s => s.Mean), double.NaN, _softmaxPredicted.Average(s => s.LambdaMax)));

        private static (double mean, double se) MeanSe(IReadOnlyList<double> xs)
        {
            double mean = xs.Average();
            if (xs.Count < 2) return (mean, double.NaN);
            double var = xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1);
            return (mean, Math.Sqrt(var / xs.Count));
        }

        private IEnumerable<(string key, double predicted, double mean, double se)> Entries()
        {
            var p = Prediction;
            var m = MeanSe(_measured.Select(s => s.Mean).ToList());
            var s2 = MeanSe(_measured.Select(s => s.SecondMoment).ToList());
            var l = MeanSe(_measured.Select(s => s.LambdaMax).ToList());
            yield return ("mean", p?.Mean ?? double.NaN, m.mean, m.se);
            yield return ("secondMoment", p?.SecondMoment ?? double.NaN, s2.mean, s2.se);
            yield return ("lambdaMax", p?.LambdaMax ?? double.NaN, l.mean, l.se);
        }

        public void WriteJson(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("metric", name);
            foreach (var (key, pv, mean, se) in Entries())
            {
                w.WriteStartObject(key);
                Opt(w, "predicted", pv); w.Number("measured", mean); Opt(w, "stdErr", se); Opt(w, "ratio", mean / pv);
                w.WriteEndObject();
            }
            w.Number("largestEigenvalue", _largest.Average());
            w.WriteStartArray("topEigenvalues");
            for (int j = 0; j < _top[0].Length; j++) w.WriteNumberValue(_top.Average(t => t[j]));
            w.WriteEndArray();
            w.WriteEndObject();
        }

        public void WriteText(TextWriter o)
        {
            o.WriteLine($"[{name}]  {"predicted",14} {"measured",14} {"± s.e.",12} {"ratio",10}");
            foreach (var (key, pv, mean, se) in Entries())
                o.WriteLine($"  {key,-12} {Show(pv),14} {Show(mean),14} {Show(se),12} {Show(mean / pv),10}");
            o.WriteLine($"  largest eigenvalue {Show(_largest.Average())}; top: {string.Join(", ", Enumerable.Range(0, _top[0].Length).Select(j => Show(_top.Average(t => t[j]))))}");
        }

        private static string Show(double v) => double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "—";

        private static void Opt(Utf8JsonWriter w, string key, double v)
        {
            if (double.IsFinite(v)) w.Number(key, v); else w.WriteNull(key);
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using FimVerify.Cli.Plots;
using FimVerify.Cli.Report.Suite;
using FimVerify.Numeric.Verification;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Resources;
using FimVerify.Numeric.ShallowRelu;

namespace FimVerify.Cli.Report.Parts;

/// <summary>Lemma 1 against Monte Carlo, with the spectrum of J and the theoretical levels of Theorem 2.</summary>
public sealed class Lemma1Part : IReportPart
{
    public string Id => "lemma1";
    public string Title => "Lemma 1: J by the arc-cosine kernel vs Monte Carlo";

    public SectionWork Prepare(ReportContext context, PartSettings settings)
    {
        int d = settings.Int("d", 5, 1, 1000);
        int p = settings.Int("p", context.Quick ? 80 : 200, 2, 2000);
        long samples = settings.Long("samples", context.Quick ? 50_000 : 200_000, 2, 100_000_000);
        double alpha = settings.FalseAlarmRate("alpha", 1e-3, 0.5);
        settings.EnsureAllUsed();
        context.Reserve(ExperimentCosts.Lemma1(d, p, samples), $"[lemma1] at d = {d}, p = {p} with {samples} samples", "reduce p or samples in [lemma1]");
        return progress => Run(context, new Lemma1Parameters(d, p, samples, context.Seed, alpha), progress);
    }

    private ReportSection Run(ReportContext context, Lemma1Parameters parameters, IProgress<ProgressStep>? progress)
    {
        var c = CultureInfo.InvariantCulture;
        var (d, p, samples) = (parameters.D, parameters.P, parameters.Samples);
        var r = Lemma1Check.Run(parameters, progress);
        var descending = r.Eigenvalues.Reverse().ToArray();
        var spectrum = SpectrumPlot.Create($"Spectrum of J (d = {d}, p = {p}) with Theorem 2's levels", descending,
            [
                new("(2d+1)/(4π): 1 eigenvalue", (2.0 * d + 1) / (4 * Math.PI)),
                new($"1/4: {d} eigenvalues", 0.25),
                new($"1/(2πd): {d * (d + 1) / 2 - 1} eigenvalues", 1.0 / (2 * Math.PI * d)),
            ], show: Math.Min(p, 60));
        var plots = FigureFiles.Save(spectrum, context.OutputDirectory, "lemma1-spectrum").ToList();
        var theory = new List<double>(); var estimate = new List<double>();
        for (int i = 0; i < p; i++)
            for (int j = i; j < p; j++) { theory.Add(r.Fisher[i, j]); estimate.Add(r.MonteCarlo.Mean[i, j]); }
        plots.AddRange(FigureFiles.Save(AgreementPlot.Create($"Lemma 1 vs Monte Carlo ({samples} inputs)",
            "J_ij by Lemma 1", "Monte Carlo estimate of E[X_i X_j]", theory.ToArray(), estimate.ToArray()),
            context.OutputDirectory, "lemma1-agreement"));
        var results = new JsonObject
        {
            ["d"] = d, ["p"] = p, ["samples"] = samples, ["seed"] = context.Seed,
            ["entries"] = r.EntriesCompared, ["deviationLog"] = r.DeviationLog, ["worstRatio"] = r.WorstRatio,
            ["beyondThreshold"] = r.EntriesBeyondThreshold, ["detectableRelativeError"] = r.DetectableRelativeError,
            ["medianDetectableRelativeError"] = r.MedianDetectableRelativeError, ["maxDiagonalError"] = r.MaxDiagonalIdentityError,
            ["smallestEigenvalue"] = r.SmallestEigenvalue, ["trace"] = r.Trace,
            ["eigenvaluesDescending"] = new JsonArray(descending.Take(60).Select(x => (JsonNode)x).ToArray()),
        };
        IReadOnlyList<string> Row(string a, string b) => [a, b];
        var entrywise = new ClaimDecision("lemma1.entrywise", "J_ij = (1/2π)((π − θ_ij) cos θ_ij + sin θ_ij) n_i n_j for every entry (Monte Carlo mean of ReLU(w_i·x)ReLU(w_j·x))",
            $"every |Ĵ − J| within Bernstein's bound √(2σ²t/n) + ct/n, t = ln(2m/α), σ² and c from the exact moments of the product; α = {parameters.FalseAlarmRate.ToString("G3", c)} family-wise at any n",
            $"{r.EntriesBeyondThreshold} of {r.EntriesCompared} entries beyond; worst |Ĵ − J|/bound {r.WorstRatio.ToString("F3", c)}", r.Verdict)
        {
            DetectableRelativeError = r.DetectableRelativeError,
            PowerNote = $"an error of {r.DetectableRelativeError.ToString("P1", c)} of J in every entry detected with probability 0.9; required {Lemma1Check.Resolution.ToString("P0", c)}",
        };
        bool psd = r.SmallestEigenvalue >= -1e-12 * r.Trace;
        var positive = ClaimDecision.Of(ClaimVerdict.Decide(Claim.Always("lemma1.psd", "J by Lemma 1 is positive semi-definite: λ_min ≥ −1e-12·tr J"), psd ? 0 : 1, 1, 1e-6),
            $"λ_min = {r.SmallestEigenvalue.ToString("0.000e+00", c)}");
        return new ReportSection(Id, Title,
            "For i ≠ j, J_ij = (1/2π)((π − θ_ij) cos θ_ij + sin θ_ij) n_i n_j and J_ii = n_i²/2. Decision: every distinct entry's "
            + "deviation |Ĵ − J| must lie within Bernstein's finite-sample bound √(2σ²t/n) + ct/n, t = ln(2m/α) (both sides of all m "
            + "entries: family-wise false-alarm rate α at every sample size, no central limit theorem), with σ² and c from the exact "
            + "moments of ReLU(u)ReLU(v); UNDERPOWERED when not even an error of 100% of J would be detected with probability 0.9.",
            [new("d", d.ToString(c)), new("p", p.ToString(c)), new("samples", samples.ToString(c)), new("α", parameters.FalseAlarmRate.ToString("G3", c)), new("seed", context.Seed.ToString(c))],
            new ReportTable(["quantity", "value"],
            [
                Row("entries compared", r.EntriesCompared.ToString(c)),
                Row("t = ln(2m/α)", r.DeviationLog.ToString("F3", c)),
                Row("worst |Ĵ − J| / bound", r.WorstRatio.ToString("F3", c)),
                Row("entries beyond their bound", r.EntriesBeyondThreshold.ToString(c)),
                Row("detectable relative error (best entry, median entry)", $"{r.DetectableRelativeError.ToString("P1", c)}, {r.MedianDetectableRelativeError.ToString("P1", c)}"),
                Row("max |J_ii − n_i²/2|", r.MaxDiagonalIdentityError.ToString("0.00e+00", c)),
                Row("smallest eigenvalue (PSD)", r.SmallestEigenvalue.ToString("0.000e+00", c)),
            ]),
            ClaimSections.Verdict([entrywise, positive]), plots, results)
        { Claims = [entrywise, positive] };
    }
}

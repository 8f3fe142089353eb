using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Verification;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>Parameters of the Theorem 3 / Lemma 2 experiment.</summary>
/// <param name="XiPair">ξ(d − 2), the slack for v^(α,β); default the exact mean offset 2/(d+2).</param>
/// <param name="XiDiagonal">ξ(d − 1), the slack for v^(γ); default the exact mean offset 3/(d+2).</param>
/// <param name="DenseLimit">Largest p at which J is formed densely (exact eigenvalues and u J uᵀ); above it the claims on J are
/// decided by certified intervals from the truncation J_K (<see cref="TruncatedKernelBounds"/>), K = <see cref="TruncationOrder"/>.</param>
/// <param name="WithJ">False restricts the experiment to the claims that need only W (Lemma 2 and the trace): no J is computed.</param>
/// <param name="ExactJ">Up to the dense limit, decide every claim on J from J's and R's dense spectra in every trial (the reference
/// path) rather than from certified intervals with the dense spectra only where they leave a claim undecided. Both give the same
/// decisions; the recorded values differ (interval ends instead of exact values).</param>
public sealed record Theorem3Parameters(int D, int P, double Delta, Lemma2Constant Constant, double XiPair, double XiDiagonal, int DenseLimit = 2000, bool WithJ = true,
    bool ExactJ = false)
{
    public static Theorem3Parameters WithDefaultSlack(int d, int p, double delta, Lemma2Constant constant) =>
        new(d, p, delta, constant, Lemma2Slack.XiPair(d), Lemma2Slack.XiDiagonal(d));

    public bool EigenvalueClaims => WithJ;

    /// <summary>The claims on J are decided by certified intervals (p above the dense limit) rather than exactly.</summary>
    public bool Certified => WithJ && P > DenseLimit;

    /// <summary>The truncation order K of the certified intervals: fixed by d and p alone (so shards agree).</summary>
    public int TruncationOrder => TruncatedKernelBounds.DefaultOrder(D, P);

    /// <summary>The same parameters restricted to the claims that need only W (Lemma 2 and the trace).</summary>
    public Theorem3Parameters WithoutJ() => this with { WithJ = false };
    public double Bound => Constant.Bound(Delta, P);

    public Theorem3Parameters Validated()
    {
        if (D < 2) throw new ArgumentOutOfRangeException(nameof(D), "d must be at least 2");
        if (P < D) throw new ArgumentOutOfRangeException(nameof(P), "p must be at least d");
        if (!(Delta > 0) || !double.IsFinite(Delta)) throw new ArgumentOutOfRangeException(nameof(Delta), "δ must be a positive finite number");
        if (!(XiPair >= 0) || !(XiDiagonal >= 0) || !double.IsFinite(XiPair) || !double.IsFinite(XiDiagonal))
            throw new ArgumentOutOfRangeException(nameof(XiPair), "ξ must be a non-negative finite number");
        if (Constant.D != D) throw new ArgumentException("the constant C was computed for another d");
        return this;
    }
}

/// <summary>
/// Lemma 2 (near-orthonormality of the direction vectors), Theorem 3's five inequalities, and the eigenvalue claims,
/// evaluated jointly on W ~ N(0, 1/p)^{d×p} per trial. Each claim records whether it failed and the slack ξ (or the
/// deviation) the trial needed, from which the smallest consistent ξ is derived afterwards. Up to the dense limit the claims
/// on J use J itself; above it they use certified intervals (<see cref="TruncatedKernelBounds"/>, O(p r²) per trial), and a
/// trial whose interval straddles a threshold leaves that claim undecided (measurement "undecided.&lt;claim&gt;").
/// </summary>
public sealed class Theorem3Experiment : ITrialExperiment
{
    public Theorem3Parameters Parameters { get; }
    public string Name => "theorem3";
    public IReadOnlyList<Claim> Claims { get; }
    public IReadOnlyList<string> MeasurementNames { get; }

    // Claim indices (fixed order; the claims on J, from RayleighMean on, only when WithJ).
    /// <summary>The measurement that is 1 for a trial (up to the dense limit) whose claims on J needed the dense spectra.</summary>
    public const string DenseMeasurement = "j.dense";

    /// <summary>Power iterations for the Perron bracket of ‖R_2‖₂ before the first decision, and per refinement round.</summary>
    public const int PerronIterations = 8;
    /// <summary>Refinement rounds (of <see cref="PerronIterations"/> each) before a trial falls back to the dense spectra.</summary>
    public const int PerronRefinements = 12;

    public const int NormMean = 0, NormLinear = 1, NormPair = 2, NormDiagonal = 3, Orthogonality = 4, DiagonalDots = 5,
        Trace = 6, TraceExact = 7, RayleighMean = 8, RayleighLinear = 9, RayleighPair = 10, RayleighDiagonal = 11, All = 12,
        EigenLeading = 13, EigenLinear = 14, EigenQuadratic = 15, EigenGap = 16;

    /// <summary>Claims whose inequality carries ξ, with the measurement that holds the ξ each trial needed.</summary>
    public static readonly IReadOnlyDictionary<int, string> XiMeasurement = new Dictionary<int, string>
    {
        [NormPair] = "xi.norm.pair", [NormDiagonal] = "xi.norm.diag", [DiagonalDots] = "xi.dots.diag",
        [RayleighPair] = "xi.rayleigh.pair", [RayleighDiagonal] = "xi.rayleigh.diag", [EigenQuadratic] = "xi.eigen.quadratic",
    };

    public Theorem3Experiment(Theorem3Parameters parameters)
    {
        Parameters = parameters.Validated();
        var (d, delta, b) = (parameters.D, parameters.Delta, parameters.Bound);
        string x1 = $"ξ(d−2) = {parameters.XiPair:G4}", x2 = $"ξ(d−1) = {parameters.XiDiagonal:G4}";
        var claims = new List<Claim>
        {
            new("lemma2.norm.v0", "|‖v⁽⁰⁾‖² − 1| ≤ δ", b),
            new("lemma2.norm.W", "|‖W_l‖² − 1| ≤ δ for every l", b),
            new("lemma2.norm.pair", $"|‖v^(α,β)‖² − 1| ≤ δ + ξ(d−2) for every α < β ({x1})", b),
            new("lemma2.norm.diag", $"|‖v^(γ)‖² − 1| ≤ δ + ξ(d−1) for every γ ({x2})", b),
            new("lemma2.orthogonality", "|v·v'| ≤ δ for distinct v, v' not both among the v^(γ)", b),
            new("lemma2.dots.diag", $"|v^(γ)·v^(γ') + 1/(d−1)| ≤ δ + ξ(d−1)/(d−1) for γ ≠ γ' ({x2})", b),
            new("theorem3.trace", "tr J ≤ (d/2)(1 + δ)", b),
            new("theorem3.trace.exact", "tr J ≤ (d/2)(1 + δ) fails with the exact probability P(χ²_{dp} > dp(1+δ))", TraceFailureProbability(d, parameters.P, delta), BoundKind.Exactly),
        };
        if (parameters.WithJ)
        {
            claims.Add(new("theorem3.rayleigh.v0", "u J uᵀ ≥ (2d+1)/(4π)(1 − δ) for u = v⁽⁰⁾/‖v⁽⁰⁾‖", b));
            claims.Add(new("theorem3.rayleigh.W", "u J uᵀ ≥ (1/4)(1 − δ) for u = W_l/‖W_l‖, every l", b));
            claims.Add(new("theorem3.rayleigh.pair", $"u J uᵀ ≥ (1 − δ − ξ(d−2))/(2πd) for u = v^(α,β)/‖v^(α,β)‖, every α < β ({x1})", b));
            claims.Add(new("theorem3.rayleigh.diag", $"u J uᵀ ≥ (1 − δ − ξ(d−1))/(2πd) for u = v^(γ)/‖v^(γ)‖, every γ ({x2})", b));
            claims.Add(new("theorem3.all", "Lemma 2 and Theorem 3 hold simultaneously (all claims above but the exact-probability one)", b));
        }
        if (parameters.EigenvalueClaims)
        {
            double xi = Math.Max(parameters.XiPair, parameters.XiDiagonal);
            claims.Add(new("eigen.leading", "λ₁ ≥ (2d+1)/(4π)(1 − δ)", b));
            claims.Add(new("eigen.linear", "λ₂, …, λ_{d+1} ≥ (1/4)(1 − δ)", b));
            claims.Add(new("eigen.quadratic", $"λ_{{d+2}}, …, λ_{{M−1}} ≥ (1 − δ − ξ)/(2πd), M = (d+1)(d+2)/2 (ξ = {xi:G4})", b));
            claims.Add(new("eigen.gap", "λ_{M−1} > ‖R‖₂ ≥ λ_M: the leading M − 1 eigenvalues clear the remainder's norm (Weyl)", b));
        }
        Claims = claims;
        List<string> names = ["dev.norm.v0", "dev.norm.W", "xi.norm.pair", "xi.norm.diag", "dev.orthogonality", "xi.dots.diag", "trace"];
        // The measurements on J exist only when J is evaluated (a Lemma-2-only trial, or its partial file, holds no stand-ins).
        if (parameters.WithJ)
            names.AddRange(["rayleigh.v0", "rayleigh.W", "xi.rayleigh.pair", "xi.rayleigh.diag",
                "lambda.leading", "lambda.linear", "lambda.quadratic", "lambda.next", "remainder.norm", "xi.eigen.quadratic"]);
        // Up to the dense limit: whether the trial needed the dense spectra (its certified intervals left a claim undecided).
        if (parameters.WithJ && !parameters.Certified) names.Add(DenseMeasurement);
        // Certified mode: which trials left a claim on J undecided, and the remainder bound ‖J − J_K‖₂ ≤ ρ_K of each trial.
        if (parameters.Certified)
        {
            names.AddRange(claims.Skip(RayleighMean).Select(c => TrialLog.UndecidedPrefix + c.Name));
            names.Add("truncation.remainder");
        }
        MeasurementNames = names;
    }

    /// <summary>P(tr J > (d/2)(1+δ)) = P(χ²_{dp} > dp(1+δ)), since p‖W‖_F² ~ χ²(dp) and tr J = ‖W‖_F²/2. Underflows to 0 at
    /// large dp; <see cref="TraceFailureLog10Probability"/> keeps the digits.</summary>
    public static double TraceFailureProbability(int d, long p, double delta) => Math.Pow(10, TraceFailureLog10Probability(d, p, delta));

    /// <summary>log₁₀ P(χ²_{dp} > dp(1+δ)), computed in log space (<see cref="GammaTail"/>).</summary>
    public static double TraceFailureLog10Probability(int d, long p, double delta)
    {
        double k = (double)d * p;
        return GammaTail.Log10ChiSquareUpper(k, k * (1 + delta));
    }

    public TrialOutcome Run(SeedSequence seed)
    {
        var prm = Parameters;
        int d = prm.D, p = prm.P, m = DirectionVectors.Count(d);
        double delta = prm.Delta;
        var net = ShallowReluNetwork.Sample(d, p, seed);
        var dirs = DirectionVectors.Of(net);
        var gram = dirs.Gram();
        var groups = dirs.All.Select(v => v.Group).ToArray();

        // Lemma 2 from the Gram matrix.
        double devMean = Math.Abs(gram[0, 0] - 1);
        double devLinear = 0, devPair = 0, devDiagonal = 0, devOrth = 0, devDiagDots = 0;
        for (int a = 0; a < m; a++)
        {
            double norm = Math.Abs(gram[a, a] - 1);
            switch (groups[a])
            {
                case DirectionGroup.Linear: devLinear = Math.Max(devLinear, norm); break;
                case DirectionGroup.Pair: devPair = Math.Max(devPair, norm); break;
                case DirectionGroup.Diagonal: devDiagonal = Math.Max(devDiagonal, norm); break;
            }
            for (int c = a + 1; c < m; c++)
            {
                if (groups[a] == DirectionGroup.Diagonal && groups[c] == DirectionGroup.Diagonal)
                    devDiagDots = Math.Max(devDiagDots, Math.Abs(gram[a, c] + 1.0 / (d - 1)));
                else devOrth = Math.Max(devOrth, Math.Abs(gram[a, c]));
            }
        }
        double xiNormPair = Math.Max(0, devPair - delta), xiNormDiag = Math.Max(0, devDiagonal - delta);
        double xiDots = Math.Max(0, devDiagDots - delta) * (d - 1);

        // Theorem 3: trace and Rayleigh quotients u J uᵀ of the normalised vectors.
        double trace = 0.5 * net.FrobeniusNormSquared();
        var failed = new bool[Claims.Count];
        failed[NormMean] = devMean > delta;
        failed[NormLinear] = devLinear > delta;
        failed[NormPair] = devPair > delta + prm.XiPair;
        failed[NormDiagonal] = devDiagonal > delta + prm.XiDiagonal;
        failed[Orthogonality] = devOrth > delta;
        failed[DiagonalDots] = devDiagDots > delta + prm.XiDiagonal / (d - 1);
        failed[Trace] = failed[TraceExact] = trace > 0.5 * d * (1 + delta);
        if (!prm.WithJ)
            return new TrialOutcome(failed, [devMean, devLinear, xiNormPair, xiNormDiag, devOrth, xiDots, trace]);

        var units = dirs.All.Select(v =>
        {
            double s = 1.0 / Math.Sqrt(Kernels.Dot.Product(v.Values, v.Values));
            return v.Values.Select(x => x * s).ToArray();
        }).ToList();
        // Every quantity on J as an interval certain to contain it. Up to the dense limit: J = J_2 + R_2 with J_2 Theorem 2's main part
        // (rank ≤ M, its eigenvalues from an r × r Gram) and R_2 ≥ 0 entrywise, formed densely, whose norm is bracketed by
        // Collatz–Wielandt ratios (PerronRemainderBounds); a trial whose intervals leave a claim undecided refines the bracket,
        // and only if that does not settle it, computes the dense spectra (exact values, zero width). Above the dense limit: the
        // truncation bounds of J_K with the Schur bound on R_K, and a claim left undecided stays so.
        double level3 = Theorem2Levels.Of(DirectionGroup.Pair, d);
        double thresholdMean = Theorem2Levels.Of(DirectionGroup.Mean, d) * (1 - delta), thresholdLinear = Theorem2Levels.Of(DirectionGroup.Linear, d) * (1 - delta);
        CertifiedInterval[] rayleigh = [];
        Func<int, CertifiedInterval> lambda = _ => default;   // λ_k, descending, 1-based
        CertifiedInterval remainderNorm = default;             // ‖R‖₂ of Theorem 2
        double truncationRemainder = 0;
        Certainty[] certainty;
        bool dense = false;
        void FromBounds(TruncatedKernelBounds bounds)
        {
            rayleigh = Enumerable.Range(0, m).Select(bounds.Rayleigh).ToArray();
            lambda = bounds.Eigenvalue;
            remainderNorm = bounds.TheoremTwoRemainderNorm;
            truncationRemainder = bounds.RemainderNormBound;
        }
        Certainty[] Decide()
        {
            var c = new Certainty[Claims.Count];
            Certainty Group(DirectionGroup g, double threshold) =>
                CertifiedInterval.All(Enumerable.Range(0, m).Where(a => groups[a] == g).Select(a => rayleigh[a].AtLeast(threshold)));
            c[RayleighMean] = rayleigh[0].AtLeast(thresholdMean);
            c[RayleighLinear] = Group(DirectionGroup.Linear, thresholdLinear);
            c[RayleighPair] = Group(DirectionGroup.Pair, level3 * (1 - delta - prm.XiPair));
            c[RayleighDiagonal] = Group(DirectionGroup.Diagonal, level3 * (1 - delta - prm.XiDiagonal));
            c[All] = CertifiedInterval.All(Enumerable.Range(0, All).Where(k => k != TraceExact)
                .Select(k => k < RayleighMean ? (failed[k] ? Certainty.Fails : Certainty.Holds) : c[k]));
            CertifiedInterval quadratic = lambda(m - 1);
            c[EigenLeading] = lambda(1).AtLeast(thresholdMean);
            c[EigenLinear] = lambda(d + 1).AtLeast(thresholdLinear);
            c[EigenQuadratic] = quadratic.AtLeast(level3 * (1 - delta - Math.Max(prm.XiPair, prm.XiDiagonal)));
            c[EigenGap] = quadratic.Exceeds(remainderNorm);
            return c;
        }
        bool Undecided(Certainty[] c) => c.Skip(RayleighMean).Any(x => x == Certainty.Undecided);

        if (prm.Certified)
        {
            FromBounds(TruncatedKernelBounds.Compute(net, prm.TruncationOrder, units));
            certainty = Decide();
        }
        else
        {
            certainty = [];
            if (!prm.ExactJ)
            {
                var perron = PerronRemainderBounds.Compute(net, 2, units, PerronIterations);
                var bounds = TruncatedKernelBounds.Compute(net, 2, units, perron: perron);
                FromBounds(bounds);
                certainty = Decide();
                for (int round = 0; Undecided(certainty) && round < PerronRefinements && perron.RelativeWidth > 1e-12; round++)
                {
                    perron.Refine(PerronIterations);
                    FromBounds(bounds);
                    certainty = Decide();
                }
            }
            dense = prm.ExactJ || Undecided(certainty);
            if (dense)
            {
                var decomposition = Theorem2Decomposition.Compute(net);
                var q = ReluKernelQuadraticForms.FromDense(decomposition.J, units);
                rayleigh = Enumerable.Range(0, m).Select(a => new CertifiedInterval(q[a, a], q[a, a])).ToArray();
                var eig = DenseSymmetricEigen.Eigenvalues(decomposition.J);      // ascending
                lambda = k => { double x = k <= p ? eig[p - k] : 0.0; return new CertifiedInterval(x, x); };
                var rEig = DenseSymmetricEigen.Eigenvalues(decomposition.Remainder);
                double rNorm = Math.Max(Math.Abs(rEig[0]), Math.Abs(rEig[^1]));
                remainderNorm = new CertifiedInterval(rNorm, rNorm);
                certainty = Decide();
            }
        }
        for (int c = RayleighMean; c < Claims.Count; c++) failed[c] = certainty[c] == Certainty.Fails;
        CertifiedInterval leading = lambda(1), linear = lambda(d + 1), quadratic = lambda(m - 1), next = lambda(m);

        // Measurements: the values (from intervals: the lower ends, so the ξ recorded are upper bounds of the ξ needed).
        double LowestInGroup(DirectionGroup g) => Enumerable.Range(0, m).Where(a => groups[a] == g).Min(a => rayleigh[a].Lower);
        double rMean = rayleigh[0].Lower, rLinear = LowestInGroup(DirectionGroup.Linear);
        double rPair = LowestInGroup(DirectionGroup.Pair), rDiag = LowestInGroup(DirectionGroup.Diagonal);
        double xiRayPair = Math.Max(0, 1 - delta - rPair / level3), xiRayDiag = Math.Max(0, 1 - delta - rDiag / level3);
        double lLead = leading.Lower, lLinear = linear.Lower, lQuad = quadratic.Lower, lNext = next.Upper, rNorm2 = remainderNorm.Upper;
        double xiEigen = Math.Max(0, 1 - delta - lQuad / level3);
        double[] measured =
        [
            devMean, devLinear, xiNormPair, xiNormDiag, devOrth, xiDots,
            trace, rMean, rLinear, xiRayPair, xiRayDiag,
            lLead, lLinear, lQuad, lNext, rNorm2, xiEigen,
        ];
        if (!prm.Certified) measured = [.. measured, dense ? 1.0 : 0.0];
        if (prm.Certified)
            measured = [.. measured, .. certainty.Skip(RayleighMean).Select(c => c == Certainty.Undecided ? 1.0 : 0.0), truncationRemainder];
        return new TrialOutcome(failed, measured);
    }
}

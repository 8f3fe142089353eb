using BenchmarkDotNet.Attributes;
using FimVerify.Numeric.Random;
using FimVerify.Numeric.Verification;
using FimVerify.Numeric.ShallowRelu;

namespace FimVerify.Bench;

/// <summary>
/// One trial of the report's Theorem 3 experiment (d = 3, δ = 1/2) at p = 1000: the certified intervals of J = J_2 + R_2 (the
/// Perron bracket of ‖R_2‖₂, dense spectra only when an interval straddles a threshold: never at these settings) against the
/// reference path that takes J's and R's dense spectra in every trial; and one trial at p = 10⁵ (truncation J_8, rank 98).
/// Run with FIMVERIFY_LAPACK=/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3 to time the reference-LAPACK machine.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class Theorem3Benchmarks
{
    private Theorem3Experiment _certified = null!, _exact = null!, _large = null!;
    private int _k;

    [GlobalSetup]
    public void Setup()
    {
        var prm = Theorem3Parameters.WithDefaultSlack(3, 1000, 0.5, Theorem3Verification.ConstantFor(3));
        _certified = new Theorem3Experiment(prm);
        _exact = new Theorem3Experiment(prm with { ExactJ = true });
        _large = new Theorem3Experiment(Theorem3Parameters.WithDefaultSlack(3, 100_000, 0.5, Theorem3Verification.ConstantFor(3)));
    }

    private SeedSequence NextSeed() => TrialRunner.TrialSeed(1, "theorem3", _k++);

    [Benchmark(Baseline = true)]
    public bool TrialP1000DenseSpectra() => _exact.Run(NextSeed()).Failed[0];

    [Benchmark]
    public bool TrialP1000CertifiedIntervals() => _certified.Run(NextSeed()).Failed[0];

    [Benchmark]
    public bool TrialP100000Truncation() => _large.Run(NextSeed()).Failed[0];
}

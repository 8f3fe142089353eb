using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.Progress;
using FimVerify.Numeric.Random;

namespace FimVerify.Numeric.ShallowRelu;

/// <summary>A Monte Carlo estimate of J = E_x[XᵀX] with the standard error of every entry.</summary>
public sealed record MonteCarloFisherEstimate(SymmetricMatrix Mean, SymmetricMatrix StandardError, long Samples);

/// <summary>
/// Estimates J entrywise from n inputs x ~ N(0, I_d). The samples are split into a fixed number of chunks,
/// each with its own addressed stream and accumulator, summed in chunk order: the result is the same for
/// any number of threads. Within a chunk, inputs go in fixed batches through the same GEMM → ReLU → SYRK path
/// as <see cref="EmpiricalFisher"/>; a second SYRK on X∘X accumulates Σ (X_i X_j)² for the standard errors.
/// </summary>
public static class MonteCarloFisher
{
    public const int Chunks = 16;

    /// <summary>Rows per batch inside a chunk (fixed, so the summation order is too).</summary>
    public const int BatchSize = 512;

    /// <summary>The estimate; <paramref name="progress"/> counts the batches of every chunk.</summary>
    public static MonteCarloFisherEstimate Estimate(ShallowReluNetwork net, long samples, SeedSequence seed, int maxDegreeOfParallelism = -1,
        IProgress<ProgressStep>? progress = null)
    {
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), "at least two samples are needed for a standard error");
        int p = net.P, d = net.D;
        var sums = new double[Chunks][];
        var squares = new double[Chunks][];
        var stream = seed.Child("lemma1-monte-carlo");
        long ChunkSize(int c) => samples / Chunks + (c < samples % Chunks ? 1 : 0);
        var counter = new ProgressCounter(progress, $"Monte Carlo batches of {BatchSize} inputs ({samples} in all)",
            Enumerable.Range(0, Chunks).Sum(c => (ChunkSize(c) + BatchSize - 1) / BatchSize));
        Parallel.For(0, Chunks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, c =>
        {
            long count = ChunkSize(c);
            var s1 = new double[p * p];
            var s2 = new double[p * p];
            var rng = stream.Child(c).CreateSampler();
            var x = new double[BatchSize * d];
            var h = new double[BatchSize * p];
            var h2 = new double[BatchSize * p];
            for (long done = 0; done < count; done += BatchSize)
            {
                int rows = (int)Math.Min(BatchSize, count - done);
                rng.FillGaussian(x.AsSpan(0, rows * d));
                var hb = h.AsSpan(0, rows * p);
                Gemm.Multiply(Op.None, Op.None, rows, p, d, 1.0, x, d, net.Weights, p, 0.0, hb, p, maxDegreeOfParallelism);
                Relu.Apply(hb);
                for (int k = 0; k < hb.Length; k++) h2[k] = hb[k] * hb[k];
                // Upper triangles only; the final loop reads (i, j ≥ i).
                Syrk.MultiplyUpper(Op.Transpose, p, rows, 1.0, hb, p, 1.0, s1, p, maxDegreeOfParallelism);
                Syrk.MultiplyUpper(Op.Transpose, p, rows, 1.0, h2.AsSpan(0, rows * p), p, 1.0, s2, p, maxDegreeOfParallelism);
                counter.Advance();
            }
            sums[c] = s1; squares[c] = s2;
        });
        var mean = new SymmetricMatrix(p);
        var se = new SymmetricMatrix(p);
        double nInv = 1.0 / samples;
        for (int i = 0; i < p; i++)
            for (int j = i; j < p; j++)
            {
                double a = 0, b = 0;
                for (int c = 0; c < Chunks; c++) { a += sums[c][i * p + j]; b += squares[c][i * p + j]; }
                double m = a * nInv;
                double variance = Math.Max(b * nInv - m * m, 0.0) * samples / (samples - 1);
                mean[i, j] = mean[j, i] = m;
                se[i, j] = se[j, i] = Math.Sqrt(variance * nInv);
            }
        return new MonteCarloFisherEstimate(mean, se, samples);
    }
}

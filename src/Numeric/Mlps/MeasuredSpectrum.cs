using FimVerify.Numeric.Kernels;
using FimVerify.Numeric.LinearAlgebra;
using FimVerify.Numeric.MeanField;

namespace FimVerify.Numeric.Mlps;

/// <summary>
/// The spectrum of a metric measured through its dual (or of any symmetric matrix), computing only what is asked for: Σλ from the
/// diagonal and Σλ² = ‖dual‖_F² from the entries (exact up to rounding, no eigenvalues), the top k eigenvalues by
/// <see cref="CertifiedTopEigenvalues"/> (block Lanczos and a proof that they are the top k, to 10⁻¹¹ relative) when it can certify
/// them, and the whole spectrum densely otherwise or when asked (<see cref="EigenvaluesDescending"/>). Statistics speak of all
/// <see cref="Dimension"/> eigenvalues of the metric (beyond the dual's order they are zero). The one measurement of dual matrices:
/// the report's sweeps, `fim-stats` and the claim engine (<see cref="Claims.DenseMatrixMeasurement"/>) all read it.
/// </summary>
public sealed class MeasuredSpectrum
{
    private readonly SymmetricMatrix _matrix;
    private double[]? _all;                 // every eigenvalue, descending
    private double[]? _top;                 // the certified top eigenvalues, descending
    private double? _trace, _squares;

    private MeasuredSpectrum(SymmetricMatrix matrix, long dimension)
    {
        if (dimension < matrix.N) throw new ArgumentException($"a matrix of order {matrix.N} has more eigenvalues than its dimension {dimension}");
        _matrix = matrix; Dimension = dimension;
    }

    /// <summary>The spectrum of <paramref name="dual"/> (read, never changed; nothing is computed yet).</summary>
    public static MeasuredSpectrum Of(SymmetricMatrix dual, long dimension) => new(dual, dimension);

    /// <summary>The order N of the metric (N − n of its eigenvalues are zero for a dual of order n).</summary>
    public long Dimension { get; }

    /// <summary>The order n of the matrix measured.</summary>
    public int Order => _matrix.N;

    /// <summary>Σλ = tr.</summary>
    public double Trace => _trace ??= _matrix.Trace();

    /// <summary>Σλ² = ‖·‖_F² (symmetric).</summary>
    public double SumOfSquares => _squares ??= Dot.Product(_matrix.Data, _matrix.Data);

    /// <summary>Every non-zero eigenvalue the dual has (its n eigenvalues), descending: the dense solver, once.</summary>
    public double[] EigenvaluesDescending => _all ??= DenseSymmetricEigen.Eigenvalues(_matrix).Reverse().ToArray();

    /// <summary>Whether <see cref="Top"/> has had to compute the whole spectrum (no certificate for the top eigenvalues).</summary>
    public bool Dense => _all is not null;

    /// <summary>
    /// The <paramref name="count"/> largest eigenvalues of the metric, descending (zeros beyond the dual's order): certified top
    /// eigenvalues when the matrix allows, otherwise from the whole spectrum.
    /// </summary>
    public double[] Top(int count)
    {
        if (count < 0 || count > Dimension) throw new ArgumentOutOfRangeException(nameof(count), $"the metric has {Dimension} eigenvalues");
        int fromMatrix = Math.Min(count, Order);
        double[] source;
        if (_all is not null) source = _all;
        else if (_top is not null && _top.Length >= fromMatrix) source = _top;
        else if (fromMatrix > 0 && CertifiedTopEigenvalues.TryCompute(_matrix, fromMatrix) is { } certified) source = _top = certified.Values;
        else source = EigenvaluesDescending;
        var top = new double[count];
        Array.Copy(source, top, fromMatrix);
        return top;
    }

    public double Mean => Trace / Dimension;
    public double SecondMoment => SumOfSquares / Dimension;
    public double LambdaMax => Top(1)[0];
    /// <summary>Mean of the top <paramref name="count"/> eigenvalues (the C outliers).</summary>
    public double TopMean(int count) => Top(count).Average();
    public EigenvalueStatistics Statistics(int outliers) => new(Mean, SecondMoment, TopMean(outliers));
}

namespace FimVerify.Numeric.LinearAlgebra;

/// <summary>A dense n×n matrix stored row-major, meant to hold symmetric matrices (J, Gram matrices).</summary>
public sealed class SymmetricMatrix
{
    public int N { get; }
    public double[] Data { get; }

    public SymmetricMatrix(int n) : this(n, new double[checked(n * n)]) { }

    public SymmetricMatrix(int n, double[] data)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (data.Length != n * n) throw new ArgumentException($"expected {n * n} entries, got {data.Length}");
        N = n; Data = data;
    }

    public double this[int i, int j]
    {
        get => Data[i * N + j];
        set => Data[i * N + j] = value;
    }

    public Span<double> Row(int i) => Data.AsSpan(i * N, N);

    public double Trace()
    {
        double s = 0;
        for (int i = 0; i < N; i++) s += Data[i * N + i];
        return s;
    }

    /// <summary>Largest |A_ij − A_ji|.</summary>
    public double MaxAsymmetry()
    {
        double worst = 0;
        for (int i = 0; i < N; i++)
            for (int j = i + 1; j < N; j++)
                worst = Math.Max(worst, Math.Abs(Data[i * N + j] - Data[j * N + i]));
        return worst;
    }

    /// <summary>True when any entry is NaN or infinite.</summary>
    public bool HasNonFinite()
    {
        foreach (var x in Data) if (!double.IsFinite(x)) return true;
        return false;
    }
}

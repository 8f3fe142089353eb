namespace FimVerify.Numeric.MeanField;

/// <summary>
/// Gaussian integrals from compiled symbolic closed forms (<see cref="CompiledKernelForms"/>): derived, not transcribed.
/// </summary>
public class ClosedFormGaussianKernel(CompiledKernelForms forms, double parameter = 0) : IGaussianKernel
{
    public string Method => "closed form";
    public CompiledKernelForms Compiled => forms;
    public double Parameter => parameter;
    public double Mean(double q) => forms.Mean(q, parameter);
    public double SecondMoment(double q) => forms.SecondMoment(q, parameter);
    public double Correlation(double a, double b) => forms.Correlation(a, Cosine(a, b), parameter);
    public double DerivativeSecondMoment(double q) => forms.DerivativeSecondMoment(q, parameter);
    public double DerivativeCorrelation(double a, double b) => forms.DerivativeCorrelation(a, Cosine(a, b), parameter);

    /// <summary>c = b/a clamped to [−1, 1] (|b| ≤ a for a covariance; rounding may overshoot); 0 when a = 0 (then b = 0).</summary>
    private static double Cosine(double a, double b) => a > 0 ? Math.Clamp(b / a, -1, 1) : 0;
}

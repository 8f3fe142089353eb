using FimVerify.Symbolic;

namespace FimVerify.Numeric.MeanField;

/// <summary>
/// One activation's Gaussian integrals as derived by the symbolic layer (<see cref="MeanFieldKernels"/>), compiled
/// once to delegates. One-point integrals take (q, θ), two-point ones (a, c, θ) with c = b/a, so the caller can
/// clamp c to [−1, 1] before √(1 − c²) sees rounding; θ is the activation's parameter (leaky ReLU's slope), 0 if none.
/// The forms come through the derivation cache (<c>MeanFieldKernels.cachedRelu</c> …): a fresh derivation's steps are checked once
/// before it is stored; a cached one's were checked when it was stored.
/// </summary>
public sealed class CompiledKernelForms
{
    private CompiledKernelForms(GaussianKernelForms forms)
    {
        if (forms.Parameters.Length > 1) throw new ArgumentException("at most one activation parameter is supported");
        Derived = forms;
        string p = forms.Parameters.IsEmpty ? "(no parameter)" : forms.Parameters.Head; // a name no form uses when there is none
        Func<double, double, double> One(Expression x) => Compiler.compile2("q", p, x);
        Func<double, double, double, double> Two(Expression x) => Compiler.compile3("a", "c", p, MeanFieldKernels.inCosine(x));
        Mean = One(forms.Mean);
        SecondMoment = One(forms.SecondMoment);
        DerivativeSecondMoment = One(forms.DerivativeSecondMoment);
        Correlation = Two(forms.Correlation);
        DerivativeCorrelation = Two(forms.DerivativeCorrelation);
    }

    public GaussianKernelForms Derived { get; }
    public Func<double, double, double> Mean { get; }
    public Func<double, double, double> SecondMoment { get; }
    public Func<double, double, double> DerivativeSecondMoment { get; }
    public Func<double, double, double, double> Correlation { get; }
    public Func<double, double, double, double> DerivativeCorrelation { get; }

    private static readonly Lazy<CompiledKernelForms> LazyRelu = new(() => new(MeanFieldKernels.cachedRelu.Value));
    private static readonly Lazy<CompiledKernelForms> LazyLeakyRelu = new(() => new(MeanFieldKernels.cachedLeakyRelu.Value));
    private static readonly Lazy<CompiledKernelForms> LazyLinear = new(() => new(MeanFieldKernels.cachedLinear.Value));
    private static readonly Lazy<CompiledKernelForms> LazyErf = new(() => new(MeanFieldKernels.cachedErf.Value));

    public static CompiledKernelForms Relu => LazyRelu.Value;
    public static CompiledKernelForms LeakyRelu => LazyLeakyRelu.Value;
    public static CompiledKernelForms Linear => LazyLinear.Value;
    public static CompiledKernelForms Erf => LazyErf.Value;
}

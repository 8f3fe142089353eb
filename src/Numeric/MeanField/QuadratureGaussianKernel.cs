using FimVerify.Numeric.Activations;

namespace FimVerify.Numeric.MeanField;

/// <summary>Gaussian integrals of any activation by quadrature (<see cref="GaussianExpectation"/>).</summary>
public sealed class QuadratureGaussianKernel(IActivation phi, double tolerance = GaussianExpectation.DefaultTolerance) : IGaussianKernel
{
    public string Method => phi.SingularAtOrigin ? "composite Gauss–Legendre quadrature split at 0" : "Gauss–Hermite quadrature (composite Gauss–Legendre fallback)";

    public double Mean(double q) => GaussianExpectation.Integrate(z => phi.Value(Math.Sqrt(q) * z), phi.SingularAtOrigin, q, tolerance);

    public double SecondMoment(double q) => GaussianExpectation.Integrate(z => Sq(phi.Value(Math.Sqrt(q) * z)), phi.SingularAtOrigin, q, tolerance);

    public double Correlation(double a, double b) => GaussianExpectation.Integrate2(phi.Value, phi.Value, a, b, phi.SingularAtOrigin, tolerance);

    public double DerivativeSecondMoment(double q) => GaussianExpectation.Integrate(z => Sq(phi.Derivative(Math.Sqrt(q) * z)), phi.SingularAtOrigin, q, tolerance);

    public double DerivativeCorrelation(double a, double b) => GaussianExpectation.Integrate2(phi.Derivative, phi.Derivative, a, b, phi.SingularAtOrigin, tolerance);

    private static double Sq(double x) => x * x;
}

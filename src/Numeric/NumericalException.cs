namespace FimVerify.Numeric;

/// <summary>
/// Numerical trouble (a NaN, non-convergence, ill-conditioning) detected where it arose, so that it is
/// reported as an error and never printed as a number.
/// </summary>
public sealed class NumericalException(string message) : Exception(message);

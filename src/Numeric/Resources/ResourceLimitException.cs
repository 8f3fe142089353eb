namespace FimVerify.Numeric.Resources;

/// <summary>
/// A request refused before its work starts because it would need more memory or work than the machine (or the user's
/// limit) allows, or a size beyond what one array or 64-bit arithmetic holds: one sentence with the estimate, exit code 2.
/// </summary>
public sealed class ResourceLimitException(string message) : Exception(message);

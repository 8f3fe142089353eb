namespace FimVerify.Numeric.Progress;

/// <summary>
/// How far one stage of a long computation has got: <paramref name="Done"/> of <paramref name="Total"/> steps (trials,
/// networks, Monte Carlo batches, Lanczos steps…). A report carries counts only, so observing it cannot change a result.
/// </summary>
/// <param name="Stage">What runs, in words a user reads ("Theorem 3 trials at p = 1000").</param>
public readonly record struct ProgressStep(string Stage, long Done, long Total);

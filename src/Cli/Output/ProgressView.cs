using FimVerify.Numeric.Progress;

namespace FimVerify.Cli.Output;

/// <summary>
/// Where <see cref="ProgressReporter"/> draws: the library's stage reports (from any thread) and the items of a run of
/// several (a report's sections), whose stages are shown under them.
/// </summary>
internal abstract class ProgressView : IProgress<ProgressStep>
{
    public abstract void Report(ProgressStep step);
    public abstract void BeginItem(int index, int count, string title);
    public abstract void EndItem(int index, int count, string title, string summary, double seconds);
}

using System.Diagnostics;
using System.Globalization;
using FimVerify.Numeric.Progress;

namespace FimVerify.Cli.Output;

/// <summary>
/// Progress as plain lines, for a redirected stderr: "[k/N] title …" and "[k/N] title: PASS in 1.2 s" per item, and per
/// stage a line when it starts ("stage: 0/200"), one per 10 % bucket at most once a second, and one when it is done
/// ("stage: 200/200 done in 31.2 s"), so a log grows steadily without flooding.
/// </summary>
internal sealed class PlainProgressView(TextWriter log) : ProgressView
{
    /// <summary>The least time between two lines of one stage before its last.</summary>
    private const double SecondsBetweenLines = 1.0;

    private sealed class Stage(Stopwatch clock)
    {
        public Stopwatch Clock { get; } = clock;
        public long Bucket { get; set; }
        public double LastLine { get; set; }
    }

    private readonly object _lock = new();
    private readonly Dictionary<string, Stage> _stages = [];
    private string _indent = "";

    public override void BeginItem(int index, int count, string title)
    {
        lock (_lock)
        {
            log.WriteLine($"[{index + 1}/{count}] {title} …");
            _stages.Clear();
            _indent = "  ";
        }
    }

    public override void EndItem(int index, int count, string title, string summary, double seconds)
    {
        lock (_lock)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{index + 1}/{count}] {title}: {summary} in {seconds:F1} s"));
            _indent = "";
        }
    }

    public override void Report(ProgressStep step)
    {
        lock (_lock)
        {
            bool first = !_stages.TryGetValue(step.Stage, out var stage);
            if (stage is null) _stages[step.Stage] = stage = new Stage(Stopwatch.StartNew());
            double t = stage.Clock.Elapsed.TotalSeconds;
            var c = CultureInfo.InvariantCulture;
            if (step.Done >= step.Total)
                log.WriteLine(string.Create(c, $"{_indent}{step.Stage}: {step.Total}/{step.Total} done in {t:F1} s"));
            else if (first)
                log.WriteLine(string.Create(c, $"{_indent}{step.Stage}: {step.Done}/{step.Total}"));
            else
            {
                long bucket = 10 * step.Done / step.Total;
                if (bucket <= stage.Bucket || t - stage.LastLine < SecondsBetweenLines) return;
                log.WriteLine(string.Create(c, $"{_indent}{step.Stage}: {step.Done}/{step.Total} ({100 * step.Done / step.Total}%, {t:F1} s)"));
                stage.Bucket = bucket;
                stage.LastLine = t;
            }
        }
    }
}

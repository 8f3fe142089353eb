using FimVerify.Numeric.Progress;
using Spectre.Console;

namespace FimVerify.Cli.Output;

/// <summary>
/// Progress as Spectre.Console bars on a terminal. Outside items, one bar per stage the library reports. For a run of
/// items (a report's sections) one bar per item: busy until the item reports a stage, then that stage's bar with its name
/// after the item's title, and at the end the item's result (one line per item, so the display never leaves gaps).
/// </summary>
internal sealed class TerminalProgressView(ProgressContext context) : ProgressView
{
    private readonly object _lock = new();
    private readonly Dictionary<string, ProgressTask> _stages = [];
    private ProgressTask? _item;
    private string _title = "";

    public override void BeginItem(int index, int count, string title)
    {
        lock (_lock)
        {
            _title = title;
            _item = context.AddTask(Markup.Escape(title), maxValue: 1);
            _item.IsIndeterminate = true;
        }
    }

    public override void EndItem(int index, int count, string title, string summary, double seconds)
    {
        lock (_lock)
        {
            if (_item is null) return;
            _item.IsIndeterminate = false;
            _item.Description = Markup.Escape($"{title}: {summary}");
            _item.Value = _item.MaxValue;
            _item.StopTask();
            _item = null;
        }
    }

    public override void Report(ProgressStep step)
    {
        lock (_lock)
        {
            double max = Math.Max(1, step.Total), value = step.Total == 0 ? 1 : step.Done;
            if (_item is not null)
            {
                _item.IsIndeterminate = false;
                _item.Description = Markup.Escape($"{_title} · {step.Stage}");
                _item.MaxValue = max;
                _item.Value = value;
                return;
            }
            if (!_stages.TryGetValue(step.Stage, out var task))
                _stages[step.Stage] = task = context.AddTask(Markup.Escape(step.Stage), maxValue: max);
            task.Value = value;
            if (step.Done >= step.Total) task.StopTask();
        }
    }
}

using MdiFlow.Engine;
using MdiFlow.Instances;

namespace MdiFlow.Cli.Output;

/// <summary>Prints each step as it starts and ends, with its duration.</summary>
internal sealed class ConsoleProgress(TextWriter output) : IRunObserver
{
    public void StepStarted(StepState step, bool isRecovery)
    {
        var attempt = step.Attempts > 1 ? $" (attempt {step.Attempts}{(isRecovery ? ", recovering an interrupted attempt" : "")})" : "";
        output.WriteLine($"  ▶ {TerminalText.Safe(step.Id)} [{TerminalText.Safe(step.Uses)}]{attempt}");
    }

    public void StepEnded(StepState step, TimeSpan duration)
    {
        var id = TerminalText.Safe(step.Id);
        var error = $"[{TerminalText.Safe(step.Error?.Code)}] {TerminalText.Safe(step.Error?.Message)}";
        var text = step.Status switch
        {
            StepStatus.Completed => $"  ✔ {id} completed in {Format(duration)}",
            StepStatus.Skipped => $"  ↷ {id} skipped: {TerminalText.Safe(step.SkipReason)}",
            StepStatus.Waiting => $"  ⏸ {id} waits for people ({TerminalText.Safe(step.Gate?.Kind)})",
            StepStatus.Failed => $"  ✖ {id} failed after {Format(duration)}: {error}",
            StepStatus.FailedContinued => $"  ✘ {id} failed after {Format(duration)}, the run goes on (onFailure: continue): {error}",
            _ => $"  ✖ {id} attempt {step.Attempts} failed after {Format(duration)}: {error}",
        };
        output.WriteLine(text);
    }

    public void RetryWaiting(StepState step, TimeSpan delay) =>
        output.WriteLine($"    retrying {TerminalText.Safe(step.Id)} in {Format(delay)}");

    public static string Format(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 1 => $"{duration.TotalMilliseconds:0} ms",
        < 120 => $"{duration.TotalSeconds:0.0} s",
        _ => $"{duration.TotalMinutes:0.0} min",
    };
}

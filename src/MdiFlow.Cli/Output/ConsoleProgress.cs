using MdiFlow.Engine;
using MdiFlow.Instances;

namespace MdiFlow.Cli.Output;

/// <summary>Prints each step as it starts and ends, with its duration.</summary>
internal sealed class ConsoleProgress(TextWriter output) : IRunObserver
{
    public void StepStarted(StepState step, bool isRecovery)
    {
        var attempt = step.Attempts > 1 ? $" (attempt {step.Attempts}{(isRecovery ? ", recovering an interrupted attempt" : "")})" : "";
        output.WriteLine($"  ▶ {step.Id} [{step.Uses}]{attempt}");
    }

    public void StepEnded(StepState step, TimeSpan duration)
    {
        var text = step.Status switch
        {
            StepStatus.Completed => $"  ✔ {step.Id} completed in {Format(duration)}",
            StepStatus.Skipped => $"  ↷ {step.Id} skipped: {step.SkipReason}",
            StepStatus.Waiting => $"  ⏸ {step.Id} waits for people ({step.Gate?.Kind})",
            StepStatus.Failed => $"  ✖ {step.Id} failed after {Format(duration)}: [{step.Error?.Code}] {step.Error?.Message}",
            _ => $"  ✖ {step.Id} attempt {step.Attempts} failed after {Format(duration)}: [{step.Error?.Code}] {step.Error?.Message}",
        };
        output.WriteLine(text);
    }

    public void RetryWaiting(StepState step, TimeSpan delay) =>
        output.WriteLine($"    retrying {step.Id} in {Format(delay)}");

    public static string Format(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 1 => $"{duration.TotalMilliseconds:0} ms",
        < 120 => $"{duration.TotalSeconds:0.0} s",
        _ => $"{duration.TotalMinutes:0.0} min",
    };
}

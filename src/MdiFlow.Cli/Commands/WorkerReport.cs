using MdiFlow.Cli.Output;
using MdiFlow.Workers;

namespace MdiFlow.Cli.Commands;

/// <summary>What <c>mdiflow worker</c> prints after each pass: every instance it moved on, and every one it may not run and why.</summary>
internal sealed class WorkerReport(TextWriter output) : IWorkerObserver
{
    public void PassCompleted(WorkerPass pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        foreach (var outcome in pass.Outcomes)
        {
            if (outcome.NotRun is { } why)
            {
                output.WriteLine($"{outcome.Id}: not run: {TerminalText.Safe(why)}");
            }
            else if (outcome.Advanced)
            {
                output.WriteLine($"{outcome.Id}: {InstanceView.Name(outcome.From)} -> {InstanceView.Name(outcome.To)}");
            }
        }
    }
}

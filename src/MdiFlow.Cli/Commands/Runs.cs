using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Cli.Commands;

/// <summary>
/// Runs an instance for <c>run</c>, <c>resume</c> and <c>worker</c>, stopped by Ctrl+C / SIGTERM or, in a rehearsal,
/// by the lab's simulated server restarting: the engine then hands the instance back, and what is printed is where
/// it stands (interrupted, exit 130) rather than an error.
/// </summary>
internal static class Runs
{
    public static async Task<WorkflowInstance> RunAsync(CliSession session, InstanceId id, Actor actor, TextWriter progress, CancellationToken cancellationToken)
    {
        using var stop = session.Lab is { } lab
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lab.ServerRestarting)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            return (await session.Engine.RunAsync(id, new RunRequest { Actor = actor, Observer = new ConsoleProgress(progress) }, stop.Token).ConfigureAwait(false)).Instance;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            var why = cancellationToken.IsCancellationRequested ? "it was interrupted (Ctrl+C or a stop signal)" : "the rehearsal's simulated server restarted during the step";
            await progress.WriteLineAsync($"The run stopped: {why}. The step in progress was handed back; resume continues it.").ConfigureAwait(false);
            return await session.Engine.GetAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
    }
}

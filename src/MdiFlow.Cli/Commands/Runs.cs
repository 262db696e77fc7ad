using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Lab;

namespace MdiFlow.Cli.Commands;

/// <summary>
/// Runs an instance for <c>run</c>, <c>resume</c> and <c>worker</c>, stopped by Ctrl+C / SIGTERM or, in a rehearsal,
/// by the lab's simulated server restarting: the engine then hands the instance back, and what is printed is where
/// it stands (interrupted, exit 130) rather than an error.
/// </summary>
internal static class Runs
{
    public static Task<WorkflowInstance> RunAsync(CliSession session, InstanceId id, Actor actor, TextWriter progress, CancellationToken cancellationToken) =>
        RunAsync(session.Engine, session.Lab, id, actor, progress, "resume continues it", cancellationToken);

    public static async Task<WorkflowInstance> RunAsync(WorkflowEngine engine, LabEnvironment? lab, InstanceId id, Actor actor, TextWriter progress, string howToContinue, CancellationToken cancellationToken)
    {
        using var stop = lab is not null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lab.ServerRestarting)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            return (await engine.RunAsync(id, new RunRequest { Actor = actor, Observer = new ConsoleProgress(progress) }, stop.Token).ConfigureAwait(false)).Instance;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            var why = cancellationToken.IsCancellationRequested ? "it was interrupted (Ctrl+C or a stop signal)" : "the rehearsal's simulated server restarted during the step";
            await progress.WriteLineAsync($"The run of {id} stopped: {why}. The step in progress was handed back; {howToContinue}.").ConfigureAwait(false);
            return await engine.GetAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
    }
}

using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Workers;

/// <summary>
/// How the worker runs one due instance. The default runs it on the engine; a host replaces it to run some instances
/// in a context of their own (the CLI runs a rehearsal against its own lab).
/// </summary>
public interface IWorkerRunner
{
    /// <summary>Runs the instance until it stops, returning it as it stands then.</summary>
    /// <remarks>When <see cref="WorkerRun.CancellationToken"/> is cancelled (the host stops), the step under way is stopped and the instance handed back.</remarks>
    Task<WorkflowInstance> RunAsync(WorkerRun run);
}

/// <summary>One instance the worker runs.</summary>
/// <param name="Instance">The instance as read just before (any expired gate already acted on).</param>
/// <param name="Reason">Why it was due.</param>
/// <param name="Actor">Whom the worker acts as.</param>
/// <param name="CancellationToken">Cancelled when the host stops.</param>
public sealed record WorkerRun(WorkflowInstance Instance, WakeReason Reason, Actor Actor, CancellationToken CancellationToken);

/// <summary>The default runner: <see cref="WorkflowEngine.RunAsync"/>.</summary>
internal sealed class EngineRunner(WorkflowEngine engine) : IWorkerRunner
{
    public async Task<WorkflowInstance> RunAsync(WorkerRun run) =>
        (await engine.RunAsync(run.Instance.Id, new RunRequest { Actor = run.Actor }, run.CancellationToken).ConfigureAwait(false)).Instance;
}

using MdiFlow.Cli.Hosting;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Workers;

namespace MdiFlow.Cli.Commands;

/// <summary>How <c>mdiflow worker</c> runs one instance: with the progress lines of <c>run</c>, and a rehearsal against its own lab.</summary>
internal sealed class CliWorkerRunner(CliGlobals globals, WorkflowEngine engine, TextWriter output) : IWorkerRunner
{
    private const string HowToContinue = "the worker or 'mdiflow resume' continues it";

    public async Task<WorkflowInstance> RunAsync(WorkerRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Instance.IsRehearsal)
        {
            return await Runs.RunAsync(engine, null, run.Instance.Id, run.Actor, output, HowToContinue, run.CancellationToken).ConfigureAwait(false);
        }

        var lab = await CliSession.ForRehearsalAsync(globals, run.Instance.Id, CliSession.ProfileOf(run.Instance), run.CancellationToken).ConfigureAwait(false);
        await using (lab.ConfigureAwait(false))
        {
            return await Runs.RunAsync(lab.Engine, lab.Lab, run.Instance.Id, run.Actor, output, HowToContinue, run.CancellationToken).ConfigureAwait(false);
        }
    }
}

using MdiFlow.Instances;
using MdiFlow.PostgreSql;
using MdiFlow.Storage;

namespace MdiFlow.Cli.Output;

/// <summary>
/// For <c>show</c>: which host's worker the instance's next host-affine step waits for (it may come after a gate: who
/// approves sees where the run goes on), and, on a store that keeps workers' heartbeats (PostgreSQL), whether a worker
/// of that host is alive.
/// </summary>
internal static class HostWaitText
{
    /// <summary>The line to print, or null when every step still to run may run on any host (or the instance is finished).</summary>
    public static async Task<string?> DescribeAsync(WorkflowInstance instance, IWorkflowStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (instance.Status.IsFinal() || instance.Steps.FirstOrDefault(s => !s.Status.IsDone() && s.Host is not null) is not { Host: { } host } step)
        {
            return null;
        }

        var waits = $"Host      step '{TerminalText.Safe(step.Id)}' runs only on {TerminalText.Safe(host)}";
        if (store is not PostgreSqlWorkflowStore shared)
        {
            return $"{waits} (its worker: 'mdiflow worker --host {TerminalText.Safe(host)}' on that host).";
        }

        var workers = (await shared.ReadWorkersAsync(time, cancellationToken).ConfigureAwait(false))
            .Where(w => string.Equals(w.Host, host, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return workers.FirstOrDefault(w => w.Alive) is { } alive
            ? $"{waits}: its worker is alive (process {alive.ProcessId}, last heartbeat {alive.LastSeen:u})."
            : workers.Count > 0
                ? $"{waits}: no live worker of {TerminalText.Safe(host)} (last heartbeat {workers[0].LastSeen:u}); start 'mdiflow worker --host {TerminalText.Safe(host)}' there."
                : $"{waits}: no worker of {TerminalText.Safe(host)} has been seen; start 'mdiflow worker --host {TerminalText.Safe(host)}' there.";
    }
}

namespace MdiFlow.Workers;

/// <summary>
/// A hint from the store that something may have become due (PostgreSQL: LISTEN/NOTIFY), so the worker looks before
/// its poll interval ends. Optional: register one in the service collection and the worker awaits it between passes,
/// bounded by <see cref="WorkerOptions.PollInterval"/>; the poll remains the guarantee, a missed hint costs at most one interval.
/// </summary>
public interface IWakeSignal
{
    /// <summary>Completes when the store signals a change (or at once when one arrived since the last call); cancelled when the wait ends without one.</summary>
    Task WaitAsync(CancellationToken cancellationToken);
}

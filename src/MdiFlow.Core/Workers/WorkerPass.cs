using MdiFlow.Instances;
using MdiFlow.Storage;

namespace MdiFlow.Workers;

/// <summary>What one pass of the worker did.</summary>
/// <param name="At">When the pass looked for due instances.</param>
/// <param name="Outcomes">Each due instance it looked at, in the order it did.</param>
public sealed record WorkerPass(DateTimeOffset At, IReadOnlyList<WorkerOutcome> Outcomes)
{
    /// <summary>How many instances changed state.</summary>
    public int Advanced => Outcomes.Count(o => o.Advanced);

    /// <summary>Whether more was due than one batch took (the next pass follows at once).</summary>
    internal bool Full { get; init; }
}

/// <summary>One instance a pass looked at.</summary>
/// <param name="Id">The instance.</param>
/// <param name="Reason">Why it was due.</param>
/// <param name="From">Its status before.</param>
/// <param name="To">Its status after.</param>
/// <param name="Advanced">Whether the pass changed it (a status, or a gate escalated).</param>
/// <param name="NotRun">Why the worker did not run it (the policy's refusal, a record that disagrees), or null.</param>
public sealed record WorkerOutcome(InstanceId Id, WakeReason Reason, InstanceStatus From, InstanceStatus To, bool Advanced, string? NotRun = null);

/// <summary>Told about every pass of the worker (a host prints them; a test waits on them).</summary>
public interface IWorkerObserver
{
    /// <summary>A pass finished (called on the worker's thread: return quickly).</summary>
    void PassCompleted(WorkerPass pass);
}

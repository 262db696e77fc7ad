using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Storage;

/// <summary>
/// Where instances and their journals live. Every store passes the same contract test suite.
/// </summary>
/// <remarks>
/// A save is one transaction: the instance document and its new journal entries are written
/// together or not at all. A save whose <see cref="WorkflowInstance.Version"/> is not the stored
/// version fails with <see cref="ConcurrencyException"/> and changes nothing.
/// </remarks>
public interface IWorkflowStore
{
    /// <summary>Stores a new instance (its version becomes 1) with its first journal entries.</summary>
    /// <exception cref="ConcurrencyException">An instance with that id exists.</exception>
    /// <exception cref="StoreException">The store cannot be used.</exception>
    ValueTask CreateAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Saves a changed instance and appends journal entries, if nobody saved it since it was read.</summary>
    /// <remarks>On success <see cref="WorkflowInstance.Version"/> is incremented.</remarks>
    /// <exception cref="ConcurrencyException">Another writer saved it first, or it does not exist.</exception>
    /// <exception cref="StoreException">The store cannot be used.</exception>
    ValueTask SaveAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Reads one instance, or null.</summary>
    ValueTask<WorkflowInstance?> FindAsync(InstanceId id, CancellationToken cancellationToken = default);

    /// <summary>The ids that start with <paramref name="prefix"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<InstanceId>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default);

    /// <summary>Instances, newest first.</summary>
    ValueTask<IReadOnlyList<InstanceSummary>> ListAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>An instance's journal in sequence order, exactly as stored.</summary>
    ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(InstanceId id, CancellationToken cancellationToken = default);

    /// <summary>The sequence number and MAC of an instance's last journal entry, or null when it has none (one indexed read).</summary>
    ValueTask<JournalTail?> ReadJournalTailAsync(InstanceId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The instance and then its journal's tail (both null when there is no such instance), as the engine reads them
    /// before every action to check that they agree. A store that can read both in one round trip should; this default
    /// makes two calls.
    /// </summary>
    async ValueTask<(WorkflowInstance? Instance, JournalTail? Tail)> FindWithJournalTailAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        var instance = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        return instance is null ? (null, null) : (instance, await ReadJournalTailAsync(id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The instances a worker on <paramref name="host"/> should look at now: those whose wake time is at or before
    /// <paramref name="now"/> and that need no other host, oldest wake time first (ties by id), at most
    /// <paramref name="limit"/>. Served by an index, never by reading every instance.
    /// </summary>
    /// <remarks>
    /// A store persists each instance's wake time and required host (computed once, in Core, from the instance it
    /// writes) in the same statement as its document, so the answer is as current as the last commit. Finished,
    /// failed and gate-waiting instances without an expiry have no wake time and are never returned.
    /// </remarks>
    /// <exception cref="StoreException">The store cannot be used.</exception>
    ValueTask<IReadOnlyList<RunnableInstance>> FindRunnableAsync(DateTimeOffset now, string host, int limit, CancellationToken cancellationToken = default);
}

/// <summary>An instance a worker should look at, from <see cref="IWorkflowStore.FindRunnableAsync"/>.</summary>
/// <param name="Id">The instance.</param>
/// <param name="WakeAt">When it became due.</param>
/// <param name="Reason">Why it is due.</param>
public sealed record RunnableInstance(InstanceId Id, DateTimeOffset WakeAt, WakeReason Reason);

/// <summary>Why a worker should look at an instance.</summary>
public enum WakeReason
{
    /// <summary>Pending or ready: it can run now.</summary>
    Ready,

    /// <summary>Scheduled: its retry is due.</summary>
    RetryDue,

    /// <summary>Waiting at an approval gate whose expiry has passed: reject or escalate it.</summary>
    GateExpiry,

    /// <summary>Running under a lease that expired: its process is gone, recover it.</summary>
    LeaseExpiry,
}

/// <summary>Where an instance's journal ends.</summary>
/// <param name="Seq">The sequence number of the last entry.</param>
/// <param name="Mac">Its MAC.</param>
public sealed record JournalTail(long Seq, string Mac);

/// <summary>Which instances to list.</summary>
/// <param name="Status">Only this status, or all.</param>
/// <param name="Limit">At most this many.</param>
public sealed record InstanceQuery(InstanceStatus? Status = null, int Limit = 1000);

/// <summary>One line of a listing.</summary>
public sealed record InstanceSummary(
    InstanceId InstanceId,
    string WorkflowId,
    InstanceStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

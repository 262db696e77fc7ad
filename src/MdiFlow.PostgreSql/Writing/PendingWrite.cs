using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.PostgreSql.Writing;

/// <summary>One create or save waiting for its commit, with everything taken from the instance when it was queued.</summary>
internal sealed class PendingWrite
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Cancelled = 2;
    private int _state;

    public required InstanceId Id { get; init; }

    /// <summary>The version the stored row must still have; 0 for a create.</summary>
    public required long Expected { get; init; }

    public bool IsCreate => Expected == 0;

    public required string WorkflowId { get; init; }

    public required string DefinitionHash { get; init; }

    /// <summary>The definition's JSON text, for a create whose definition the store may not have yet.</summary>
    public string? Definition { get; init; }

    public required string Document { get; init; }

    /// <summary>The document's seal under the store's journal key.</summary>
    public required string Seal { get; init; }

    public required InstanceStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required DateTimeOffset? DueAt { get; init; }

    /// <summary>The fencing token of the lease the save carries (<see cref="Storage.LeaseFence.TokenOf"/>), 0 for none.</summary>
    public required long Token { get; init; }

    /// <summary>The instance's last fencing token (<see cref="Instances.WorkflowInstance.LeaseToken"/>), stored in its column.</summary>
    public required long LeaseToken { get; init; }

    /// <summary>When a worker should next look at the instance (<see cref="Storage.RunnableIndex.WakeAt"/>), or null.</summary>
    public required DateTimeOffset? WakeAt { get; init; }

    /// <summary>The host whose worker must run its next step (<see cref="Storage.RunnableIndex.RequiredHost"/>), or null.</summary>
    public required string? RequiredHost { get; init; }

    public required IReadOnlyList<JournalEntry> Entries { get; init; }

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>Claims the write for a commit; false when it was cancelled while queued.</summary>
    public bool Begin()
    {
        var claimed = Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;
        Cancellation.Dispose();
        return claimed;
    }

    /// <summary>Cancels the write if no commit has taken it yet.</summary>
    public void TryCancel(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            Completion.TrySetCanceled(token);
        }
    }

    public void Succeed() => Completion.TrySetResult();

    public void Fail(Exception error) => Completion.TrySetException(error);
}

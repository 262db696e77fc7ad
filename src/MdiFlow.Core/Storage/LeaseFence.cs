using MdiFlow.Instances;

namespace MdiFlow.Storage;

/// <summary>
/// The fencing check every store makes on a save, defined once: a save that carries a lease whose token is older than
/// the instance's stored <see cref="WorkflowInstance.LeaseToken"/> comes from a holder whose lease was taken over.
/// </summary>
internal static class LeaseFence
{
    /// <summary>The token a save carries: its lease's, or 0 for a save made without a lease (a person's decision).</summary>
    public static long TokenOf(WorkflowInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return instance.Lease?.Token ?? 0;
    }

    /// <summary>Whether a save carrying <paramref name="token"/> must be refused against the stored <paramref name="storedToken"/>.</summary>
    public static bool IsStale(long token, long storedToken) => token != 0 && token < storedToken;

    /// <summary>The refusal of a save whose lease was taken over.</summary>
    public static ConcurrencyException Lost(InstanceId id, long token, long storedToken) =>
        new($"Instance {id} was claimed by another process after this one's lease (fencing token {storedToken}; this save carries {token}): this process lost its lease, so the save was refused and nothing it did since counts.", leaseLost: true);
}

using System.Text.Json;
using MdiFlow.Gates;
using MdiFlow.Instances;

namespace MdiFlow.Storage;

/// <summary>
/// The scheduling facts every store indexes beside an instance's document, defined once so that no store derives
/// them its own way: when a worker should next look at the instance, and which host's worker must.
/// </summary>
/// <remarks>
/// A store computes both from the instance it writes and persists them in the same statement as the document
/// (SQLite and PostgreSQL: the <c>wake_at</c> and <c>required_host</c> columns), then serves
/// <see cref="IWorkflowStore.FindRunnableAsync"/> from an index over them.
/// </remarks>
internal static class RunnableIndex
{
    /// <summary>
    /// When a worker should next look at <paramref name="instance"/>, or null when no worker ever needs to:
    /// pending and ready at once (their <see cref="WorkflowInstance.UpdatedAt"/>, so the oldest go first), scheduled
    /// when its retry is due, waiting at an approval with an expiry when it expires, running when its lease expires
    /// (to recover it); waiting without an expiry, failed (an operator decides) and every final status never.
    /// </summary>
    public static DateTimeOffset? WakeAt(WorkflowInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return instance.Status switch
        {
            InstanceStatus.Pending or InstanceStatus.Ready => instance.UpdatedAt,
            InstanceStatus.Scheduled => instance.DueAt ?? instance.UpdatedAt,
            InstanceStatus.Running => instance.Lease?.ExpiresAt ?? instance.UpdatedAt,
            InstanceStatus.Waiting => GateExpiry(instance),
            _ => null,
        };
    }

    /// <summary>
    /// The host whose worker must run the instance's next step, or null when any worker may. Always null for now: the
    /// hook for host affinity (a step that must run on its target server), which the shared store brings; a store
    /// already persists and filters on it.
    /// </summary>
    public static string? RequiredHost(WorkflowInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return null;
    }

    /// <summary>Why a worker is woken for an instance of <paramref name="status"/> (stores keep the status beside the wake time).</summary>
    public static WakeReason ReasonFor(InstanceStatus status) => status switch
    {
        InstanceStatus.Scheduled => WakeReason.RetryDue,
        InstanceStatus.Waiting => WakeReason.GateExpiry,
        InstanceStatus.Running => WakeReason.LeaseExpiry,
        _ => WakeReason.Ready,
    };

    /// <summary>When the approval gate the instance waits at expires (the moment <see cref="GateKeeper.Expire"/> acts), or null.</summary>
    private static DateTimeOffset? GateExpiry(WorkflowInstance instance)
    {
        foreach (var step in instance.Steps)
        {
            if (step.Status != StepStatus.Waiting || step.Gate is not { Kind: GateKinds.Approval } gate)
            {
                continue;
            }

            try
            {
                return ApprovalGate.From(gate.Details).ExpiresAt;
            }
            catch (JsonException)
            {
                return null; // a gate that cannot be read cannot expire either; reading the instance reports it
            }
        }

        return null;
    }
}

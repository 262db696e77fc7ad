using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Web.Gates;

/// <summary>
/// The gate an instance waits at, read for the page: what it needs and how far it got. <see cref="Task"/> is set for a
/// manual task and for an embedder's own kind decided by the manual-task rules (<see cref="GateKinds.RulesOf"/>).
/// </summary>
internal sealed record WaitingGate(WorkflowInstance Instance, StepState Step, ApprovalGate? Approval, ManualTaskGate? Task)
{
    /// <summary>The gate's own kind, as the definition names it (an embedder's kind stays its own name).</summary>
    public string Kind => Step.Gate!.Kind;

    /// <summary>Who took the manual task ("assign to me"), while someone holds it.</summary>
    public string? AssignedTo => Task?.AssignedTo;

    public string? Instructions => Approval?.Instructions ?? Task?.Instructions;

    public int Approvals => Approval?.Decisions.Count(d => d.Decision == "approve") ?? 0;

    public int MinApprovals => Approval?.MinApprovals ?? 0;

    public DateTimeOffset? ExpiresAt => Approval?.ExpiresAt;

    public IReadOnlyList<string> Deciders => Approval?.Approvers ?? Task?.Assignees ?? [];

    public IReadOnlyList<GateDecision> Decisions => Approval?.Decisions ?? [];

    /// <summary>When the step started waiting.</summary>
    public DateTimeOffset? Since => Step.StartedAt;

    /// <summary>The gate of a waiting instance, or null when it waits at nothing (or is not waiting).</summary>
    public static WaitingGate? Of(WorkflowInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var step = instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting && s.Gate is not null);
        if (instance.Status != InstanceStatus.Waiting || step is null)
        {
            return null;
        }

        var gate = step.Gate!;
        return GateKinds.RulesOf(gate) switch
        {
            GateKinds.Approval => new WaitingGate(instance, step, ApprovalGate.From(gate.Details), null),
            GateKinds.ManualTask => new WaitingGate(instance, step, null, ManualTaskGate.From(gate.Details)),
            _ => new WaitingGate(instance, step, null, null),
        };
    }

    /// <summary>The host the instance last ran on (the target of host-affine steps), from its journal.</summary>
    public static string? HostOf(IReadOnlyList<JournalEntry> journal) =>
        journal.LastOrDefault(e => e.Kind == JournalKinds.InstanceResumed && e.Data is not null) is { } resumed
            ? System.Text.Json.Nodes.JsonNode.Parse(resumed.Data!)?["host"]?.GetValue<string>()
            : null;
}

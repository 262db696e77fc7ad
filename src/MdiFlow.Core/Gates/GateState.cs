using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Serialization;

namespace MdiFlow.Gates;

/// <summary>The kinds of gate.</summary>
public static class GateKinds
{
    /// <summary>Approvers decide.</summary>
    public const string Approval = "approval";

    /// <summary>A person does a portal step and records evidence.</summary>
    public const string ManualTask = "manualTask";

    /// <summary>Whether the engine's own rules decide gates of <paramref name="kind"/> (no <see cref="IGateDecider"/> may).</summary>
    public static bool IsBuiltIn(string kind) => kind is Approval or ManualTask;

    /// <summary>Whose rules decide <paramref name="gate"/>: its own kind's, or, for an embedder's kind decided as a manual task, <see cref="ManualTask"/>.</summary>
    public static string RulesOf(Activities.GateRequest gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        return !IsBuiltIn(gate.Kind) && gate.DecidedAs == ManualTask ? ManualTask : gate.Kind;
    }
}

/// <summary>What an open approval gate requires, with the policy floors applied, and the decisions so far.</summary>
public sealed record ApprovalGate
{
    /// <summary>Who may approve: <c>user:NAME</c> or <c>group:NAME</c>.</summary>
    public required IReadOnlyList<string> Approvers { get; init; }

    /// <summary>Distinct approvals needed.</summary>
    public int MinApprovals { get; init; } = 1;

    /// <summary>Whether the requester may approve.</summary>
    public bool RequesterMayApprove { get; init; }

    /// <summary>Only members of this group count (the policy's floor).</summary>
    public string? RequiredGroup { get; init; }

    /// <summary>The instructions shown to approvers, with bindings rendered.</summary>
    public string? Instructions { get; init; }

    /// <summary>How long the gate waits before its expiry action (each period, after escalation too).</summary>
    public TimeSpan? ExpiresAfter { get; init; }

    /// <summary>When the expiry action happens.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary><c>reject</c> or <c>escalate</c>.</summary>
    public string OnExpiry { get; init; } = "reject";

    /// <summary>Who decides after escalation.</summary>
    public IReadOnlyList<string> EscalateTo { get; init; } = [];

    /// <summary>Whether the gate has been escalated.</summary>
    public bool Escalated { get; init; }

    /// <summary>The hash of the organisation policy in force when the gate opened.</summary>
    public string PolicyHash { get; init; } = "";

    /// <summary>Decisions so far.</summary>
    public IReadOnlyList<GateDecision> Decisions { get; init; } = [];

    /// <summary>Reads the gate from a step's gate details.</summary>
    public static ApprovalGate From(JsonObject details) =>
        details.Deserialize<ApprovalGate>(MdiFlowJson.Options) ?? throw new JsonException("An approval gate's details are empty.");

    /// <summary>Writes the gate as gate details.</summary>
    public JsonObject ToJson() => (JsonObject)JsonSerializer.SerializeToNode(this, MdiFlowJson.Options)!;
}

/// <summary>What an open manual task asks for.</summary>
public sealed record ManualTaskGate
{
    /// <summary>What to do, with bindings rendered.</summary>
    public required string Instructions { get; init; }

    /// <summary>Who may complete it (<c>user:</c>/<c>group:</c>); empty means anyone.</summary>
    public IReadOnlyList<string> Assignees { get; init; } = [];

    /// <summary>The assignee who took it ("assign to me"); while set, only they may complete or reject it.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>Reads the task from a step's gate details.</summary>
    public static ManualTaskGate From(JsonObject details) =>
        details.Deserialize<ManualTaskGate>(MdiFlowJson.Options) ?? throw new JsonException("A manual task's details are empty.");

    /// <summary>Writes the task as gate details.</summary>
    public JsonObject ToJson() => (JsonObject)JsonSerializer.SerializeToNode(this, MdiFlowJson.Options)!;
}

/// <summary>One person's decision at a gate.</summary>
/// <param name="Actor">Who decided.</param>
/// <param name="ActorSource">How their identity was established.</param>
/// <param name="Decision"><c>approve</c> or <c>reject</c>.</param>
/// <param name="At">When.</param>
/// <param name="Comment">Their comment or reason.</param>
public sealed record GateDecision(string Actor, string ActorSource, string Decision, DateTimeOffset At, string? Comment)
{
    /// <summary>How the identity was established (issuer, tenant, object id, UPN, auth_time, amr), when a sign-in established it.</summary>
    public IReadOnlyDictionary<string, string>? Identity { get; init; }
}

using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Gates;

/// <summary>
/// The decision rules of an embedder's own gate kind (an activity returning
/// <c>ActivityResult.Wait(new GateRequest("myGate", details))</c>): it says what one person's action at such a gate
/// does. Register it with <c>AddGateDecider&lt;T&gt;()</c>; the engine finds it by <see cref="Kind"/>.
/// </summary>
/// <remarks>
/// The engine checks the person before a decider is asked, as it does at its own gates: an asserted name only on a
/// rehearsal; only the people the gate's details list in <c>approvers</c> or <c>assignees</c> (<c>user:</c>/<c>group:</c>),
/// when it lists any; for approve and reject, the organisation policy's required approver group, its rule on requesters
/// approving their own work, and its sign-in rules (multi-factor, sign-in age). A decider can only refuse more.
/// <see cref="GateKinds.Approval"/> and <see cref="GateKinds.ManualTask"/> have the engine's rules and cannot be replaced.
/// </remarks>
public interface IGateDecider
{
    /// <summary>The gate kind it decides, as the activity names it in its <see cref="Activities.GateRequest"/>.</summary>
    string Kind { get; }

    /// <summary>What the action does: release the gate, reject it, record it and keep waiting, or refuse it.</summary>
    GateVerdict Decide(GateDecisionContext context);
}

/// <summary>One person's action at a waiting gate of an embedder's kind, after the engine's own checks passed.</summary>
public sealed record GateDecisionContext
{
    /// <summary>The instance.</summary>
    public required InstanceId InstanceId { get; init; }

    /// <summary>The gate's step.</summary>
    public required string StepId { get; init; }

    /// <summary>Approve, reject or complete.</summary>
    public required GateAction Action { get; init; }

    /// <summary>Who acts, as established by the host (the OS account, a sign-in, or an asserted name on a rehearsal).</summary>
    public required Actor Actor { get; init; }

    /// <summary>The comment, reason or evidence given.</summary>
    public string? Text { get; init; }

    /// <summary>The gate's details as they stand (a copy: a verdict returns changed details).</summary>
    public required JsonObject Details { get; init; }

    /// <summary>Who started the instance.</summary>
    public required string Requester { get; init; }

    /// <summary>When the action happens.</summary>
    public DateTimeOffset Now { get; init; }
}

/// <summary>What an action at an embedder's gate does.</summary>
public abstract record GateVerdict
{
    private GateVerdict()
    {
    }

    /// <summary>The gate is satisfied: its step completes with <paramref name="output"/> and the instance is ready to go on.</summary>
    public static GateVerdict Release(JsonNode? output = null) => new Released(output);

    /// <summary>The gate is rejected: the instance ends rejected.</summary>
    public static GateVerdict Reject(string reason) => new Rejected(reason);

    /// <summary>The action is recorded in <paramref name="details"/> (a vote, a checklist item) and the gate keeps waiting.</summary>
    public static GateVerdict KeepWaiting(JsonObject details, string? note = null) => new Waiting(details, note);

    /// <summary>The person may not take this action here; nothing is recorded.</summary>
    public static GateVerdict Refuse(string reason) => new Refused(reason);

    /// <summary>The gate is satisfied.</summary>
    /// <param name="Output">The step's output.</param>
    public sealed record Released(JsonNode? Output) : GateVerdict;

    /// <summary>The gate is rejected.</summary>
    /// <param name="Reason">Why.</param>
    public sealed record Rejected(string Reason) : GateVerdict;

    /// <summary>The gate keeps waiting with new details.</summary>
    /// <param name="Details">The gate's details after the action.</param>
    /// <param name="Note">What the person is told (for example how many more approvals it needs).</param>
    public sealed record Waiting(JsonObject Details, string? Note) : GateVerdict;

    /// <summary>The action is refused.</summary>
    /// <param name="Reason">Why, in a sentence.</param>
    public sealed record Refused(string Reason) : GateVerdict;
}

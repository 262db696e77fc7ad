using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Journal;

namespace MdiFlow.Web.Gates;

/// <summary>What a person may do at a gate, for showing buttons.</summary>
/// <param name="Approve">May approve.</param>
/// <param name="Reject">May reject.</param>
/// <param name="Complete">May complete the manual task.</param>
/// <param name="Why">Why not, when they may not decide everything the gate offers (taking or giving back a task aside).</param>
internal sealed record Permissions(bool Approve, bool Reject, bool Complete, string? Why)
{
    /// <summary>May take the manual task ("assign to me").</summary>
    public bool Assign { get; init; }

    /// <summary>May give the taken task back (its holder, or another assignee).</summary>
    public bool Unassign { get; init; }

    /// <summary>The task is taken, by this person.</summary>
    public bool Holds { get; init; }

    /// <summary>Something here waits for this person: a decision, or a task to take (a task someone else holds does not).</summary>
    public bool Any => Approve || Reject || Complete || Assign;
}

/// <summary>
/// Decides which buttons a person sees by asking the engine (<see cref="WorkflowEngine.Permission"/>), so the page
/// shows exactly the controls the engine would accept, by the same rules and the same policy. The engine checks again
/// when the button is pressed.
/// </summary>
internal sealed class GatePermissions(WorkflowEngine engine)
{
    public Permissions For(WaitingGate gate, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(actor);
        if (gate.Approval is null && gate.Task is null)
        {
            return new(false, false, false, $"This page cannot act on a '{gate.Kind}' gate.");
        }

        var decisions = gate.Approval is not null ? [GateAction.Approve, GateAction.Reject] : new[] { GateAction.Complete, GateAction.Reject };
        var answers = decisions.ToDictionary(a => a, Ask);
        var why = answers.Values.FirstOrDefault(p => !p.Allowed)?.Reason;
        var complete = answers.TryGetValue(GateAction.Complete, out var c) && c.Allowed;
        return new(answers.TryGetValue(GateAction.Approve, out var approve) && approve.Allowed, answers[GateAction.Reject].Allowed, complete, why)
        {
            Assign = gate.Task is not null && Ask(GateAction.Assign).Allowed,
            Unassign = gate.Task is not null && Ask(GateAction.Unassign).Allowed,

            // While a task is taken only its holder may complete it: the engine's answer says who holds it.
            Holds = gate.AssignedTo is not null && complete,
        };

        GatePermission Ask(GateAction action) => engine.Permission(gate.Instance, actor, action);
    }
}

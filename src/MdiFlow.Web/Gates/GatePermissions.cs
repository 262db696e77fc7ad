using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Journal;

namespace MdiFlow.Web.Gates;

/// <summary>What a person may do at a gate, for showing buttons.</summary>
/// <param name="Approve">May approve.</param>
/// <param name="Reject">May reject.</param>
/// <param name="Complete">May complete the manual task.</param>
/// <param name="Why">Why not, when they may not do everything the gate offers.</param>
internal sealed record Permissions(bool Approve, bool Reject, bool Complete, string? Why)
{
    public bool Any => Approve || Reject || Complete;
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

        var offered = gate.Approval is not null ? [GateAction.Approve, GateAction.Reject] : new[] { GateAction.Complete, GateAction.Reject };
        var answers = offered.ToDictionary(a => a, a => engine.Permission(gate.Instance, actor, a));
        var why = answers.Values.FirstOrDefault(p => !p.Allowed)?.Reason;
        return new(
            answers.TryGetValue(GateAction.Approve, out var approve) && approve.Allowed,
            answers[GateAction.Reject].Allowed,
            answers.TryGetValue(GateAction.Complete, out var complete) && complete.Allowed,
            why);
    }
}
